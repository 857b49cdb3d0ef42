import { useState } from 'preact/hooks';
import { TimesheetGrid, type GridColumn } from '../components/TimesheetGrid';
import { ErrorMessage, Loading, MonthPicker, PageHeader, StatusBadge } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { onLinkClick } from '../lib/router';
import { useSession } from '../lib/session';
import { addMonths, monthBounds, monthOf, zonedIso } from '../lib/time';
import type { Employee, Items, LendingAgreement, ScheduleItem, Timesheet } from '../lib/types';

const STATUS_KIND = { approved: 'confirmed', disputed: 'rejected', pending: 'pending' } as const;

/** The employee's own account: its timesheet and its schedule (it reads nothing else). */
export function OwnTimesheetPage() {
  const { t } = useI18n();
  const employees = useLoad(() => api.get<Items<Employee>>('/api/employees'), []);
  const employee = employees.data?.items[0];
  return (
    <section>
      <PageHeader title={t('nav.ownTimesheet')} />
      <ErrorMessage error={employees.error} />
      {employees.loading && !employees.data ? <Loading /> : employee ? <TimesheetPanel employee={employee} /> : <p class="muted empty-state">{t('timesheet.noEmployee')}</p>}
    </section>
  );
}

/** A coordinator fills in or corrects any employee's timesheet. */
export function EmployeeTimesheetPage({ id }: { id: number }) {
  const { t } = useI18n();
  const employee = useLoad(() => api.get<Employee>(`/api/employees/${id}`), [id]);
  return (
    <section>
      <p class="breadcrumb">
        <a href="/employees" onClick={onLinkClick}>
          ← {t('nav.employees')}
        </a>
      </p>
      <PageHeader title={employee.data ? t('timesheet.titleOf', { name: employee.data.name }) : t('timesheet.title')} />
      <ErrorMessage error={employee.error} />
      {employee.data ? <TimesheetPanel employee={employee.data} /> : !employee.error && <Loading />}
    </section>
  );
}

/**
 * A month of an employee: its grid (user members with an agreement or hours that month, own hours, absence), each
 * user member's approval, and the schedule (bookings of its time) to fill it in from.
 */
function TimesheetPanel({ employee }: { employee: Employee }) {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  const [month, setMonth] = useState(() => monthOf(Date.now(), zone));
  const sheet = useLoad(() => api.get<Timesheet>(`/api/employees/${employee.id}/timesheets/${month}`), [employee.id, month]);
  const schedule = useLoad(() => {
    const { start, end } = monthBounds(month, zone);
    return api.get<Items<ScheduleItem>>(`/api/employees/${employee.id}/schedule`, { from: zonedIso(start, zone), to: zonedIso(end, zone) });
  }, [employee.id, month]);
  // Coordinators also see the members whose agreement covers the month, before any hour is entered for them.
  const agreements = useLoad(
    () => (session.isCoordinator ? api.get<Items<LendingAgreement>>('/api/lending-agreements', { employeeId: employee.id }) : Promise.resolve({ items: [] })),
    [employee.id],
  );

  // An employee's account cannot read the structures: the schedule names those it works for.
  const names = new Map((schedule.data?.items ?? []).map((b) => [b.memberId, b.memberName]));
  const nameOf = (id: number) => names.get(id) ?? session.memberName(id);
  const lastDay = `${addMonths(month, 1)}-01`;
  const memberIds = new Set<number>();
  for (const l of sheet.data?.lines ?? []) if (l.kind === 'made_available' && l.memberId !== null) memberIds.add(l.memberId);
  for (const m of sheet.data?.members ?? []) memberIds.add(m.memberId);
  for (const b of schedule.data?.items ?? []) if (b.memberId !== employee.employerMemberId) memberIds.add(b.memberId);
  for (const a of agreements.data?.items ?? []) if (a.startDate < lastDay && a.endDate >= `${month}-01`) memberIds.add(a.userMemberId);
  const columns: GridColumn[] = [
    ...[...memberIds].map((id) => ({ kind: 'made_available' as const, memberId: id, label: nameOf(id) })).sort((a, b) => a.label.localeCompare(b.label)),
    { kind: 'own', memberId: null, label: t('timesheet.own') },
    { kind: 'absence', memberId: null, label: t('timesheet.absence') },
  ];

  return (
    <>
      <p class="muted">
        {employee.qualification} · {t('employees.weeklyHoursValue', { h: i18n.number(employee.weeklyHours) })}
      </p>
      <MonthPicker value={month} onChange={setMonth} />
      <ErrorMessage error={sheet.error ?? schedule.error} />
      {!sheet.data || !schedule.data ? (
        !sheet.error && <Loading />
      ) : (
        <>
          {sheet.data.members.length > 0 && (
            <ul class="inline-list" aria-label={t('timesheet.approvals')} data-testid="member-statuses">
              {sheet.data.members.map((m) => (
                <li key={m.memberId}>
                  {nameOf(m.memberId)} : <StatusBadge kind={STATUS_KIND[m.status]}>{t(`timesheet.status.${m.status}`)}</StatusBadge>
                </li>
              ))}
            </ul>
          )}
          <TimesheetGrid employeeId={employee.id} sheet={sheet.data} columns={columns} onSaved={sheet.set} />
          <h2>{t('timesheet.schedule')}</h2>
          {schedule.data.items.length === 0 ? (
            <p class="muted">{t('timesheet.scheduleEmpty')}</p>
          ) : (
            <ul class="schedule" data-testid="schedule">
              {schedule.data.items.map((b) => (
                <li key={b.id}>
                  <strong>{i18n.range(b.start, b.end)}</strong> — {b.memberName}
                  {b.status === 'pending' && (
                    <>
                      {' '}
                      <StatusBadge kind="pending">{t('status.pending')}</StatusBadge>
                    </>
                  )}
                  {b.note && <span class="muted"> · {b.note}</span>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}
