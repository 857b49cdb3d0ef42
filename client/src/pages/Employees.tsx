import { useState } from 'preact/hooks';
import { CheckboxField, Dialog, EditButton, ErrorMessage, FormActions, Loading, MonthPicker, PageHeader, StatusBadge, TableWrap, useFormSubmit, useNotify } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { parseDecimal } from '../lib/hours';
import { parseCents } from '../lib/money';
import { onLinkClick } from '../lib/router';
import { useSession } from '../lib/session';
import { addMonths, monthOf } from '../lib/time';
import type { Employee, Items, Payroll, Resource, User } from '../lib/types';

/** « Salariés partagés »: coordinators record the employees lent at cost, their accounts and monthly payroll figures. */
export function EmployeesPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const notify = useNotify();
  const employees = useLoad(() => api.get<Items<Employee>>('/api/employees'), []);
  const resources = useLoad(() => api.get<Items<Resource>>('/api/resources'), []);
  const users = useLoad(() => api.get<Items<User>>('/api/users'), []);
  const [editing, setEditing] = useState<Employee | 'new' | null>(null);
  const [payroll, setPayroll] = useState<Employee | null>(null);
  const resourceName = (id: number | null) => (id === null ? '—' : (resources.data?.items.find((r) => r.id === id)?.name ?? `#${id}`));
  const userOf = (id: number | null) => (id === null ? null : (users.data?.items.find((u) => u.id === id) ?? null));

  return (
    <section>
      <PageHeader title={t('nav.employees')}>
        <button type="button" class="button button-primary" onClick={() => setEditing('new')}>
          {t('employees.new')}
        </button>
      </PageHeader>
      <p class="muted">{t('employees.intro')}</p>
      <ErrorMessage error={employees.error} />
      {employees.loading && !employees.data ? (
        <Loading />
      ) : employees.data?.items.length === 0 ? (
        <p class="muted empty-state">{t('employees.empty')}</p>
      ) : (
        <TableWrap label={t('nav.employees')}>
          <table class="table table-stack" data-testid="employees">
            <thead>
              <tr>
                <th scope="col">{t('common.name')}</th>
                <th scope="col">{t('employees.employer')}</th>
                <th scope="col" class="num">
                  {t('employees.weeklyHours')}
                </th>
                <th scope="col">{t('employees.resource')}</th>
                <th scope="col">{t('employees.account')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {(employees.data?.items ?? []).map((e) => (
                <tr key={e.id} class={e.active ? undefined : 'row-muted'}>
                  <td data-label={t('common.name')}>
                    <strong>{e.name}</strong>
                    <span class="muted block small">{e.qualification}</span>
                    {!e.active && <StatusBadge kind="cancelled">{t('common.inactive')}</StatusBadge>}
                  </td>
                  <td data-label={t('employees.employer')}>{session.memberName(e.employerMemberId)}</td>
                  <td data-label={t('employees.weeklyHours')} class="num">
                    {i18n.number(e.weeklyHours)}
                  </td>
                  <td data-label={t('employees.resource')}>{resourceName(e.resourceId)}</td>
                  <td data-label={t('employees.account')}>{userOf(e.userId)?.email ?? '—'}</td>
                  <td data-label={t('common.actions')} class="actions">
                    <div class="action-group">
                      <EditButton onClick={() => setEditing(e)} label={t('employees.edit', { name: e.name })} />
                      <button type="button" class="button button-small" onClick={() => setPayroll(e)} aria-label={t('employees.payrollOf', { name: e.name })}>
                        {t('employees.payroll')}
                      </button>
                      <a class="button button-small" href={`/employees/${e.id}/timesheet`} onClick={onLinkClick}>
                        {t('employees.timesheet')}
                        <span class="visually-hidden"> — {e.name}</span>
                      </a>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {editing && (
        <EmployeeDialog
          employee={editing === 'new' ? null : editing}
          resources={(resources.data?.items ?? []).filter((r) => r.kind === 'staff')}
          users={(users.data?.items ?? []).filter((u) => u.role === 'staff')}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            notify(t('employees.saved'));
            employees.reload();
          }}
        />
      )}
      {payroll && <PayrollDialog employee={payroll} onClose={() => setPayroll(null)} />}
    </section>
  );
}

function EmployeeDialog(props: { employee: Employee | null; resources: Resource[]; users: User[]; onClose(): void; onSaved(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const e = props.employee;
  const [name, setName] = useState(e?.name ?? '');
  const [qualification, setQualification] = useState(e?.qualification ?? '');
  const [employer, setEmployer] = useState<number>(e?.employerMemberId ?? session.members[0]?.id ?? 0);
  const [weeklyHours, setWeeklyHours] = useState(e ? i18n.number(e.weeklyHours).replace(/\s/g, '') : '35');
  const [resourceId, setResourceId] = useState<number | null>(e?.resourceId ?? null);
  const [userId, setUserId] = useState<number | null>(e?.userId ?? null);
  const [active, setActive] = useState(e?.active ?? true);
  // The staff resource is borne by the employer (it bears the salary); the account belongs to the employer too.
  const resources = props.resources.filter((r) => r.bearerMemberId === employer);
  const users = props.users.filter((u) => u.memberId === employer);

  const { error, busy, onSubmit } = useFormSubmit(async () => {
    const hours = parseDecimal(weeklyHours);
    if (hours === null || hours <= 0) throw new Error(t('employees.badHours'));
    const body: Record<string, unknown> = {
      name: name.trim(),
      qualification: qualification.trim(),
      employerMemberId: employer,
      weeklyHours: hours,
      resourceId: resources.some((r) => r.id === resourceId) ? resourceId : null,
      userId: users.some((u) => u.id === userId) ? userId : null,
    };
    if (e) await api.patch(`/api/employees/${e.id}`, { ...body, active });
    else await api.post('/api/employees', body);
    props.onSaved();
  });

  return (
    <Dialog title={e ? t('employees.edit', { name: e.name }) : t('employees.new')} open onClose={props.onClose}>
      <form class="form" onSubmit={onSubmit}>
        <ErrorMessage error={error} />
        <div class="field">
          <label for="emp-name">{t('common.name')}</label>
          <input id="emp-name" required maxLength={200} value={name} onInput={(ev) => setName(ev.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="emp-qualification">{t('employees.qualification')}</label>
          <input id="emp-qualification" required maxLength={200} value={qualification} onInput={(ev) => setQualification(ev.currentTarget.value)} />
        </div>
        <div class="form-row">
          <div class="field">
            <label for="emp-employer">{t('employees.employer')}</label>
            <select id="emp-employer" value={employer} onChange={(ev) => setEmployer(Number(ev.currentTarget.value))}>
              {session.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="emp-hours">{t('employees.weeklyHours')}</label>
            <input id="emp-hours" required inputMode="decimal" value={weeklyHours} onInput={(ev) => setWeeklyHours(ev.currentTarget.value)} />
          </div>
        </div>
        <div class="field">
          <label for="emp-resource">{t('employees.resource')}</label>
          <select id="emp-resource" aria-describedby="emp-resource-hint" value={resourceId ?? ''} onChange={(ev) => setResourceId(ev.currentTarget.value ? Number(ev.currentTarget.value) : null)}>
            <option value="">{t('common.none')}</option>
            {resources.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          <small id="emp-resource-hint" class="hint">
            {t('employees.resourceHint')}
          </small>
        </div>
        <div class="field">
          <label for="emp-user">{t('employees.account')}</label>
          <select id="emp-user" aria-describedby="emp-user-hint" value={userId ?? ''} onChange={(ev) => setUserId(ev.currentTarget.value ? Number(ev.currentTarget.value) : null)}>
            <option value="">{t('common.none')}</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.email})
              </option>
            ))}
          </select>
          <small id="emp-user-hint" class="hint">
            {t('employees.accountHint')}
          </small>
        </div>
        {e && <CheckboxField label={t('common.active')} checked={active} onChange={setActive} />}
        <FormActions onCancel={props.onClose} busy={busy} submitLabel={e ? t('common.save') : t('common.create')} />
      </form>
    </Dialog>
  );
}

/** The month's payroll figures (from the payslip); they become the staff resource's costs of the month. */
function PayrollDialog(props: { employee: Employee; onClose(): void }) {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const notify = useNotify();
  const { employee } = props;
  const [month, setMonth] = useState(() => addMonths(monthOf(Date.now(), zone), -1));
  const list = useLoad(() => api.get<Items<Payroll>>(`/api/employees/${employee.id}/payroll`), [employee.id]);
  const current = list.data?.items.find((p) => p.month === month);
  const money = (cents: number | undefined) => (cents === undefined ? '' : i18n.number(cents / 100).replace(/\s/g, ''));
  const [values, setValues] = useState<Record<string, string> | null>(null);
  const shown = values ?? {
    gross: money(current?.grossSalaryCents),
    charges: money(current?.employerChargesCents),
    expenses: current ? money(current.reimbursedExpensesCents) : '0',
    paid: current ? i18n.number(current.paidHours).replace(/\s/g, '') : '',
  };
  const set = (name: string, value: string) => setValues({ ...shown, [name]: value });

  const { error, busy, onSubmit } = useFormSubmit(async () => {
    const gross = parseCents(shown.gross ?? '');
    const charges = parseCents(shown.charges ?? '');
    const expenses = parseCents(shown.expenses ?? '');
    const paid = parseDecimal(shown.paid ?? '');
    if (gross === null || charges === null || expenses === null) throw new Error(t('employees.badAmount'));
    if (paid === null || paid <= 0) throw new Error(t('employees.badPaidHours'));
    await api.put(`/api/employees/${employee.id}/payroll/${month}`, { grossSalaryCents: gross, employerChargesCents: charges, reimbursedExpensesCents: expenses, paidHours: paid });
    notify(t('employees.payrollSaved', { name: employee.name, month: i18n.month(month) }));
    setValues(null);
    list.reload();
  });

  return (
    <Dialog title={t('employees.payrollOf', { name: employee.name })} open onClose={props.onClose}>
      <form class="form" onSubmit={onSubmit} data-testid="payroll-form">
        <MonthPicker
          value={month}
          onChange={(m) => {
            setMonth(m);
            setValues(null);
          }}
        />
        <p class="hint">{current ? t('employees.payrollReplaces') : t('employees.payrollHint')}</p>
        <ErrorMessage error={error ?? list.error} />
        <div class="form-row">
          <div class="field">
            <label for="pay-gross">{t('employees.grossSalary')}</label>
            <input id="pay-gross" required inputMode="decimal" value={shown.gross} onInput={(ev) => set('gross', ev.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="pay-charges">{t('employees.employerCharges')}</label>
            <input id="pay-charges" required inputMode="decimal" value={shown.charges} onInput={(ev) => set('charges', ev.currentTarget.value)} />
          </div>
        </div>
        <div class="form-row">
          <div class="field">
            <label for="pay-expenses">{t('employees.reimbursedExpenses')}</label>
            <input id="pay-expenses" required inputMode="decimal" value={shown.expenses} onInput={(ev) => set('expenses', ev.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="pay-hours">{t('employees.paidHours')}</label>
            <input id="pay-hours" required inputMode="decimal" value={shown.paid} onInput={(ev) => set('paid', ev.currentTarget.value)} />
          </div>
        </div>
        {list.data && list.data.items.length > 0 && (
          <TableWrap label={t('employees.payrollMonths')}>
            <table class="table">
              <caption class="visually-hidden">{t('employees.payrollMonths')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('common.month')}</th>
                  <th scope="col" class="num">
                    {t('employees.grossSalary')}
                  </th>
                  <th scope="col" class="num">
                    {t('employees.employerCharges')}
                  </th>
                  <th scope="col" class="num">
                    {t('employees.reimbursedExpenses')}
                  </th>
                  <th scope="col" class="num">
                    {t('employees.paidHours')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...list.data.items]
                  .sort((a, b) => b.month.localeCompare(a.month))
                  .map((p) => (
                    <tr key={p.month}>
                      <td>{i18n.month(p.month)}</td>
                      <td class="num">{i18n.money(p.grossSalaryCents)}</td>
                      <td class="num">{i18n.money(p.employerChargesCents)}</td>
                      <td class="num">{i18n.money(p.reimbursedExpensesCents)}</td>
                      <td class="num">{i18n.number(p.paidHours)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <FormActions onCancel={props.onClose} busy={busy} submitLabel={t('common.save')} />
      </form>
    </Dialog>
  );
}
