import { useState } from 'preact/hooks';
import { DataTable, type Column } from '../components/DataTable';
import { CheckboxField, Dialog, EditButton, ErrorMessage, FormActions, MonthPicker, PageHeader, useConfirm, useFormSubmit, useNotify } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { natureLabel } from '../lib/labels';
import { parseCents } from '../lib/money';
import { useSession } from '../lib/session';
import { addMonths, monthOf } from '../lib/time';
import { COST_NATURES, STAFF_COST_NATURES, type Allocations, type CarryForwardRun, type CostEntry, type CostNature, type Items, type Resource } from '../lib/types';
import { HistoryButton } from '../components/HistoryPanel';

/** Real costs of a month per resource, entered by coordinators while the month is open. */
export function CostsPage() {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const notify = useNotify();
  const confirm = useConfirm();
  const session = useSession();
  const [month, setMonth] = useState(addMonths(monthOf(Date.now(), zone), -1));
  const [editing, setEditing] = useState<CostEntry | 'new' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const costs = useLoad(() => api.get<Items<CostEntry>>('/api/costs', { month }), [month]);
  const resources = useLoad(() => api.get<Items<Resource>>('/api/resources'), []);
  const allocation = useLoad(() => api.get<Allocations>('/api/allocations', { month }), [month]);
  const carryLog = useLoad(() => api.get<Items<CarryForwardRun>>('/api/costs/carry-forward/log'), []);
  const autoRun = carryLog.data?.items.find((r) => r.month === month);
  const frozen = allocation.data?.final === true;

  const resourceName = (id: number) => resources.data?.items.find((r) => r.id === id)?.name ?? `#${id}`;
  const list = [...(costs.data?.items ?? [])].sort((a, b) => resourceName(a.resourceId).localeCompare(resourceName(b.resourceId)) || a.label.localeCompare(b.label));
  const total = list.reduce((sum, c) => sum + c.amountCents, 0);
  // Costs under their resource's heading (17 loose cards on a phone otherwise); the list is sorted by resource.
  const byResource = new Map<number, CostEntry[]>();
  for (const c of list) byResource.set(c.resourceId, [...(byResource.get(c.resourceId) ?? []), c]);

  const remove = async (cost: CostEntry) => {
    if (!(await confirm(t('costs.deleteConfirm', { label: cost.label }), t('common.delete')))) return;
    setError(null);
    try {
      await api.del(`/api/costs/${cost.id}`);
      notify(t('costs.deleted'));
      costs.reload();
    } catch (err) {
      setError(err);
    }
  };

  const carryForward = async () => {
    setError(null);
    try {
      await api.post('/api/costs/carry-forward', { fromMonth: month });
      notify(t('costs.carried', { month: i18n.month(addMonths(month, 1)) }));
      setMonth(addMonths(month, 1));
    } catch (err) {
      setError(err);
    }
  };

  const columns: Column<CostEntry>[] = [
    {
      label: t('costs.label'),
      cell: (c) => (
        <>
          {c.label}
          {c.recurring && <span class="muted small"> · ↻ {t('costs.recurringShort')}</span>}
        </>
      ),
    },
    { label: t('costs.nature'), cell: (c) => natureLabel(i18n, c.nature) },
    { label: t('costs.amountShort'), class: 'num', headClass: 'num', cell: (c) => i18n.money(c.amountCents) },
    { label: t('costs.vatShort'), class: 'num', headClass: 'num', cell: (c) => `${i18n.number(c.vatRate, 2)} %` },
    {
      label: t('common.actions'),
      class: 'actions',
      cell: (c) => (
        <>
          {!frozen && (
            <>
              <EditButton onClick={() => setEditing(c)} />
              <button type="button" class="button button-small button-danger" onClick={() => remove(c)}>
                {t('common.delete')}
              </button>
            </>
          )}
          <HistoryButton objectType="cost" objectId={c.id} name={`${resourceName(c.resourceId)} — ${c.label}`} />
        </>
      ),
    },
  ];

  return (
    <section>
      <PageHeader title={t('costs.title')}>
        {!frozen && (
          <button type="button" class="button button-primary" onClick={() => setEditing('new')}>
            {t('costs.add')}
          </button>
        )}
      </PageHeader>
      <div class="filters">
        <MonthPicker value={month} onChange={setMonth} />
      </div>
      {frozen && <p class="alert alert-info">{t('costs.frozen')}</p>}
      {autoRun && (
        <p class="muted" data-testid="auto-carry">
          {t(autoRun.costIds.length ? 'costs.autoCarried' : 'costs.autoCarriedNone', { date: i18n.dateTime(autoRun.at), count: autoRun.costIds.length, from: i18n.month(autoRun.fromMonth) })}
        </p>
      )}
      <ErrorMessage error={error ?? costs.error} />
      <DataTable
        label={t('costs.title')}
        testId="costs"
        stack
        columns={columns}
        rows={costs.data && list}
        rowKey={(c) => c.id}
        group={(c) => ({ key: String(c.resourceId), heading: <CostGroupHeading name={resourceName(c.resourceId)} costs={byResource.get(c.resourceId) ?? []} /> })}
        loading={costs.loading}
        empty={t('costs.none')}
        foot={
          <tr>
            <th scope="row" colSpan={2}>
              {t('common.total')}
            </th>
            <td class="num">
              <strong>{i18n.money(total)}</strong>
            </td>
            <td />
            <td />
          </tr>
        }
      />
      {list.length > 0 && (
        <p>
          <button type="button" class="button" onClick={carryForward}>
            {t('costs.carryForward')}
          </button>
        </p>
      )}
      {editing && (
        <CostDialog
          cost={editing === 'new' ? null : editing}
          month={month}
          resources={(resources.data?.items ?? []).filter((r) => r.active || (editing !== 'new' && r.id === editing.resourceId))}
          onClose={() => setEditing(null)}
          onSaved={(created) => {
            setEditing(null);
            notify(created ? t('costs.added') : t('common.saved'));
            costs.reload();
          }}
          bearerName={(r) => session.memberName(r.bearerMemberId)}
        />
      )}
    </section>
  );
}

