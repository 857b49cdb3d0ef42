/**
 * Timesheets, pure: the actual minutes of each day of a month, made available to a user member, worked for the
 * employer itself (`own`) or absent; made available + own + absences = the paid hours of the month.
 */

export type LineKind = 'made_available' | 'own' | 'absence';
export type LineStatus = 'draft' | 'approved' | 'disputed';

export interface TimesheetLine {
  date: string;
  kind: LineKind;
  memberId: number | null;
  minutes: number;
}

export interface StoredLine extends TimesheetLine {
  status: LineStatus;
  comment: string | null;
}

/** A booking of the employee's resource, as the prefill reads it: its member and its minutes on each local day. */
export interface BookedDay {
  date: string;
  memberId: number;
  minutes: number;
}

/** The lines a month starts from when nothing was entered: one per day and member booked (the employer's own bookings are `own`). */
export function prefill(booked: readonly BookedDay[], employerMemberId: number): TimesheetLine[] {
  const byKey = new Map<string, TimesheetLine>();
  for (const b of booked) {
    const own = b.memberId === employerMemberId;
    const key = `${b.date}|${own ? 'own' : b.memberId}`;
    const line = byKey.get(key) ?? { date: b.date, kind: own ? 'own' : 'made_available', memberId: own ? null : b.memberId, minutes: 0 };
    line.minutes += b.minutes;
    byKey.set(key, line);
  }
  return sortLines([...byKey.values()]);
}

export function sortLines<T extends TimesheetLine>(lines: T[]): T[] {
  const rank: Record<LineKind, number> = { made_available: 0, own: 1, absence: 2 };
  return lines.sort((a, b) => a.date.localeCompare(b.date) || rank[a.kind] - rank[b.kind] || (a.memberId ?? 0) - (b.memberId ?? 0));
}

/**
 * What is wrong with a month's lines: dates outside the month, a member on own/absence lines or none on a line
 * made available, the employer as user member, the same line twice, or a day holding more than it lasts.
 */
export function lineProblems(lines: readonly TimesheetLine[], month: string, employerMemberId: number, dayMinutes: (date: string) => number): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const perDay = new Map<string, number>();
  for (const [i, l] of lines.entries()) {
    if (!l.date.startsWith(`${month}-`)) problems.push(`lines[${i}]: ${l.date} is not in ${month}`);
    if (l.kind === 'made_available' && l.memberId === null) problems.push(`lines[${i}]: a line made available names its user member`);
    if (l.kind !== 'made_available' && l.memberId !== null) problems.push(`lines[${i}]: ${l.kind} lines name no member`);
    if (l.memberId === employerMemberId) problems.push(`lines[${i}]: hours for the employer itself are own hours`);
    const key = `${l.date}|${l.kind}|${l.memberId ?? ''}`;
    if (seen.has(key)) problems.push(`lines[${i}]: ${l.date} ${l.kind} is listed twice`);
    seen.add(key);
    perDay.set(l.date, (perDay.get(l.date) ?? 0) + l.minutes);
  }
  for (const [date, total] of perDay) if (problems.length === 0 && total > dayMinutes(date)) problems.push(`${date}: ${total} minutes recorded in a day of ${dayMinutes(date)}`);
  return problems;
}

export interface Totals {
  madeAvailable: { memberId: number; minutes: number }[];
  ownMinutes: number;
  absenceMinutes: number;
  totalMinutes: number;
}

export function totals(lines: readonly TimesheetLine[]): Totals {
  const byMember = new Map<number, number>();
  let own = 0;
  let absence = 0;
  for (const l of lines) {
    if (l.kind === 'made_available') byMember.set(l.memberId!, (byMember.get(l.memberId!) ?? 0) + l.minutes);
    else if (l.kind === 'own') own += l.minutes;
    else absence += l.minutes;
  }
  const madeAvailable = [...byMember].sort(([a], [b]) => a - b).map(([memberId, minutes]) => ({ memberId, minutes }));
  return { madeAvailable, ownMinutes: own, absenceMinutes: absence, totalMinutes: madeAvailable.reduce((a, m) => a + m.minutes, own + absence) };
}

/** A user member's month: approved when every line of it is approved, disputed when one is, pending otherwise. */
export function memberStatus(lines: readonly StoredLine[], memberId: number): 'approved' | 'disputed' | 'pending' {
  const mine = lines.filter((l) => l.kind === 'made_available' && l.memberId === memberId);
  if (mine.some((l) => l.status === 'disputed')) return 'disputed';
  return mine.length > 0 && mine.every((l) => l.status === 'approved') ? 'approved' : 'pending';
}
