import { useEffect, useMemo, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { minutesInput, parseMinutes } from '../lib/hours';
import { daysInMonth, isoWeekday, todayIn } from '../lib/time';
import type { Timesheet, TimesheetKind } from '../lib/types';
import { ErrorMessage, StatusBadge, TableWrap, useNotify } from './ui';

/** A column of the grid: hours made available to a user member, own hours (the employer), or absence. */
export interface GridColumn {
  kind: TimesheetKind;
  memberId: number | null;
  label: string;
}

const keyOf = (date: string, kind: TimesheetKind, memberId: number | null) => `${date}|${kind}|${memberId ?? ''}`;

/** The month's dates cut into weeks starting on Monday (the first and last may be short). */
export function weeksOf(month: string): string[][] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const weeks: string[][] = [];
  for (let d = 1; d <= daysInMonth(month); d++) {
    if (d === 1 || isoWeekday(y, m, d) === 1) weeks.push([]);
    weeks[weeks.length - 1]!.push(`${month}-${String(d).padStart(2, '0')}`);
  }
  return weeks;
}

/**
 * The month's hours as a grid of days × columns (user members, own hours, absence), a week or the whole month at
 * a time; on a phone each day is a card. Every cell is a text input reachable by Tab; the arrow keys move between
 * cells (left and right once the caret is at the edge of the text). Saving sends the whole month.
 */
