import { useState } from 'preact/hooks';
import { ErrorMessage, Loading, MonthPicker, PageHeader, StatusBadge, TableWrap, useNotify } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { useSession } from '../lib/session';
import { addMonths, monthOf } from '../lib/time';
import type { Employee, Items, Timesheet } from '../lib/types';

const STATUS_KIND = { approved: 'confirmed', disputed: 'rejected', pending: 'pending' } as const;

/**
 * « Validation des heures »: a user member's admin approves the month of each employee lent to its structure,
 * or disputes some days with a comment. Coordinators may act for any structure.
 */
export function TimesheetApprovalsPage() {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  // The month just ended is the one to approve, until it is closed.
  const [month, setMonth] = useState(() => addMonths(monthOf(Date.now(), zone), -1));
  const [memberId, setMemberId] = useState<number | null>(session.me.memberId ?? null);
  const employees = useLoad(() => api.get<Items<Employee>>('/api/employees'), []);
  const lent = (employees.data?.items ?? []).filter((e) => e.employerMemberId !== memberId);
  const sheets = useLoad(
    () =>
      memberId === null
        ? Promise.resolve([] as Timesheet[])
        : Promise.all(lent.map((e) => api.get<Timesheet>(`/api/employees/${e.id}/timesheets/${month}`))),
    [employees.data, month, memberId],
  );
  const mine = (sheets.data ?? []).filter((s) => s.lines.some((l) => l.kind === 'made_available' && l.memberId === memberId));

  return (
    <section>
      <PageHeader title={t('nav.timesheetApprovals')} />
      <p class="muted">{t('hoursApproval.timesheetsIntro')}</p>
      <div class="filters">
        <MonthPicker value={month} onChange={setMonth} />
        {session.isCoordinator && (
          <div class="field field-inline">
            <label for="approval-member">{t('common.member')}</label>
            <select id="approval-member" value={memberId ?? ''} onChange={(e) => setMemberId(e.currentTarget.value ? Number(e.currentTarget.value) : null)}>
              <option value="">—</option>
              {session.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <ErrorMessage error={employees.error ?? sheets.error} />
      {memberId === null ? (
        <p class="muted empty-state">{t('hoursApproval.pickMember')}</p>
      ) : !employees.data || (sheets.loading && !sheets.data) ? (
        <Loading />
      ) : mine.length === 0 ? (
        <p class="muted empty-state">{t('hoursApproval.noTimesheet', { month: i18n.month(month) })}</p>
      ) : (
        mine.map((s) => (
          <MemberMonth
            key={`${s.employeeId}-${month}`}
            employee={lent.find((e) => e.id === s.employeeId)!}
            sheet={s}
            memberId={memberId}
            onDecided={(next) => sheets.set((sheets.data ?? []).map((x) => (x.employeeId === next.employeeId ? next : x)))}
          />
        ))
      )}
    </section>
  );
}

function MemberMonth(props: { employee: Employee; sheet: Timesheet; memberId: number; onDecided(sheet: Timesheet): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const notify = useNotify();
  const { employee, sheet, memberId } = props;
  const lines = sheet.lines.filter((l) => l.kind === 'made_available' && l.memberId === memberId);
  const status = sheet.members.find((m) => m.memberId === memberId)?.status ?? 'pending';
  const total = lines.reduce((sum, l) => sum + l.minutes, 0);
  const [disputing, setDisputing] = useState(false);
  const [comments, setComments] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const decide = async (decision: 'approve' | 'dispute') => {
    setError(null);
    const disputes = Object.entries(comments)
      .filter(([, c]) => c.trim())
      .map(([date, comment]) => ({ date, comment: comment.trim() }));
    if (decision === 'dispute' && disputes.length === 0) {
      setError(new Error(t('hoursApproval.disputeNeedsComment')));
      return;
    }
    setBusy(true);
    try {
      const next = await api.post<Timesheet>(`/api/employees/${employee.id}/timesheets/${sheet.month}/decision`, { memberId, decision, ...(decision === 'dispute' ? { disputes } : {}) });
      notify(t(decision === 'approve' ? 'hoursApproval.monthApproved' : 'hoursApproval.disputeSent', { name: employee.name, month: i18n.month(sheet.month) }));
      setDisputing(false);
      setComments({});
      props.onDecided(next);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const headingId = `approval-${employee.id}`;
  return (
    <article class="card approval-card" aria-labelledby={headingId} data-testid="timesheet-approval">
      <h2 id={headingId} class="card-title">
        {employee.name} <span class="muted small">· {employee.qualification}</span>
      </h2>
      <p>
        {t('hoursApproval.hoursOfMonth', { h: i18n.duration(total), month: i18n.month(sheet.month) })}{' '}
        <StatusBadge kind={STATUS_KIND[status]}>{t(`timesheet.status.${status}`)}</StatusBadge>
      </p>
      <TableWrap label={t('hoursApproval.linesOf', { name: employee.name })}>
        <table class="table table-stack">
          <thead>
            <tr>
              <th scope="col">{t('timesheet.day')}</th>
              <th scope="col" class="num">
                {t('hoursApproval.hours')}
              </th>
              <th scope="col">{t('common.status')}</th>
              {disputing && <th scope="col">{t('hoursApproval.comment')}</th>}
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.date}>
                <td data-label={t('timesheet.day')}>{i18n.day(l.date)}</td>
                <td data-label={t('hoursApproval.hours')} class="num">
                  {i18n.duration(l.minutes)}
                </td>
                <td data-label={t('common.status')}>
                  <StatusBadge kind={l.status === 'approved' ? 'confirmed' : l.status === 'disputed' ? 'rejected' : 'pending'}>{t(`timesheet.lineStatus.${l.status}`)}</StatusBadge>
                  {l.comment && <span class="muted block small">{l.comment}</span>}
                </td>
                {disputing && (
                  <td data-label={t('hoursApproval.comment')}>
                    <input
                      type="text"
                      maxLength={1000}
                      aria-label={t('hoursApproval.commentFor', { date: i18n.day(l.date) })}
                      value={comments[l.date] ?? ''}
                      onInput={(e) => setComments({ ...comments, [l.date]: e.currentTarget.value })}
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <ErrorMessage error={error} />
      {status !== 'approved' && (
        <div class="form-actions form-actions-start">
          {disputing ? (
            <>
              <button type="button" class="button" onClick={() => setDisputing(false)}>
                {t('common.cancel')}
              </button>
              <button type="button" class="button button-danger" disabled={busy} onClick={() => void decide('dispute')}>
                {t('hoursApproval.sendDispute')}
              </button>
            </>
          ) : (
            <>
              <button type="button" class="button" onClick={() => setDisputing(true)}>
                {t('hoursApproval.dispute')}
              </button>
              <button type="button" class="button button-primary" disabled={busy} onClick={() => void decide('approve')}>
                {t('hoursApproval.approveMonth')}
              </button>
            </>
          )}
        </div>
      )}
      {disputing && <p class="hint">{t('hoursApproval.disputeHint')}</p>}
    </article>
  );
}
