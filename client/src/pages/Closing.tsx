import { useState } from 'preact/hooks';
import { DownloadLink, ErrorMessage, Field, MonthPicker, PageHeader, TableWrap, useConfirm, useNotify } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { useSession } from '../lib/session';
import { addMonths, monthOf } from '../lib/time';
import type { Closing, ClosingSummary, CloseWarning, Invoice, Items } from '../lib/types';
import { warningText } from '../lib/warnings';
import { ClosePreflight } from '../components/ClosePreflight';
import { AdjustmentPanel } from '../components/AdjustmentPanel';
import { HistoryButton } from '../components/HistoryPanel';

/** Monthly close: preview exactly what would be issued, then close (one transaction on the server). */
export function ClosingPage() {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const notify = useNotify();
  const confirm = useConfirm();
  const lastEnded = addMonths(monthOf(Date.now(), zone), -1);
  const [month, setMonth] = useState(lastEnded);
  const [preview, setPreview] = useState<Closing | null>(null);
  const [closed, setClosed] = useState<Closing | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [ready, setReady] = useState(false);
  const closings = useLoad(() => api.get<Items<ClosingSummary>>('/api/closings'), []);
  const closedInfo = closings.data?.items.find((c) => c.month === month);

  // Chorus Pro engagement number of each public buyer for this month's invoices (BT-13), pre-filled from its record.
  const [engagements, setEngagements] = useState<Record<number, string>>({});
  const engagementList = () =>
    Object.entries(engagements)
      .filter(([, e]) => e.trim() !== '')
      .map(([memberId, e]) => ({ memberId: Number(memberId), engagement: e.trim() }));
  const publicBuyers = [...new Map((preview?.invoices ?? []).filter((i) => i.buyer?.publicBody).map((i) => [i.buyerMemberId, i.buyer!])).entries()];

  const changeMonth = (m: string) => {
    setMonth(m);
    setEngagements({});
    setPreview(null);
    setClosed(null);
    setError(null);
  };

  const runPreview = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = await api.post<Closing>('/api/closings/preview', { month, engagements: engagementList() });
      setPreview(next);
      const known = { ...engagements };
      for (const inv of next.invoices) if (inv.buyer?.publicBody && known[inv.buyerMemberId] === undefined) known[inv.buyerMemberId] = inv.buyer.chorusEngagement ?? '';
      setEngagements(known);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const runClose = async () => {
    if (!preview) return;
    const ok = await confirm(t('closing.closeConfirm', { month: i18n.month(month), n: preview.invoices.length }), t('closing.close', { month: i18n.month(month) }));
    if (!ok) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.post<Closing>('/api/closings', { month, engagements: engagementList() });
      setClosed(result);
      setPreview(null);
      notify(t('closing.closed', { month: i18n.month(month), n: result.invoices.length }));
      closings.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <PageHeader title={t('closing.title')} />
      <p class="muted">{t('closing.intro')}</p>
      <div class="filters">
        <MonthPicker value={month} onChange={changeMonth} max={lastEnded} />
        {!closedInfo && !closed && (
          <button type="button" class="button button-primary" onClick={runPreview} disabled={busy}>
            {t('closing.preview')}
          </button>
        )}
      </div>
      <ErrorMessage error={error ?? closings.error} />
      {(closedInfo || closed) && (
        <div class="card section" data-testid="closing-done">
          <p>
            {closed ? t('closing.closed', { month: i18n.month(month), n: closed.invoices.length }) : t('closing.alreadyClosed', { month: i18n.month(month) })}
            {closedInfo?.closedAt && <span class="muted"> · {i18n.dateTime(closedInfo.closedAt)}</span>}
          </p>
          <p class="page-actions">
            <DownloadLink href={`/api/closings/${month}/pdf`}>{t('closing.polePdf')}</DownloadLink>
            <DownloadLink href={`/api/closings/${month}/export.zip`}>{t('closing.zip')}</DownloadLink>
          </p>
          {closed && <Warnings warnings={closed.warnings} />}
          {closed && <InvoiceTable invoices={closed.invoices} label={t('closing.closed', { month: i18n.month(month), n: closed.invoices.length })} />}
          <AdjustmentPanel key={month} month={month} />
        </div>
      )}
      {preview && !closed && (
        <div class="card section" data-testid="closing-preview">
          <h2>{t('closing.previewTitle', { month: i18n.month(month) })}</h2>
          <Warnings warnings={preview.warnings} />
          <ClosePreflight month={month} onReady={setReady} />
          {publicBuyers.length > 0 && (
            <fieldset data-testid="closing-engagements">
              <legend>{t('closing.engagements')}</legend>
              <p class="hint">{t('closing.engagementsHint')}</p>
              {publicBuyers.map(([memberId, buyer]) => (
                <Field
                  key={memberId}
                  label={t('closing.engagementOf', { name: buyer.name })}
                  maxLength={50}
                  value={engagements[memberId] ?? ''}
                  onInput={(e) => setEngagements({ ...engagements, [memberId]: (e.currentTarget as HTMLInputElement).value })}
                />
              ))}
            </fieldset>
          )}
          {preview.invoices.length === 0 ? <p class="muted">{t('closing.noInvoices')}</p> : <InvoiceTable invoices={preview.invoices} label={t('closing.previewTitle', { month: i18n.month(month) })} />}
          <div class="form-actions">
            <button type="button" class="button button-primary" onClick={runClose} disabled={busy || !ready} aria-describedby={ready ? undefined : 'preflight-needed'}>
              {t('closing.close', { month: i18n.month(month) })}
            </button>
          </div>
          {!ready && (
            <p class="hint" id="preflight-needed">
              {t('preflight.needed')}
            </p>
          )}
        </div>
      )}
      {closings.data && closings.data.items.length > 0 && (
        <section class="section" aria-labelledby="closed-months">
          <h2 id="closed-months">{t('closing.history')}</h2>
          <TableWrap label={t('closing.history')}>
            <table class="table table-stack">
              <thead>
                <tr>
                  <th scope="col">{t('common.month')}</th>
                  <th scope="col">{t('closing.closedAt')}</th>
                  <th scope="col" class="num">
                    {t('closing.invoiceCount')}
                  </th>
                  <th scope="col" class="num">
                    {t('invoices.amount')}
                  </th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {[...closings.data.items]
                  .sort((x, y) => y.month.localeCompare(x.month))
                  .map((c) => (
                    <tr key={c.month}>
                      <td data-label={t('common.month')}>
                        <button type="button" class="link-button" onClick={() => changeMonth(c.month)}>
                          {i18n.month(c.month)}
                        </button>
                      </td>
                      <td data-label={t('closing.closedAt')}>{i18n.dateTime(c.closedAt)}</td>
                      <td data-label={t('closing.invoiceCount')} class="num">
                        {c.invoiceCount ?? '—'}
                      </td>
                      <td data-label={t('invoices.amount')} class="num">
                        {c.totalInclVatCents !== undefined ? i18n.money(c.totalInclVatCents) : '—'}
                      </td>
                      <td data-label={t('common.actions')} class="actions">
                        <DownloadLink href={`/api/closings/${c.month}/pdf`} context={t('closing.summaryOf', { month: i18n.month(c.month) })}>
                          {t('common.downloadPdf')}
                        </DownloadLink>{' '}
                        <HistoryButton objectType="closing" objectId={c.month} name={i18n.month(c.month)} />
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </TableWrap>
        </section>
      )}
    </section>
  );
}

/** The close's warnings, worded in the user's language from their codes. */
function Warnings({ warnings }: { warnings?: CloseWarning[] }) {
  const i18n = useI18n();
  if (!warnings?.length) return null;
  return (
    <div class="alert alert-info" data-testid="closing-warnings">
      <strong>{i18n.t('closing.warnings')}</strong>
      <ul>
        {warnings.map((w, i) => (
          <li key={i} data-code={w.code}>
            {warningText(i18n, w)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function InvoiceTable({ invoices, label }: { invoices: Invoice[]; label: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { memberName } = useSession();
  const total = invoices.reduce((s, inv) => s + inv.totalInclVatCents, 0);
  const issued = invoices.some((inv) => inv.id !== null);
  return (
    <TableWrap label={label}>
      <table class="table table-stack">
        <thead>
          <tr>
            <th scope="col">{t('invoices.number')}</th>
            <th scope="col">{t('invoices.seller')}</th>
            <th scope="col">{t('invoices.buyer')}</th>
            <th scope="col" class="num">
              {t('closing.lines')}
            </th>
            <th scope="col" class="num">
              {t('invoices.amount')}
            </th>
            {issued && <th scope="col">{t('common.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {invoices.map((inv) => (
            <tr key={inv.number}>
              <td data-label={t('invoices.number')} class="nowrap">
                {inv.number}
              </td>
              <td data-label={t('invoices.seller')}>{inv.seller?.name ?? memberName(inv.sellerMemberId)}</td>
              <td data-label={t('invoices.buyer')}>{inv.buyer?.name ?? memberName(inv.buyerMemberId)}</td>
              <td data-label={t('closing.lines')} class="num">
                {inv.lines.length}
              </td>
              <td data-label={t('invoices.amount')} class="num">
                {i18n.money(inv.totalInclVatCents)}
              </td>
              {issued && (
                <td data-label={t('common.actions')} class="actions">
                  {inv.id !== null && (
                    <DownloadLink href={`/api/invoices/${inv.id}/pdf`} context={t('invoices.pdfOf', { number: inv.number })}>
                      {t('common.downloadPdf')}
                    </DownloadLink>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={4}>
              {t('common.total')}
            </th>
            <td class="num">
              <strong>{i18n.money(total)}</strong>
            </td>
            {issued && <td />}
          </tr>
        </tfoot>
      </table>
    </TableWrap>
  );
}
