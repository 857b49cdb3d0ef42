import { useRef, useState } from 'preact/hooks';
import { CheckboxField, Dialog, DownloadLink, EditButton, ErrorMessage, FormActions, Loading, PageHeader, StatusBadge, TableWrap, useFormSubmit, useNotify } from '../components/ui';
import { useI18n, type I18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { parseDecimal } from '../lib/hours';
import { parseCents } from '../lib/money';
import { useSession } from '../lib/session';
import type { Employee, Items, LendingAgreement } from '../lib/types';

/** What the agreement bills, in words: « salaire, charges sociales, frais ». */
function billedText(i18n: I18n, a: LendingAgreement): string {
  const low = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
  const parts = [a.billed.salary && i18n.t('agreements.billSalary'), a.billed.socialCharges && low(i18n.t('agreements.billCharges')), a.billed.reimbursedExpenses && low(i18n.t('agreements.billExpenses'))];
  const fees =
    a.managementFeesCents !== null ? i18n.t('agreements.feesAmountValue', { amount: i18n.money(a.managementFeesCents) }) : a.managementFeesRate !== null ? i18n.t('agreements.feesRateValue', { rate: i18n.number(a.managementFeesRate) }) : null;
  return [...parts.filter(Boolean), fees].filter(Boolean).join(', ');
}

/** Reads a chosen file as base64 (without the data: prefix). */
function fileBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read'));
    reader.readAsDataURL(file);
  });
}

