/**
 * Shared staff rules, pure (C. trav. L8241-1, L8241-2). A lending agreement is in force on a day when the day
 * lies between its start and end dates and both the employee's consent and the amendment to the work contract
 * are dated on or before it: without them the employee may not be made available.
 */

export interface AgreementTerms {
  id: number;
  employeeId: number;
  lenderMemberId: number;
  userMemberId: number;
  startDate: string;
  endDate: string;
  consentDate: string | null;
  amendmentDate: string | null;
}

export function inForceOn(a: AgreementTerms, date: string): boolean {
  return a.startDate <= date && date <= a.endDate && a.consentDate !== null && a.consentDate <= date && a.amendmentDate !== null && a.amendmentDate <= date;
}

/** The first of `dates` no agreement of `userMemberId` covers, or null when every one is covered. */
export function firstUncoveredDate(agreements: readonly AgreementTerms[], userMemberId: number, dates: readonly string[]): string | null {
  const mine = agreements.filter((a) => a.userMemberId === userMemberId);
  return dates.find((d) => !mine.some((a) => inForceOn(a, d))) ?? null;
}

export interface AgreementDraft {
  startDate: string;
  endDate: string;
  lenderMemberId: number;
  userMemberId: number;
  plannedMinutesPerMonth: number | null;
  workingTimeShareBp: number | null;
  billsSalary: boolean;
  managementFeesCents: number | null;
  managementFeesRateBp: number | null;
  consentDate: string | null;
  amendmentDate: string | null;
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const validDate = (d: string) => DATE.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

export function agreementProblems(a: AgreementDraft): string[] {
  const problems: string[] = [];
  for (const [name, d] of [['startDate', a.startDate], ['endDate', a.endDate], ['consentDate', a.consentDate], ['amendmentDate', a.amendmentDate]] as const) {
    if (d !== null && !validDate(d)) problems.push(`${name} ${d} is not a date`);
  }
  if (a.endDate < a.startDate) problems.push('endDate is before startDate');
  if (a.lenderMemberId === a.userMemberId) problems.push('the user member cannot be the employer itself');
  if ((a.plannedMinutesPerMonth === null) === (a.workingTimeShareBp === null)) problems.push('give either plannedMinutesPerMonth or workingTimeShare');
  if (a.managementFeesCents !== null && a.managementFeesRateBp !== null) problems.push('management fees: an amount or a rate, not both');
  if (!a.billsSalary) problems.push('a lending at cost bills at least the salary');
  return problems;
}

/** Local dates (YYYY-MM-DD) from `first` to `last`, inclusive. */
export function datesBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${first}T00:00:00Z`); d.toISOString().slice(0, 10) <= last; d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
}

/** A decimal given to the hundredth (35, 151.67, 3.5 %) as whole hundredths; null when it has more decimals. */
export function hundredthsOf(value: number): number | null {
  const h = Math.round(value * 100);
  return Math.abs(value * 100 - h) < 1e-6 ? h : null;
}
