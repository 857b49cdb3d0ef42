import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { natureLabel } from '../lib/labels';
import { parseCents } from '../lib/money';
import { useSession } from '../lib/session';
import { COST_NATURES, STAFF_COST_NATURES, type Adjustment, type CostEntry, type CostNature, type Items, type Resource } from '../lib/types';
import { DownloadLink, ErrorMessage, Field, SelectField, TableWrap, useConfirm, useFormSubmit, useNotify } from './ui';

/**
 * « Régulariser » a closed month: a late cost or a corrected amount for one resource; the server splits the
 * difference by the month's rules. Preview first (exactly what would be issued), confirm, see the numbers.
 */
export function AdjustmentPanel({ month }: { month: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const notify = useNotify();
  const confirm = useConfirm();
  const [open, setOpen] = useState(false);
  const resources = useLoad(() => (open ? api.get<Items<Resource>>('/api/resources') : Promise.resolve({ items: [] })), [open]);
  const [resourceId, setResourceId] = useState(0);
  const chosen = resourceId || resources.data?.items[0]?.id || 0;
  const costs = useLoad(() => (chosen ? api.get<Items<CostEntry>>('/api/costs', { month, resourceId: chosen }) : Promise.resolve({ items: [] })), [month, chosen]);
  const [mode, setMode] = useState<'late' | 'corrected'>('late');
  const [costId, setCostId] = useState(0);
  const [label, setLabel] = useState('');
  const [nature, setNature] = useState<CostNature>('other');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<Adjustment | null>(null);
  const [issued, setIssued] = useState<Adjustment | null>(null);
  const [issueError, setIssueError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const staff = resources.data?.items.find((r) => r.id === chosen)?.kind === 'staff';
  const natures = staff ? STAFF_COST_NATURES : COST_NATURES.filter((n) => n !== 'management_fees');
  const chosenNature = natures.includes(nature) ? nature : natures[0]!;
  const entries = costs.data?.items ?? [];
  const chosenCost = costId || entries[0]?.id || 0;

  const body = () => {
    const amountCents = parseCents(amount);
    if (amountCents === null) throw new Error(t('adjust.invalidAmount'));
    const cost = mode === 'late' ? { label: label.trim(), nature: chosenNature, amountCents } : { costId: chosenCost, amountCents };
    return { resourceId: chosen, costs: [cost], ...(reason.trim() ? { reason: reason.trim() } : {}) };
  };
  const edited = () => setPreview(null);

  const { error, busy: previewing, onSubmit } = useFormSubmit(async () => {
    setIssued(null);
    setPreview(await api.post<Adjustment>(`/api/closings/${month}/adjustments/preview`, body()));
  });

  const issue = async () => {
    if (!preview) return;
    if (!(await confirm(t('adjust.confirm', { n: preview.documents.length }), t('adjust.issue')))) return;
    setBusy(true);
    setIssueError(null);
    try {
      const result = await api.post<Adjustment>(`/api/closings/${month}/adjustments`, body());
      setIssued(result);
      setPreview(null);
      notify(t('adjust.issued', { n: result.documents.length, numbers: result.documents.map((d) => d.number).join(', ') }));
    } catch (err) {
      setIssueError(err);
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <p class="page-actions">
        <button type="button" class="button" onClick={() => setOpen(true)} data-testid="adjust-open">
          {t('adjust.open')}
        </button>
      </p>
    );
  }
  return (
    <section class="section" aria-labelledby="adjust-title" data-testid="adjustment">
      <h3 id="adjust-title">{t('adjust.title', { month: i18n.month(month) })}</h3>
      <p class="hint">{t('adjust.intro')}</p>
      <form class="form" onSubmit={onSubmit} onInput={edited}>
        <ErrorMessage error={error ?? resources.error ?? costs.error} />
        <SelectField
          label={t('common.resource')}
          value={String(chosen)}
          onChange={(v) => {
            setResourceId(Number(v));
            setCostId(0);
            edited();
          }}
          options={(resources.data?.items ?? []).map((r) => ({ value: String(r.id), label: r.name }))}
        />
        <SelectField
          label={t('adjust.mode')}
          value={mode}
          onChange={(v) => {
            setMode(v as 'late' | 'corrected');
            edited();
          }}
          options={[
            { value: 'late', label: t('adjust.mode.late') },
            { value: 'corrected', label: t('adjust.mode.corrected') },
          ]}
        />
        {mode === 'late' ? (
          <>
            <Field label={t('costs.label')} required maxLength={200} value={label} onInput={(e) => setLabel((e.currentTarget as HTMLInputElement).value)} />
            <SelectField label={t('costs.nature')} value={chosenNature} onChange={(v) => setNature(v as CostNature)} options={natures.map((n) => ({ value: n, label: natureLabel(i18n, n) }))} />
          </>
        ) : entries.length === 0 ? (
          <p class="muted">{t('adjust.noCost')}</p>
        ) : (
          <SelectField
            label={t('adjust.cost')}
            value={String(chosenCost)}
            onChange={(v) => setCostId(Number(v))}
            options={entries.map((c) => ({ value: String(c.id), label: `${c.label} — ${natureLabel(i18n, c.nature)} — ${i18n.money(c.amountCents)}` }))}
          />
        )}
        <Field label={mode === 'late' ? t('adjust.amount') : t('adjust.newAmount')} required inputMode="decimal" value={amount} onInput={(e) => setAmount((e.currentTarget as HTMLInputElement).value)} />
        <Field label={t('adjust.reason')} maxLength={500} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
        <div class="form-actions">
          <button type="button" class="button" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="button" disabled={previewing || (mode === 'corrected' && entries.length === 0)}>
            {t('adjust.preview')}
          </button>
        </div>
      </form>
      {preview && (
        <div data-testid="adjustment-preview">
          <h4>{t('adjust.previewTitle')}</h4>
          <p>{t('adjust.costChange', { before: i18n.money(preview.costBeforeCents), after: i18n.money(preview.costAfterCents) })}</p>
          <Documents adjustment={preview} label={t('adjust.previewTitle')} />
          <ErrorMessage error={issueError} />
          <div class="form-actions">
            <button type="button" class="button button-primary" onClick={issue} disabled={busy}>
              {t('adjust.issue')}
            </button>
          </div>
        </div>
      )}
      {issued && (
        <div data-testid="adjustment-issued">
          <h4>{t('adjust.issuedTitle')}</h4>
          <Documents adjustment={issued} label={t('adjust.issuedTitle')} />
        </div>
      )}
    </section>
  );
}

function Documents({ adjustment, label }: { adjustment: Adjustment; label: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { memberName } = useSession();
  return (
    <TableWrap label={label}>
      <table class="table table-stack">
        <thead>
          <tr>
            <th scope="col">{t('invoices.number')}</th>
            <th scope="col">{t('invoices.kind')}</th>
            <th scope="col">{t('invoices.seller')}</th>
            <th scope="col">{t('invoices.buyer')}</th>
            <th scope="col" class="num">
              {t('invoices.amount')}
            </th>
            {adjustment.id !== null && <th scope="col">{t('common.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {adjustment.documents.map((d) => (
            <tr key={d.number}>
              <td data-label={t('invoices.number')} class="nowrap">
                {d.number}
              </td>
              <td data-label={t('invoices.kind')}>{t(`invoices.kind.${d.kind}`)}</td>
              <td data-label={t('invoices.seller')}>{d.seller?.name ?? memberName(d.sellerMemberId)}</td>
              <td data-label={t('invoices.buyer')}>{d.buyer?.name ?? memberName(d.buyerMemberId)}</td>
              <td data-label={t('invoices.amount')} class="num">
                {i18n.money(d.kind === 'credit_note' ? -d.totalInclVatCents : d.totalInclVatCents)}
              </td>
              {adjustment.id !== null && (
                <td data-label={t('common.actions')} class="actions">
                  {d.id !== null && (
                    <DownloadLink href={`/api/invoices/${d.id}/pdf`} context={t('invoices.pdfOf', { number: d.number })}>
                      {t('common.downloadPdf')}
                    </DownloadLink>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
