import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { parseCents } from '../lib/money';
import { useSession } from '../lib/session';
import { todayIn } from '../lib/time';
import { PAYMENT_METHODS, type Invoice, type Items, type Payment, type PaymentMethod } from '../lib/types';
import { Dialog, ErrorMessage, Loading, SelectField, TableWrap, useConfirm, useNotify } from './ui';

/**
 * Coordinators and the seller's member admins record and delete payments (`POST /api/invoices/:id/payments`,
 * `DELETE /api/payments/:id`, as server/shared/actor assertAdminOf rules); everyone who sees the invoice sees them.
 */
export function mayManagePayments(session: ReturnType<typeof useSession>, invoice: Invoice): boolean {
  return session.isCoordinator || (session.me.role === 'member_admin' && session.me.memberId === invoice.sellerMemberId);
}

/**
 * The payments of an invoice: the list (date, amount, method, reference; deleted ones struck through, kept for
 * the audit trail), what is paid and still open, and a form for a partial or whole payment. The amount starts at
 * the open balance; the server refuses more than that (422 payment.exceeds_balance), which is shown as it says.
 */
export function PaymentsDialog(props: { invoice: Invoice; onClose(): void; onChanged(): void }) {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  const confirm = useConfirm();
  const notify = useNotify();
  const { invoice } = props;
  const payments = useLoad(() => api.get<Items<Payment>>(`/api/invoices/${invoice.id}/payments`), [invoice.id]);
  const manage = mayManagePayments(session, invoice);
  const [deleteError, setDeleteError] = useState<unknown>(null);

  const remove = async (p: Payment) => {
    const ok = await confirm(t('payments.deleteConfirm', { amount: i18n.money(p.amountCents), date: i18n.day(p.paidOn) }), t('payments.delete'));
    if (!ok) return;
    setDeleteError(null);
    try {
      await api.del(`/api/payments/${p.id}`);
      notify(t('payments.deleted', { amount: i18n.money(p.amountCents) }));
      payments.reload();
      props.onChanged();
    } catch (err) {
      setDeleteError(err);
    }
  };

  return (
    <Dialog title={t('payments.title', { number: invoice.number })} open onClose={props.onClose} wide>
      <dl class="balance" data-testid="payment-summary">
        <div>
          <dt>{t('invoices.amount')}</dt>
          <dd class="num">{i18n.money(invoice.totalInclVatCents)}</dd>
        </div>
        {invoice.creditedCents !== 0 && (
          <div>
            <dt>{t('payments.credited')}</dt>
            <dd class="num">{i18n.money(invoice.creditedCents)}</dd>
          </div>
        )}
        <div>
          <dt>{t('payments.paid')}</dt>
          <dd class="num">{i18n.money(invoice.paidCents)}</dd>
        </div>
        <div>
          <dt>{invoice.openCents < 0 ? t('payments.refundDue') : t('invoices.openCents')}</dt>
          <dd class="num">
            <strong data-testid="open-cents">{i18n.money(Math.abs(invoice.openCents))}</strong>
          </dd>
        </div>
        <div>
          <dt>{t('invoices.status')}</dt>
          <dd>
            <InvoiceStatusBadge invoice={invoice} />
          </dd>
        </div>
      </dl>
      <h3>{t('invoices.payments')}</h3>
      <ErrorMessage error={payments.error ?? deleteError} />
      {!payments.data ? (
        payments.loading && <Loading />
      ) : payments.data.items.length === 0 ? (
        <p class="muted">{t('payments.none')}</p>
      ) : (
        <TableWrap label={t('invoices.payments')}>
          <table class="table table-stack" data-testid="payments">
            <thead>
              <tr>
                <th scope="col">{t('payments.date')}</th>
                <th scope="col" class="num">
                  {t('payments.amount')}
                </th>
                <th scope="col">{t('payments.method')}</th>
                <th scope="col">{t('payments.reference')}</th>
                {manage && <th scope="col">{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {payments.data.items.map((p) => (
                <tr key={p.id} class={p.deletedAt ? 'deleted' : undefined}>
                  <td data-label={t('payments.date')} class="nowrap">
                    {p.deletedAt ? <s>{i18n.day(p.paidOn)}</s> : i18n.day(p.paidOn)}
                  </td>
                  <td data-label={t('payments.amount')} class="num">
                    {p.deletedAt ? <s>{i18n.money(p.amountCents)}</s> : i18n.money(p.amountCents)}
                  </td>
                  <td data-label={t('payments.method')}>{t(`payments.method.${p.method}`)}</td>
                  <td data-label={t('payments.reference')}>
                    {p.reference ?? <span class="muted">—</span>}
                    {p.deletedAt && <span class="muted block small">{t('payments.deletedOn', { date: i18n.dateShort(p.deletedAt) })}</span>}
                  </td>
                  {manage && (
                    <td data-label={t('common.actions')}>
                      {!p.deletedAt && (
                        <button type="button" class="button button-small button-danger" onClick={() => void remove(p)}>
                          {t('payments.delete')}
                          <span class="visually-hidden"> — {t('payments.ofAmount', { amount: i18n.money(p.amountCents), date: i18n.day(p.paidOn) })}</span>
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {manage && invoice.kind === 'invoice' && invoice.openCents > 0 ? (
        <PaymentForm
          key={invoice.openCents}
          invoice={invoice}
          today={todayIn(zone)}
          onRecorded={() => {
            payments.reload();
            props.onChanged();
          }}
        />
      ) : (
        <div class="form-actions">
          <button type="button" class="button" onClick={props.onClose}>
            {t('common.close')}
          </button>
        </div>
      )}
    </Dialog>
  );
}

function PaymentForm(props: { invoice: Invoice; today: string; onRecorded(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const notify = useNotify();
  const { invoice } = props;
  const euros = (cents: number) => (cents / 100).toFixed(2).replace('.', i18n.lang === 'fr' ? ',' : '.');
  const [amount, setAmount] = useState(euros(invoice.openCents));
  const [method, setMethod] = useState<PaymentMethod>('transfer');
  const [reference, setReference] = useState('');
  const [paidOn, setPaidOn] = useState(props.today < invoice.issueDate ? invoice.issueDate : props.today);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    const cents = parseCents(amount);
    if (cents === null || cents <= 0) {
      setError(new Error(t('payments.invalidAmount')));
      return;
    }
    setBusy(true);
    try {
      await api.post<Payment>(`/api/invoices/${invoice.id}/payments`, { amountCents: cents, paidOn, method, reference: reference.trim() || null });
      notify(t(cents < invoice.openCents ? 'payments.recordedPartial' : 'payments.recorded', { amount: i18n.money(cents), number: invoice.number }));
      props.onRecorded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} aria-labelledby="payment-form-title">
      <h3 id="payment-form-title">{t('payments.record')}</h3>
      <ErrorMessage error={error} />
      <div class="grid-2">
        <div class="field">
          <label for="payment-amount">{t('payments.amountLabel')}</label>
          <input id="payment-amount" inputMode="decimal" required value={amount} aria-describedby="payment-amount-hint" onInput={(e) => setAmount(e.currentTarget.value)} />
          <small id="payment-amount-hint" class="hint">
            {t('payments.amountHint', { amount: i18n.money(invoice.openCents) })}
          </small>
        </div>
        <div class="field">
          <label for="payment-date">{t('payments.dateLabel')}</label>
          <input id="payment-date" type="date" required min={invoice.issueDate} max={props.today} value={paidOn} onInput={(e) => setPaidOn(e.currentTarget.value)} />
        </div>
        <SelectField
          id="payment-method"
          label={t('payments.method')}
          value={method}
          onChange={(v) => setMethod(v as PaymentMethod)}
          options={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`payments.method.${m}`) }))}
        />
        <div class="field">
          <label for="payment-reference">{t('payments.referenceLabel')}</label>
          <input id="payment-reference" maxLength={200} value={reference} aria-describedby="payment-reference-hint" onInput={(e) => setReference(e.currentTarget.value)} />
          <small id="payment-reference-hint" class="hint">
            {t('payments.referenceHint')}
          </small>
        </div>
      </div>
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          {t('payments.record')}
        </button>
      </div>
    </form>
  );
}

/** open / partially paid / paid / credited, from the server's `status`; an open invoice past its due date is late. */
export function InvoiceStatusBadge({ invoice, side }: { invoice: Invoice; side?: 'issued' | 'received' }) {
  const i18n = useI18n();
  const { t, zone } = i18n;
  if (invoice.kind === 'credit_note') return null;
  switch (invoice.status) {
    case 'paid':
      return <StatusBadgeText kind="confirmed" status="paid">{invoice.paidOn ? t('invoices.paidOn', { date: i18n.day(invoice.paidOn) }) : t('invoices.status.paid')}</StatusBadgeText>;
    case 'credited':
      return <StatusBadgeText kind="cancelled" status="credited">{t('invoices.status.credited')}</StatusBadgeText>;
    case 'partially_paid':
    case 'open': {
      const late = invoice.dueDate < todayIn(zone);
      const word =
        invoice.status === 'partially_paid'
          ? t('invoices.status.partially_paid')
          : side === 'issued'
            ? t('invoices.toCollectBadge')
            : side === 'received'
              ? t('invoices.unpaid')
              : t('invoices.status.open');
      return <StatusBadgeText kind={late ? 'rejected' : 'pending'} status={invoice.status}>{late ? `${word} · ${t('invoices.overdue')}` : word}</StatusBadgeText>;
    }
  }
}

function StatusBadgeText({ kind, status, children }: { kind: string; status: Invoice['status']; children: string }) {
  return (
    <span class={`badge badge-${kind}`} data-status={status}>
      {children}
    </span>
  );
}
