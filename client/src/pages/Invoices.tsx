import { useMemo, useState } from 'preact/hooks';
import { Dialog, DownloadLink, ErrorMessage, Loading, MonthPicker, PageHeader, StatusBadge, useNotify, TableWrap } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { useSession } from '../lib/session';
import { addMonths, monthOf, todayIn } from '../lib/time';
import type { Invoice, Items } from '../lib/types';

/** Invoices where the structure is seller or buyer (all for coordinators), their payment, and the monthly statements. */
export function InvoicesPage() {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  const notify = useNotify();
  const [month, setMonth] = useState<string | null>(null);
  const [memberId, setMemberId] = useState<number | ''>('');
  const [paying, setPaying] = useState<Invoice | null>(null);
  const invoices = useLoad(() => api.get<Items<Invoice>>('/api/invoices'), []);

  const months = useMemo(() => [...new Set((invoices.data?.items ?? []).map((inv) => inv.month ?? inv.periodStart.slice(0, 7)))].sort().reverse(), [invoices.data]);
  // Until the user picks one, the latest month with invoices is shown.
  const shownMonth = month ?? months[0] ?? '';
  const rows = useMemo(
    () =>
      (invoices.data?.items ?? [])
        .filter((inv) => !shownMonth || (inv.month ?? inv.periodStart.slice(0, 7)) === shownMonth)
        .filter((inv) => memberId === '' || inv.sellerMemberId === memberId || inv.buyerMemberId === memberId)
        .sort((a, b) => b.issueDate.localeCompare(a.issueDate) || b.number.localeCompare(a.number)),
    [invoices.data, shownMonth, memberId],
  );
  const today = todayIn(zone);
  const name = (inv: Invoice, side: 'seller' | 'buyer') => inv[side]?.name ?? session.memberName(side === 'seller' ? inv.sellerMemberId : inv.buyerMemberId);
  const mayRecordPayment = (inv: Invoice) => inv.id !== null && (session.isCoordinator || (session.me.role === 'member_admin' && inv.sellerMemberId === session.me.memberId));

  return (
    <section>
      <PageHeader title={t('invoices.title')} />
      <div class="filters">
        <div class="field field-inline">
          <label for="invoice-month">{t('common.month')}</label>
          <select id="invoice-month" value={shownMonth} onChange={(e) => setMonth(e.currentTarget.value)}>
            <option value="">{t('invoices.allMonths')}</option>
            {months.map((m) => (
              <option key={m} value={m}>
                {i18n.month(m)}
              </option>
            ))}
          </select>
        </div>
        {session.isCoordinator && (
          <div class="field field-inline">
            <label for="invoice-member">{t('common.member')}</label>
            <select id="invoice-member" value={String(memberId)} onChange={(e) => setMemberId(e.currentTarget.value ? Number(e.currentTarget.value) : '')}>
              <option value="">{t('common.all')}</option>
              {session.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <ErrorMessage error={invoices.error} />
      {invoices.loading && !invoices.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p class="muted">{t('invoices.none')}</p>
      ) : (
        <TableWrap label={t('invoices.title')}>
          <table class="table table-stack" data-testid="invoices">
            <thead>
              <tr>
                <th scope="col">{t('invoices.number')}</th>
                <th scope="col">
                  {t('invoices.seller')} → {t('invoices.buyer')}
                </th>
                <th scope="col">{t('invoices.issueDate')}</th>
                <th scope="col" class="num">
                  {t('invoices.amount')}
                </th>
                <th scope="col">{t('invoices.payment')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((inv) => (
                <tr key={inv.id ?? inv.number}>
                  <td data-label={t('invoices.number')} class="nowrap">
                    <strong>{inv.number}</strong>
                    {inv.kind === 'credit_note' && <span class="muted block small">{t('invoices.kind.credit_note')}</span>}
                  </td>
                  <td data-label={`${t('invoices.seller')} → ${t('invoices.buyer')}`} class="parties">
                    {name(inv, 'seller')}
                    <span class="muted"> → </span>
                    {name(inv, 'buyer')}
                  </td>
                  <td data-label={t('invoices.issueDate')} class="nowrap">
                    {i18n.day(inv.issueDate)}
                  </td>
                  <td data-label={t('invoices.amount')} class="num">
                    {i18n.money(inv.totalInclVatCents)}
                  </td>
                  <td data-label={t('invoices.payment')}>
                    {inv.paidOn ? (
                      <StatusBadge kind="confirmed">{t('invoices.paidOn', { date: i18n.day(inv.paidOn) })}</StatusBadge>
                    ) : inv.kind === 'credit_note' ? null : inv.dueDate < today ? (
                      <StatusBadge kind="rejected">{t('invoices.overdue')}</StatusBadge>
                    ) : (
                      <StatusBadge kind="pending">{t('invoices.unpaid')}</StatusBadge>
                    )}
                    {!inv.paidOn && inv.kind === 'invoice' && <span class="muted block small">{t('invoices.dueOn', { date: i18n.day(inv.dueDate) })}</span>}
                  </td>
                  <td data-label={t('common.actions')} class="actions">
                    {inv.id !== null && (
                      <DownloadLink href={`/api/invoices/${inv.id}/pdf`} context={t('invoices.pdfOf', { number: inv.number })}>
                        {t('common.downloadPdf')}
                      </DownloadLink>
                    )}
                    {!inv.paidOn && inv.kind === 'invoice' && mayRecordPayment(inv) && (
                      <button type="button" class="button button-small" onClick={() => setPaying(inv)}>
                        {t('invoices.markPaid')}
                        <span class="visually-hidden"> — {inv.number}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <Statements />
      {paying && (
        <PaymentDialog
          invoice={paying}
          onClose={() => setPaying(null)}
          onPaid={() => {
            setPaying(null);
            notify(t('invoices.paymentRecorded'));
            invoices.reload();
          }}
        />
      )}
    </section>
  );
}

function Statements() {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  const [month, setMonth] = useState(addMonths(monthOf(Date.now(), zone), -1));
  const [memberId, setMemberId] = useState<number | null>(session.me.memberId ?? session.members[0]?.id ?? null);
  return (
    <section class="card section" aria-labelledby="statements-title">
      <h2 id="statements-title">{t('invoices.statements')}</h2>
      <p class="muted">{t('invoices.statementHelp')}</p>
      <div class="filters">
        <MonthPicker value={month} onChange={setMonth} max={monthOf(Date.now(), zone)} />
        {session.isCoordinator && (
          <div class="field field-inline">
            <label for="statement-member">{t('common.member')}</label>
            <select id="statement-member" value={memberId ?? ''} onChange={(e) => setMemberId(Number(e.currentTarget.value))}>
              {session.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {memberId !== null && (
          <a class="button button-primary" href={`/api/statements/${month}/${memberId}/pdf`} download>
            {t('invoices.statementDownload', { month: i18n.month(month) })}
          </a>
        )}
      </div>
    </section>
  );
}

function PaymentDialog(props: { invoice: Invoice; onClose(): void; onPaid(): void }) {
  const { t, zone } = useI18n();
  const [date, setDate] = useState(todayIn(zone));
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await api.post(`/api/invoices/${props.invoice.id}/payment`, { paidOn: date });
      props.onPaid();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Dialog title={`${t('invoices.recordPayment')} — ${props.invoice.number}`} open onClose={props.onClose}>
      <form class="form" onSubmit={submit}>
        <ErrorMessage error={error} />
        <div class="field">
          <label for="payment-date">{t('invoices.paymentDate')}</label>
          <input id="payment-date" type="date" required value={date} onInput={(e) => setDate(e.currentTarget.value)} />
        </div>
        <div class="form-actions">
          <button type="button" class="button" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="button button-primary">
            {t('common.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
