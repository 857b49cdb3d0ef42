import { useMemo, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { parseCents } from '../lib/money';
import type { Invoice } from '../lib/types';
import { Dialog, ErrorMessage, FormActions, useId } from './ui';

type Mode = 'whole' | 'amount' | 'lines';

/** What remains creditable on each line of an invoice, after the credit notes already issued against it. */
export function remainingByLine(invoice: Invoice, creditNotes: readonly Invoice[]): number[] {
  const remaining = invoice.lines.map((l) => l.totalExclVatCents ?? 0);
  for (const note of creditNotes) {
    if (note.creditedInvoiceId !== invoice.id) continue;
    for (const line of note.lines) {
      if (line.creditedLine !== undefined && remaining[line.creditedLine] !== undefined) remaining[line.creditedLine]! -= line.totalExclVatCents ?? 0;
    }
  }
  return remaining;
}

/**
 * Issues a credit note (avoir) against an invoice: the whole remainder, an amount spread over the lines, or
 * chosen lines with their amounts, as `POST /api/invoices/:id/credit-note` allows. A native modal dialog
 * (focus kept inside, Escape closes, focus returns), with a plain warning that a credit note is final.
 */
export function CreditNoteDialog(props: { invoice: Invoice; creditNotes: readonly Invoice[]; onClose(): void; onIssued(note: Invoice): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { invoice } = props;
  const remaining = useMemo(() => remainingByLine(invoice, props.creditNotes), [invoice, props.creditNotes]);
  const remainingTotal = invoice.creditableCents ?? remaining.reduce((a, r) => a + r, 0);
  const [mode, setMode] = useState<Mode>('whole');
  const [amount, setAmount] = useState('');
  const [chosen, setChosen] = useState<Record<number, string>>({});
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const warningId = useId('credit-warning');
  const summaryId = useId('credit-summary');
  const euros = (cents: number) => (cents / 100).toFixed(2).replace('.', i18n.lang === 'fr' ? ',' : '.');
  const seller = invoice.seller?.name ?? `#${invoice.sellerMemberId}`;
  const buyer = invoice.buyer?.name ?? `#${invoice.buyerMemberId}`;

  /** The request body and its amount excl. VAT, or the reason it cannot be sent. */
  const draft = ((): { body: Record<string, unknown>; cents: number } | { problem: string } => {
    const tooMuch = (max: number) => t('credit.invalidAmount', { amount: i18n.money(max) });
    if (mode === 'whole') return { body: {}, cents: remainingTotal };
    if (mode === 'amount') {
      const cents = parseCents(amount);
      if (cents === null || cents <= 0 || cents > remainingTotal) return { problem: tooMuch(remainingTotal) };
      return { body: { amountCents: cents }, cents };
    }
    const lines: { line: number; amountCents: number }[] = [];
    for (const [index, text] of Object.entries(chosen)) {
      const line = Number(index);
      const cents = parseCents(text);
      if (cents === null || cents <= 0 || cents > remaining[line]!) return { problem: tooMuch(remaining[line]!) };
      lines.push({ line, amountCents: cents });
    }
    if (lines.length === 0) return { problem: t('credit.noLine') };
    lines.sort((a, b) => a.line - b.line);
    return { body: { lines }, cents: lines.reduce((a, l) => a + l.amountCents, 0) };
  })();

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    if ('problem' in draft) {
      setLocalError(draft.problem);
      return;
    }
    // The reason is printed on the credit note: nobody should have to guess it later.
    if (reason.trim().length < 3) {
      setLocalError(t('credit.reasonRequired'));
      return;
    }
    setLocalError(null);
    setBusy(true);
    try {
      const body = { ...draft.body, reason: reason.trim() };
      props.onIssued(await api.post<Invoice>(`/api/invoices/${invoice.id}/credit-note`, body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const toggleLine = (line: number, on: boolean) => {
    const next = { ...chosen };
    if (on) next[line] = euros(remaining[line]!);
    else delete next[line];
    setChosen(next);
  };

  return (
    <Dialog title={t('credit.title', { number: invoice.number })} open onClose={props.onClose} wide>
      <form class="form" onSubmit={submit} aria-describedby={warningId} data-testid="credit-note-form">
        <p id={warningId} class="alert alert-warning">
          <strong>{t('credit.definitive', { seller })}</strong>
        </p>
        <p class="muted">
          {t('credit.invoiceSummary', { number: invoice.number, seller, buyer, total: i18n.money(invoice.totalExclVatCents), remaining: i18n.money(remainingTotal) })}
        </p>
        <fieldset class="fieldset">
          <legend>{t('credit.mode')}</legend>
          {(['whole', 'amount', 'lines'] as const).map((m) => (
            <div class="field field-check" key={m}>
              <input id={`credit-mode-${m}`} type="radio" name="credit-mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
              <label for={`credit-mode-${m}`}>{t(`credit.mode.${m}`)}</label>
            </div>
          ))}
        </fieldset>
        {mode === 'amount' && (
          <div class="field">
            <label for="credit-amount">{t('credit.amount')}</label>
            <input id="credit-amount" inputMode="decimal" required value={amount} onInput={(e) => setAmount(e.currentTarget.value)} aria-describedby="credit-amount-hint" />
            <small id="credit-amount-hint" class="hint">
              {t('credit.amountHint', { amount: i18n.money(remainingTotal) })}
            </small>
          </div>
        )}
        {mode === 'lines' && (
          <fieldset class="fieldset">
            <legend>{t('credit.lines')}</legend>
            {invoice.lines.map((line, index) => {
              const left = remaining[index] ?? 0;
              const on = index in chosen;
              return (
                <div class="field-group" key={index}>
                  <div class="field field-check">
                    <input id={`credit-line-${index}`} type="checkbox" checked={on} disabled={left <= 0} onChange={(e) => toggleLine(index, e.currentTarget.checked)} aria-describedby={`credit-line-${index}-left`} />
                    <label for={`credit-line-${index}`}>{line.description}</label>
                  </div>
                  <small id={`credit-line-${index}-left`} class="hint">
                    {left > 0 ? t('credit.lineRemaining', { amount: i18n.money(left) }) : t('credit.lineDone')}
                  </small>
                  {on && (
                    <div class="field">
                      <label for={`credit-line-${index}-amount`}>
                        {t('credit.lineAmount')}
                        <span class="visually-hidden"> — {index + 1}</span>
                      </label>
                      <input
                        id={`credit-line-${index}-amount`}
                        inputMode="decimal"
                        required
                        value={chosen[index]}
                        onInput={(e) => setChosen({ ...chosen, [index]: e.currentTarget.value })}
                      />
                    </div>
                  )}
                </div>
              );
            })}
          </fieldset>
        )}
        <div class="field">
          <label for="credit-reason">
            {t('credit.reason')}
          </label>
          <textarea id="credit-reason" rows={2} required minLength={3} maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
        <p id={summaryId} aria-live="polite">
          {'cents' in draft ? <strong>{t('credit.total', { amount: i18n.money(draft.cents) })}</strong> : null}
        </p>
        {localError && (
          <div class="alert alert-error" role="alert">
            {localError}
          </div>
        )}
        <ErrorMessage error={error} />
        <FormActions onCancel={props.onClose} busy={busy} describedBy={summaryId} submitLabel={busy ? t('credit.submitting') : t('credit.submit')} />
      </form>
    </Dialog>
  );
}