function CostDialog(props: {
  cost: CostEntry | null;
  month: string;
  resources: Resource[];
  bearerName(r: Resource): string;
  onClose(): void;
  onSaved(created: boolean): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const c = props.cost;
  const [resourceId, setResourceId] = useState<number>(c?.resourceId ?? props.resources[0]?.id ?? 0);
  const [label, setLabel] = useState(c?.label ?? '');
  const [nature, setNature] = useState<CostNature>(c?.nature ?? 'other');
  const [amount, setAmount] = useState(c ? (c.amountCents / 100).toFixed(2) : '');
  const [vatRate, setVatRate] = useState(String(c?.vatRate ?? 0));
  // Empty: the server derives it from the amount and the rate.
  const [inputVat, setInputVat] = useState(c ? (c.inputVatCents / 100).toFixed(2) : '');
  const [paidHours, setPaidHours] = useState(c?.paidHours == null ? '' : String(c.paidHours));
  const [recurring, setRecurring] = useState(c?.recurring ?? false);
  const staff = props.resources.find((r) => r.id === resourceId)?.kind === 'staff';
  const natures = staff ? STAFF_COST_NATURES : COST_NATURES;
  // The select shows the first allowed nature when the chosen one is not allowed for this resource: send that one.
  const chosenNature = natures.includes(nature) ? nature : natures[0]!;

  const { error, busy, onSubmit } = useFormSubmit(async () => {
    const amountCents = parseCents(amount);
    if (amountCents === null) throw new Error(t('costs.amount'));
    const body: Record<string, unknown> = { resourceId, label: label.trim(), nature: chosenNature, amountCents, vatRate: Number(vatRate.replace(',', '.')), recurring };
    if (inputVat.trim() !== '') {
      const inputVatCents = parseCents(inputVat);
      if (inputVatCents === null) throw new Error(t('costs.inputVat'));
      body.inputVatCents = inputVatCents;
    }
    if (staff) body.paidHours = paidHours.trim() === '' ? null : Number(paidHours.replace(',', '.'));
    if (c) await api.patch(`/api/costs/${c.id}`, body);
    else await api.post('/api/costs', { ...body, month: props.month });
    props.onSaved(!c);
  });

  return (
    <Dialog title={`${c ? t('common.edit') : t('costs.add')} — ${i18n.month(props.month)}`} open onClose={props.onClose}>
      <form class="form" onSubmit={onSubmit}>
        <ErrorMessage error={error} />
        <div class="field">
          <label for="cost-resource">{t('common.resource')}</label>
          <select id="cost-resource" value={resourceId} onChange={(e) => setResourceId(Number(e.currentTarget.value))}>
            {props.resources.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} ({props.bearerName(r)})
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="cost-label">{t('costs.label')}</label>
          <input id="cost-label" required maxLength={200} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="cost-nature">{t('costs.nature')}</label>
          <select id="cost-nature" value={chosenNature} onChange={(e) => setNature(e.currentTarget.value as CostNature)}>
            {natures.map((n) => (
              <option key={n} value={n}>
                {natureLabel(i18n, n)}
              </option>
            ))}
          </select>
        </div>
        <div class="form-row">
          <div class="field">
            <label for="cost-amount">{t('costs.amount')}</label>
            <input id="cost-amount" required inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="cost-vat">{t('costs.vatRate')}</label>
            <input id="cost-vat" required inputMode="decimal" value={vatRate} onInput={(e) => setVatRate(e.currentTarget.value)} />
          </div>
        </div>
        <div class="form-row">
          <div class="field">
            <label for="cost-input-vat">{t('costs.inputVat')}</label>
            <input id="cost-input-vat" inputMode="decimal" aria-describedby="cost-input-vat-hint" value={inputVat} onInput={(e) => setInputVat(e.currentTarget.value)} />
            <small id="cost-input-vat-hint" class="hint">
              {t('costs.inputVatHint')}
            </small>
          </div>
          {staff && (
            <div class="field">
              <label for="cost-paid-hours">{t('costs.paidHours')}</label>
              <input id="cost-paid-hours" inputMode="decimal" aria-describedby="cost-paid-hours-hint" value={paidHours} onInput={(e) => setPaidHours(e.currentTarget.value)} />
              <small id="cost-paid-hours-hint" class="hint">
                {t('costs.paidHoursHint')}
              </small>
            </div>
          )}
        </div>
        <CheckboxField label={t('costs.recurring')} checked={recurring} onChange={setRecurring} />
        <FormActions onCancel={props.onClose} busy={busy} submitLabel={c ? t('common.save') : t('common.create')} />
      </form>
    </Dialog>
  );
}

/** A resource's heading over its costs: its name, how many entries and their sum. */
function CostGroupHeading(props: { name: string; costs: CostEntry[] }) {
  const i18n = useI18n();
  const sum = props.costs.reduce((total, c) => total + c.amountCents, 0);
  return (
    <>
      {props.name}
      <span class="table-group-summary">{i18n.t('costs.groupSummary', { count: props.costs.length, amount: i18n.money(sum) })}</span>
    </>
  );
}