export function TimesheetGrid(props: { employeeId: number; sheet: Timesheet; columns: GridColumn[]; onSaved(sheet: Timesheet): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const notify = useNotify();
  const { sheet, columns } = props;
  const month = sheet.month;
  const weeks = useMemo(() => weeksOf(month), [month]);
  const today = todayIn(i18n.zone);
  const [view, setView] = useState<'week' | 'month'>('week');
  const [week, setWeek] = useState(() => Math.max(0, weeks.findIndex((w) => w.includes(today))));
  const [cells, setCells] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [dirty, setDirty] = useState(false);

  const stored = useMemo(() => new Map(sheet.lines.map((l) => [keyOf(l.date, l.kind, l.memberId), l])), [sheet]);
  useEffect(() => {
    setCells(Object.fromEntries(sheet.lines.map((l) => [keyOf(l.date, l.kind, l.memberId), minutesInput(l.minutes)])));
    setDirty(false);
  }, [sheet]);
  useEffect(() => setWeek(Math.max(0, weeks.findIndex((w) => w.includes(today)))), [weeks]);

  const approvedMember = new Set(sheet.members.filter((m) => m.status === 'approved').map((m) => m.memberId));
  const locked = (c: GridColumn) => c.memberId !== null && approvedMember.has(c.memberId);
  const days = view === 'week' ? (weeks[week] ?? []) : weeks.flat();
  const minutesAt = (key: string) => parseMinutes(cells[key] ?? '');
  const invalid = Object.entries(cells).filter(([, text]) => parseMinutes(text) === null).map(([key]) => key);
  const columnTotal = (c: GridColumn) => weeks.flat().reduce((sum, d) => sum + (minutesAt(keyOf(d, c.kind, c.memberId)) ?? 0), 0);
  const dayTotal = (d: string) => columns.reduce((sum, c) => sum + (minutesAt(keyOf(d, c.kind, c.memberId)) ?? 0), 0);
  const monthTotal = columns.reduce((sum, c) => sum + columnTotal(c), 0);
  const paidMinutes = sheet.paidHours === null ? null : Math.round(sheet.paidHours * 60);

  const longDay = new Intl.DateTimeFormat(i18n.locale, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' });
  const shortDay = new Intl.DateTimeFormat(i18n.locale, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });
  const dayLabel = (d: string, f: Intl.DateTimeFormat) => f.format(new Date(`${d}T00:00:00Z`));

  const edit = (key: string, text: string) => {
    setCells((c) => ({ ...c, [key]: text }));
    setDirty(true);
  };

  /** Arrow keys between cells: up and down by day, left and right by column once the caret (or a whole selection) reaches the text's edge. */
  const onKeyDown = (event: KeyboardEvent) => {
    const input = event.target as HTMLInputElement;
    const row = Number(input.dataset.row);
    const col = Number(input.dataset.col);
    if (Number.isNaN(row) || Number.isNaN(col)) return;
    let next: [number, number] | null = null;
    if (event.key === 'ArrowDown') next = [row + 1, col];
    else if (event.key === 'ArrowUp') next = [row - 1, col];
    else if (event.key === 'ArrowLeft' && input.selectionStart === 0) next = [row, col - 1];
    else if (event.key === 'ArrowRight' && input.selectionEnd === input.value.length) next = [row, col + 1];
    if (!next) return;
    const target = (event.currentTarget as HTMLElement).querySelector<HTMLInputElement>(`input[data-row="${next[0]}"][data-col="${next[1]}"]`);
    if (target) {
      event.preventDefault();
      target.focus();
      target.select();
    }
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (invalid.length) {
      setError(new Error(t('timesheet.invalidCells', { n: invalid.length })));
      return;
    }
    const lines = Object.entries(cells)
      .map(([key, text]) => {
        const [date, kind, member] = key.split('|') as [string, TimesheetKind, string];
        return { date, kind, memberId: member ? Number(member) : null, minutes: parseMinutes(text) ?? 0 };
      })
      .filter((l) => l.minutes > 0);
    setBusy(true);
    try {
      const saved = await api.put<Timesheet>(`/api/employees/${props.employeeId}/timesheets/${month}`, { lines });
      notify(t('timesheet.saved'));
      props.onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={save} class="timesheet" data-testid="timesheet">
      {sheet.prefilled && <p class="alert alert-info">{t('timesheet.prefilled')}</p>}
      <div class="filters timesheet-tools">
        <div class="segmented" role="group" aria-label={t('timesheet.view')}>
          {(['week', 'month'] as const).map((v) => (
            <button key={v} type="button" class={view === v ? 'button button-on' : 'button'} aria-pressed={view === v} onClick={() => setView(v)}>
              {t(v === 'week' ? 'timesheet.viewWeek' : 'timesheet.viewMonth')}
            </button>
          ))}
        </div>
        {view === 'week' && (
          <div class="month-picker" role="group" aria-label={t('timesheet.week')}>
            <button type="button" class="button" onClick={() => setWeek(week - 1)} disabled={week === 0} aria-label={t('timesheet.previousWeek')}>
              ‹
            </button>
            <span class="month-label" aria-live="polite" data-testid="week-label">
              {t('timesheet.weekOf', { start: dayLabel(days[0] ?? month, shortDay), end: dayLabel(days[days.length - 1] ?? month, shortDay) })}
            </span>
            <button type="button" class="button" onClick={() => setWeek(week + 1)} disabled={week >= weeks.length - 1} aria-label={t('timesheet.nextWeek')}>
              ›
            </button>
          </div>
        )}
      </div>
      <p class="hint" id="timesheet-hint">
        {t('timesheet.hint')}
      </p>
      <TableWrap label={t('timesheet.caption', { month: i18n.month(month) })}>
        <table class="table timesheet-grid" onKeyDown={onKeyDown}>
          <caption class="visually-hidden">{t('timesheet.caption', { month: i18n.month(month) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('timesheet.day')}</th>
              {columns.map((c) => (
                <th scope="col" key={keyOf('', c.kind, c.memberId)} class="num">
                  {c.label}
                </th>
              ))}
              <th scope="col" class="num">
                {t('common.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {days.map((d, row) => {
              const weekend = isoWeekday(...(d.split('-').map(Number) as [number, number, number])) >= 6;
              return (
                <tr key={d} class={weekend ? 'weekend' : undefined} data-date={d}>
                  <th scope="row">
                    <span aria-hidden="true">{dayLabel(d, shortDay)}</span>
                    <span class="visually-hidden">{dayLabel(d, longDay)}</span>
                  </th>
                  {columns.map((c, col) => {
                    const key = keyOf(d, c.kind, c.memberId);
                    const line = stored.get(key);
                    const bad = parseMinutes(cells[key] ?? '') === null;
                    return (
                      <td key={key} data-label={c.label} class="num">
                        <input
                          class="hours-input"
                          type="text"
                          inputMode="decimal"
                          autoComplete="off"
                          aria-label={`${c.label}, ${dayLabel(d, longDay)}`}
                          aria-describedby="timesheet-hint"
                          aria-invalid={bad || undefined}
                          data-row={row}
                          data-col={col}
                          value={cells[key] ?? ''}
                          readOnly={locked(c)}
                          onInput={(e) => edit(key, e.currentTarget.value)}
                        />
                        {line?.status === 'disputed' && (
                          <span class="cell-note" role="note">
                            {t('timesheet.disputed', { comment: line.comment ?? '' })}
                          </span>
                        )}
                      </td>
                    );
                  })}
                  <td data-label={t('common.total')} class="num day-total">
                    {i18n.duration(dayTotal(d))}
                  </td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('timesheet.monthTotal')}</th>
              {columns.map((c) => (
                <td key={keyOf('', c.kind, c.memberId)} data-label={c.label} class="num">
                  {i18n.duration(columnTotal(c))}
                </td>
              ))}
              <td data-label={t('common.total')} class="num" data-testid="month-total">
                <strong>{i18n.duration(monthTotal)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </TableWrap>
      <div class="timesheet-summary">
        {paidMinutes !== null && (
          <p data-testid="paid-hours">
            {t('timesheet.paid', { paid: i18n.duration(paidMinutes), total: i18n.duration(monthTotal) })}{' '}
            {monthTotal === paidMinutes ? (
              <StatusBadge kind="confirmed">{t('timesheet.balanced')}</StatusBadge>
            ) : (
              <StatusBadge kind="pending">{t('timesheet.unbalanced', { gap: i18n.duration(Math.abs(paidMinutes - monthTotal)) })}</StatusBadge>
            )}
          </p>
        )}
        {approvedMember.size > 0 && <p class="hint">{t('timesheet.lockedHint')}</p>}
      </div>
      <ErrorMessage error={error} />
      <div class="form-actions form-actions-start">
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? t('timesheet.saving') : t('timesheet.save')}
        </button>
        {dirty && <span class="muted">{t('timesheet.unsaved')}</span>}
      </div>
    </form>
  );
}