/** « Conventions de mise à disposition »: one per employee and user member (C. trav. L8241-2), its draft and its signed copy. */
export function AgreementsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const notify = useNotify();
  const agreements = useLoad(() => api.get<Items<LendingAgreement>>('/api/lending-agreements'), []);
  const employees = useLoad(() => api.get<Items<Employee>>('/api/employees'), []);
  const [editing, setEditing] = useState<LendingAgreement | 'new' | null>(null);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const employeeName = (id: number) => employees.data?.items.find((e) => e.id === id)?.name ?? `#${id}`;
  const planned = (a: LendingAgreement) =>
    a.plannedMinutesPerMonth !== null ? t('agreements.plannedHoursValue', { h: i18n.duration(a.plannedMinutesPerMonth) }) : t('agreements.shareValue', { share: i18n.number(a.workingTimeShare ?? 0) });

  const upload = async (a: LendingAgreement, input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setUploadError(null);
    try {
      const saved = await api.put<LendingAgreement>(`/api/lending-agreements/${a.id}/signed-pdf`, { pdfBase64: await fileBase64(file) });
      agreements.set({ items: (agreements.data?.items ?? []).map((x) => (x.id === saved.id ? saved : x)) });
      notify(t('agreements.signedUploaded', { name: employeeName(a.employeeId) }));
    } catch (err) {
      setUploadError(err);
    }
  };

  return (
    <section>
      <PageHeader title={t('nav.agreements')}>
        <button type="button" class="button button-primary" onClick={() => setEditing('new')} disabled={!employees.data?.items.length}>
          {t('agreements.new')}
        </button>
      </PageHeader>
      <p class="muted">{t('agreements.intro')}</p>
      <ErrorMessage error={agreements.error ?? employees.error ?? uploadError} />
      {agreements.loading && !agreements.data ? (
        <Loading />
      ) : agreements.data?.items.length === 0 ? (
        <p class="muted empty-state">{t('agreements.empty')}</p>
      ) : (
        <TableWrap label={t('nav.agreements')}>
          <table class="table table-stack" data-testid="agreements">
            <thead>
              <tr>
                <th scope="col">{t('agreements.employee')}</th>
                <th scope="col">{t('agreements.parties')}</th>
                <th scope="col">{t('agreements.period')}</th>
                <th scope="col">{t('agreements.planned')}</th>
                <th scope="col">{t('agreements.billed')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {(agreements.data?.items ?? []).map((a) => (
                <tr key={a.id}>
                  <td data-label={t('agreements.employee')}>
                    <strong>{employeeName(a.employeeId)}</strong>
                  </td>
                  <td data-label={t('agreements.parties')} class="parties">
                    {session.memberName(a.lenderMemberId)}
                    <span class="muted"> → </span>
                    {session.memberName(a.userMemberId)}
                  </td>
                  <td data-label={t('agreements.period')} class="nowrap">
                    {i18n.day(a.startDate)} – {i18n.day(a.endDate)}
                  </td>
                  <td data-label={t('agreements.planned')}>{planned(a)}</td>
                  <td data-label={t('agreements.billed')} class="small">
                    {billedText(i18n, a)}
                  </td>
                  <td data-label={t('common.status')}>
                    {a.inForceToday ? <StatusBadge kind="confirmed">{t('agreements.inForce')}</StatusBadge> : <StatusBadge kind="cancelled">{t('agreements.notInForce')}</StatusBadge>}
                    {(a.consentDate === null || a.amendmentDate === null) && <span class="muted block small">{t('agreements.missingDates')}</span>}
                    {a.signedPdf ? (
                      <span class="muted block small">{t('agreements.signedOn', { date: i18n.day(a.signedPdf.uploadedAt) })}</span>
                    ) : (
                      <span class="muted block small">{t('agreements.notSigned')}</span>
                    )}
                  </td>
                  <td data-label={t('common.actions')} class="actions">
                    <div class="action-group">
                      <EditButton onClick={() => setEditing(a)} label={t('agreements.editButton', { name: employeeName(a.employeeId), member: session.memberName(a.userMemberId) })} />
                      <DownloadLink href={`/api/lending-agreements/${a.id}/draft.pdf`} context={employeeName(a.employeeId)}>
                        {t('agreements.draft')}
                      </DownloadLink>
                      {a.signedPdf && (
                        <DownloadLink href={`/api/lending-agreements/${a.id}/signed-pdf`} context={employeeName(a.employeeId)}>
                          {t('agreements.signed')}
                        </DownloadLink>
                      )}
                      <UploadButton label={t(a.signedPdf ? 'agreements.replaceSigned' : 'agreements.uploadSigned')} context={employeeName(a.employeeId)} onFile={(input) => void upload(a, input)} />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {editing && (
        <AgreementDialog
          agreement={editing === 'new' ? null : editing}
          employees={employees.data?.items ?? []}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            notify(t('agreements.saved'));
            agreements.reload();
          }}
        />
      )}
    </section>
  );
}

/** A button that opens the file chooser (PDF only); the hidden input holds the file. */
function UploadButton({ label, context, onFile }: { label: string; context: string; onFile(input: HTMLInputElement): void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" class="button button-small" onClick={() => input.current?.click()}>
        {label}
        <span class="visually-hidden"> — {context}</span>
      </button>
      <input ref={input} type="file" accept="application/pdf,.pdf" hidden aria-hidden="true" tabIndex={-1} onChange={(e) => onFile(e.currentTarget)} />
    </>
  );
}

type Fees = 'none' | 'amount' | 'rate';

function AgreementDialog(props: { agreement: LendingAgreement | null; employees: Employee[]; onClose(): void; onSaved(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const a = props.agreement;
  const plain = (n: number) => i18n.number(n).replace(/\s/g, '');
  const [employeeId, setEmployeeId] = useState<number>(a?.employeeId ?? props.employees[0]?.id ?? 0);
  const employee = props.employees.find((e) => e.id === employeeId);
  const others = session.members.filter((m) => m.id !== employee?.employerMemberId);
  const [userMemberId, setUserMemberId] = useState<number>(a?.userMemberId ?? others[0]?.id ?? 0);
  const [startDate, setStartDate] = useState(a?.startDate ?? '');
  const [endDate, setEndDate] = useState(a?.endDate ?? '');
  const [plannedKind, setPlannedKind] = useState<'hours' | 'share'>(a?.workingTimeShare != null ? 'share' : 'hours');
  const [plannedHours, setPlannedHours] = useState(a?.plannedMinutesPerMonth != null ? plain(a.plannedMinutesPerMonth / 60) : '');
  const [share, setShare] = useState(a?.workingTimeShare != null ? plain(a.workingTimeShare) : '');
  const [charges, setCharges] = useState(a?.billed.socialCharges ?? true);
  const [expenses, setExpenses] = useState(a?.billed.reimbursedExpenses ?? true);
  const [fees, setFees] = useState<Fees>(a?.managementFeesCents != null ? 'amount' : a?.managementFeesRate != null ? 'rate' : 'none');
  const [feesAmount, setFeesAmount] = useState(a?.managementFeesCents != null ? plain(a.managementFeesCents / 100) : '');
  const [feesRate, setFeesRate] = useState(a?.managementFeesRate != null ? plain(a.managementFeesRate) : '');
  const [consentDate, setConsentDate] = useState(a?.consentDate ?? '');
  const [amendmentDate, setAmendmentDate] = useState(a?.amendmentDate ?? '');

  const { error, busy, onSubmit } = useFormSubmit(async () => {
    const body: Record<string, unknown> = {
      startDate,
      endDate,
      billed: { salary: true, socialCharges: charges, reimbursedExpenses: expenses },
      consentDate: consentDate || null,
      amendmentDate: amendmentDate || null,
    };
    if (plannedKind === 'hours') {
      const hours = parseDecimal(plannedHours);
      if (hours === null || hours <= 0) throw new Error(t('agreements.badPlanned'));
      Object.assign(body, { plannedMinutesPerMonth: Math.round(hours * 60), workingTimeShare: null });
    } else {
      const percent = parseDecimal(share);
      if (percent === null || percent <= 0 || percent > 100) throw new Error(t('agreements.badShare'));
      Object.assign(body, { workingTimeShare: percent, plannedMinutesPerMonth: null });
    }
    const cents = fees === 'amount' ? parseCents(feesAmount) : null;
    const rate = fees === 'rate' ? parseDecimal(feesRate) : null;
    if (fees === 'amount' && cents === null) throw new Error(t('agreements.badFees'));
    if (fees === 'rate' && (rate === null || rate > 100)) throw new Error(t('agreements.badFees'));
    Object.assign(body, { managementFeesCents: cents, managementFeesRate: rate });
    if (a) await api.patch(`/api/lending-agreements/${a.id}`, body);
    else await api.post('/api/lending-agreements', { ...body, employeeId, userMemberId: others.some((m) => m.id === userMemberId) ? userMemberId : others[0]?.id });
    props.onSaved();
  });

  return (
    <Dialog title={a ? t('agreements.edit', { name: employee?.name ?? '', member: session.memberName(a.userMemberId) }) : t('agreements.new')} open onClose={props.onClose} wide>
      <form class="form" onSubmit={onSubmit} data-testid="agreement-form">
        <ErrorMessage error={error} />
        <div class="form-row">
          <div class="field">
            <label for="agr-employee">{t('agreements.employee')}</label>
            <select id="agr-employee" value={employeeId} disabled={a !== null} onChange={(e) => setEmployeeId(Number(e.currentTarget.value))}>
              {props.employees.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="agr-user">{t('agreements.userMember')}</label>
            <select id="agr-user" value={userMemberId} disabled={a !== null} onChange={(e) => setUserMemberId(Number(e.currentTarget.value))}>
              {others.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        {employee && <p class="hint">{t('agreements.lenderIs', { member: session.memberName(employee.employerMemberId) })}</p>}
        <div class="form-row">
          <div class="field">
            <label for="agr-start">{t('agreements.startDate')}</label>
            <input id="agr-start" type="date" required value={startDate} onInput={(e) => setStartDate(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="agr-end">{t('agreements.endDate')}</label>
            <input id="agr-end" type="date" required min={startDate} value={endDate} onInput={(e) => setEndDate(e.currentTarget.value)} />
          </div>
        </div>
        <fieldset class="fieldset">
          <legend>{t('agreements.planned')}</legend>
          <div class="form-row">
            <div class="field">
              <label for="agr-planned-kind">{t('agreements.plannedKind')}</label>
              <select id="agr-planned-kind" value={plannedKind} onChange={(e) => setPlannedKind(e.currentTarget.value as 'hours' | 'share')}>
                <option value="hours">{t('agreements.plannedHours')}</option>
                <option value="share">{t('agreements.share')}</option>
              </select>
            </div>
            {plannedKind === 'hours' ? (
              <div class="field">
                <label for="agr-planned">{t('agreements.plannedHours')}</label>
                <input id="agr-planned" required inputMode="decimal" value={plannedHours} onInput={(e) => setPlannedHours(e.currentTarget.value)} />
              </div>
            ) : (
              <div class="field">
                <label for="agr-share">{t('agreements.share')}</label>
                <input id="agr-share" required inputMode="decimal" value={share} onInput={(e) => setShare(e.currentTarget.value)} />
              </div>
            )}
          </div>
        </fieldset>
        <fieldset class="fieldset">
          <legend>{t('agreements.billed')}</legend>
          <p class="hint">{t('agreements.billedHint')}</p>
          <CheckboxField label={t('agreements.billCharges')} checked={charges} onChange={setCharges} />
          <CheckboxField label={t('agreements.billExpenses')} checked={expenses} onChange={setExpenses} />
          <div class="form-row">
            <div class="field">
              <label for="agr-fees">{t('agreements.fees')}</label>
              <select id="agr-fees" value={fees} onChange={(e) => setFees(e.currentTarget.value as Fees)}>
                <option value="none">{t('agreements.feesNone')}</option>
                <option value="amount">{t('agreements.feesAmount')}</option>
                <option value="rate">{t('agreements.feesRate')}</option>
              </select>
            </div>
            {fees === 'amount' && (
              <div class="field">
                <label for="agr-fees-amount">{t('agreements.feesAmount')}</label>
                <input id="agr-fees-amount" required inputMode="decimal" value={feesAmount} onInput={(e) => setFeesAmount(e.currentTarget.value)} />
              </div>
            )}
            {fees === 'rate' && (
              <div class="field">
                <label for="agr-fees-rate">{t('agreements.feesRate')}</label>
                <input id="agr-fees-rate" required inputMode="decimal" value={feesRate} onInput={(e) => setFeesRate(e.currentTarget.value)} />
              </div>
            )}
          </div>
        </fieldset>
        <div class="form-row">
          <div class="field">
            <label for="agr-consent">
              {t('agreements.consentDate')} <span class="muted">{t('common.optional')}</span>
            </label>
            <input id="agr-consent" type="date" value={consentDate} onInput={(e) => setConsentDate(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="agr-amendment">
              {t('agreements.amendmentDate')} <span class="muted">{t('common.optional')}</span>
            </label>
            <input id="agr-amendment" type="date" value={amendmentDate} onInput={(e) => setAmendmentDate(e.currentTarget.value)} />
          </div>
        </div>
        <p class="hint">{t('agreements.inForceHint')}</p>
        <FormActions onCancel={props.onClose} busy={busy} submitLabel={a ? t('common.save') : t('common.create')} />
      </form>
    </Dialog>
  );
}
