import { useState } from 'preact/hooks';
import { onLinkClick } from '../lib/router';
import { CheckboxField, Dialog, EditButton, ErrorMessage, FormActions, Loading, PageHeader, StatusBadge, TableWrap, useFormSubmit, useNotify } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { centsInput, parseCents } from '../lib/money';
import { useLoad } from '../lib/hooks';
import { kindLabel, ruleLabel, weekdayLabel } from '../lib/labels';
import { useSession } from '../lib/session';
import { parseDecimal } from '../lib/hours';
import { inputValue, monthOf, wallToIso } from '../lib/time';
import { ALLOCATION_RULES, RESOURCE_KINDS, type AllocationRule, type AllowanceLimit, type Items, hoursOfDay, type OpeningHours, type Resource, type ResourceKind } from '../lib/types';
import { HistoryButton } from '../components/HistoryPanel';

/** Output VAT rates of France (CGI art. 278 to 281 nonies). */
const VAT_RATES = [20, 10, 5.5, 2.1] as const;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const RANGE = /^([01]\d|2[0-4]):([0-5]\d)\s*[-–]\s*([01]\d|2[0-4]):([0-5]\d)$/;

/** "09:00-12:00, 14:00-18:00" ↔ [["09:00","12:00"],["14:00","18:00"]]. */
function hoursText(ranges: string[][] | undefined): string {
  return (ranges ?? []).map(([a, b]) => `${a}-${b}`).join(', ');
}
function parseHours(text: string): [string, string][] | null {
  const parts = text.split(/[,;]/).map((p) => p.trim()).filter(Boolean);
  const out: [string, string][] = [];
  for (const part of parts) {
    const m = RANGE.exec(part);
    if (!m) return null;
    out.push([`${m[1]}:${m[2]}`, `${m[3]}:${m[4]}`]);
  }
  return out;
}

/** Coordinators manage resources: capacity, steps, durations, opening hours, blackouts and the allocation rule. */
export function ResourcesAdminPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const notify = useNotify();
  const resources = useLoad(() => api.get<Items<Resource>>('/api/resources'), []);
  const [editing, setEditing] = useState<Resource | 'new' | null>(null);

  return (
    <section>
      <PageHeader title={t('resources.title')}>
        <button type="button" class="button button-primary" onClick={() => setEditing('new')} disabled={session.members.length === 0}>
          {t('resources.new')}
        </button>
      </PageHeader>
      {session.members.length === 0 && (
        <p class="alert alert-info" data-testid="resources-need-member">
          {t('resources.needMember')}{' '}
          <a href="/members" onClick={onLinkClick}>
            {t('resources.createMember')}
          </a>
        </p>
      )}
      <ErrorMessage error={resources.error} />
      {resources.loading && !resources.data ? (
        <Loading />
      ) : resources.data?.items.length === 0 ? (
        <p class="muted empty-state">{t('resources.empty')}</p>
      ) : (
        <TableWrap label={t('resources.title')}>
          <table class="table table-stack">
            <thead>
              <tr>
                <th scope="col">{t('resources.name')}</th>
                <th scope="col">{t('resources.kind')}</th>
                <th scope="col" class="num">
                  {t('resources.capacity')}
                </th>
                <th scope="col">{t('resources.bearer')}</th>
                <th scope="col">{t('resources.rule')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {(resources.data?.items ?? []).map((r) => (
                <tr key={r.id} class={r.active ? undefined : 'row-muted'}>
                  <td data-label={t('resources.name')}>
                    <strong>{r.name}</strong>
                    {r.category && <span class="muted"> · {r.category}</span>}
                  </td>
                  <td data-label={t('resources.kind')}>{kindLabel(i18n, r.kind)}</td>
                  <td data-label={t('resources.capacity')} class="num">
                    {r.capacity}
                  </td>
                  <td data-label={t('resources.bearer')}>{session.memberName(r.bearerMemberId)}</td>
                  <td data-label={t('resources.rule')}>{ruleLabel(i18n, r.allocation?.rule ?? 'usage')}</td>
                  <td data-label={t('common.status')}>
                    {r.active ? <StatusBadge kind="confirmed">{t('common.active')}</StatusBadge> : <StatusBadge kind="cancelled">{t('common.inactive')}</StatusBadge>}
                    {r.requiresApproval && <StatusBadge kind="pending">{t('catalogue.approval')}</StatusBadge>}
                  </td>
                  <td data-label={t('common.actions')} class="actions">
                    <EditButton onClick={() => setEditing(r)} label={t('resources.edit', { name: r.name })} />{' '}
                    <HistoryButton objectType="resource" objectId={r.id} name={r.name} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {editing && (
        <ResourceDialog
          resource={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            notify(t('resources.saved'));
            resources.reload();
          }}
        />
      )}
    </section>
  );
}

interface BlackoutDraft {
  start: string;
  end: string;
  reason: string;
}

function ResourceDialog(props: { resource: Resource | null; onClose(): void; onSaved(): void }) {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  const r = props.resource;
  const [name, setName] = useState(r?.name ?? '');
  const [kind, setKind] = useState<ResourceKind>(r?.kind ?? 'equipment');
  const [category, setCategory] = useState(r?.category ?? '');
  const [capacity, setCapacity] = useState(String(r?.capacity ?? 1));
  const [bearer, setBearer] = useState<number>(r?.bearerMemberId ?? session.pole.carrierMemberId ?? session.members[0]?.id ?? 0);
  const [granularity, setGranularity] = useState(String(r?.granularityMinutes ?? 15));
  const [minMinutes, setMinMinutes] = useState(r?.minMinutes ? String(r.minMinutes) : '');
  const [maxMinutes, setMaxMinutes] = useState(r?.maxMinutes ? String(r.maxMinutes) : '');
  const [horizon, setHorizon] = useState(String(r?.horizonDays ?? 365));
  const [approval, setApproval] = useState(r?.requiresApproval ?? false);
  const [vatRate, setVatRate] = useState(String(r?.vatRate ?? 20));
  const [feesAgreed, setFeesAgreed] = useState(r?.managementFeesAgreed ?? false);
  const [active, setActive] = useState(r?.active ?? true);
  const [alwaysOpen, setAlwaysOpen] = useState(r ? r.openingHours === null : true);
  const [hours, setHours] = useState<Record<number, string>>(() =>
    Object.fromEntries(WEEKDAYS.map((d) => [d, hoursText(r ? hoursOfDay(r.openingHours, d) : d <= 5 ? [['09:00', '18:00']] : [])])),
  );
  const [blackouts, setBlackouts] = useState<BlackoutDraft[]>(
    (r?.blackouts ?? []).map((b) => ({ start: inputValue(Date.parse(b.start), zone), end: inputValue(Date.parse(b.end), zone), reason: b.reason ?? '' })),
  );
  const [rule, setRule] = useState<AllocationRule>(r?.allocation?.rule ?? 'usage');
  const [fixedPercent, setFixedPercent] = useState(String(r?.allocation?.fixedPercent ?? 50));
  const [rate, setRate] = useState(r?.allocation?.rateCents != null ? centsInput(r.allocation.rateCents) : '');
  const [weights, setWeights] = useState<Record<number, string>>(() =>
    Object.fromEntries(Object.entries(r?.allocation?.weights ?? {}).map(([id, w]) => [Number(id), String(w)])),
  );
  const [allocationFrom, setAllocationFrom] = useState(monthOf(Date.now(), zone));
  // The allowance: hours (× units) included per structure and month, in hours typed with a comma.
  const allowanceText = (minutes: number) => i18n.number(minutes / 60).replace(/\s/g, '');
  const [allowanceOn, setAllowanceOn] = useState(Boolean(r?.allowance));
  const [allowanceHours, setAllowanceHours] = useState(r?.allowance ? allowanceText(r.allowance.minutesPerMonth) : '');
  const [allowanceLimit, setAllowanceLimit] = useState<AllowanceLimit>(r?.allowance?.limit ?? 'hard');
  const [allowanceMembers, setAllowanceMembers] = useState<Record<number, string>>(() =>
    Object.fromEntries((r?.allowance?.members ?? []).map((m) => [m.memberId, allowanceText(m.minutesPerMonth)])),
  );

  const { error, busy, onSubmit } = useFormSubmit(async () => {
    let openingHours: OpeningHours = null;
    if (!alwaysOpen) {
      const out: Record<string, [string, string][]> = {};
      for (const d of WEEKDAYS) {
        const parsed = parseHours(hours[d] ?? '');
        if (!parsed) throw new Error(t('resources.badHours', { day: weekdayLabel(i18n, d), value: hours[d] ?? '' }));
        if (parsed.length) out[String(d)] = parsed;
      }
      openingHours = out;
    }
    const weightEntries = Object.entries(weights).filter(([, w]) => w.trim() !== '');
    const allocation: Record<string, unknown> = { rule };
    if (rule === 'mixed') allocation.fixedPercent = Number(fixedPercent);
    if (rule === 'rate') {
      const cents = parseCents(rate);
      if (cents === null) throw new Error(t('money.unreadable'));
      allocation.rateCents = cents;
    }
    if (rule === 'weights' || rule === 'mixed') allocation.weights = weightEntries.length ? Object.fromEntries(weightEntries.map(([id, w]) => [id, Number(w)])) : null;
    const body: Record<string, unknown> = {
      name: name.trim(),
      kind,
      category: category.trim() || null,
      capacity: Number(capacity),
      bearerMemberId: bearer,
      granularityMinutes: Number(granularity),
      minMinutes: minMinutes ? Number(minMinutes) : null,
      maxMinutes: maxMinutes ? Number(maxMinutes) : null,
      horizonDays: Number(horizon),
      requiresApproval: approval,
      vatRate: Number(vatRate),
      ...(kind === 'staff' ? { managementFeesAgreed: feesAgreed } : {}),
      active,
      openingHours,
      blackouts: blackouts
        .filter((b) => b.start && b.end)
        .map((b) => ({ start: wallToIso(b.start, zone), end: wallToIso(b.end, zone), ...(b.reason.trim() ? { reason: b.reason.trim() } : {}) })),
    };
    if (allowanceOn) {
      const toMinutes = (text: string, label: string) => {
        const hours = parseDecimal(text);
        if (hours === null) throw new Error(t('resources.badAllowance', { who: label }));
        return Math.round(hours * 60);
      };
      body.allowance = {
        minutesPerMonth: toMinutes(allowanceHours, t('resources.allowanceDefault')),
        limit: allowanceLimit,
        members: session.members
          .filter((m) => (allowanceMembers[m.id] ?? '').trim() !== '')
          .map((m) => ({ memberId: m.id, minutesPerMonth: toMinutes(allowanceMembers[m.id]!, m.name) })),
      };
    } else if (r?.allowance) body.allowance = null;
    const ruleChanged = !r || JSON.stringify(r.allocation ?? { rule: 'usage' }) !== JSON.stringify({ ...r.allocation, ...allocation });
    if (ruleChanged) {
      body.allocation = allocation;
      body.allocationFrom = allocationFrom;
    }
    if (r) await api.patch(`/api/resources/${r.id}`, body);
    else await api.post('/api/resources', body);
    props.onSaved();
  });

  const updateBlackout = (index: number, patch: Partial<BlackoutDraft>) => setBlackouts(blackouts.map((b, i) => (i === index ? { ...b, ...patch } : b)));

  return (
    <Dialog title={r ? t('resources.edit', { name: r.name }) : t('resources.new')} open onClose={props.onClose} wide>
      <form class="form" onSubmit={onSubmit}>
        <ErrorMessage error={error} />
        <div class="form-row">
          <div class="field">
            <label for="res-name">{t('resources.name')}</label>
            <input id="res-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="res-category">
              {t('resources.category')} <span class="muted">{t('common.optional')}</span>
            </label>
            <input id="res-category" maxLength={100} value={category} onInput={(e) => setCategory(e.currentTarget.value)} />
          </div>
        </div>
        <div class="form-row">
          <div class="field">
            <label for="res-kind">{t('resources.kind')}</label>
            <select id="res-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as ResourceKind)}>
              {RESOURCE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {kindLabel(i18n, k)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="res-vat">{t('resources.vatRate')}</label>
            <select id="res-vat" aria-describedby="res-vat-hint" value={vatRate} onChange={(e) => setVatRate(e.currentTarget.value)}>
              {VAT_RATES.map((v) => (
                <option key={v} value={String(v)}>
                  {i18n.number(v, v % 1 ? 1 : 0)} %
                </option>
              ))}
            </select>
            <small id="res-vat-hint" class="hint">
              {t('resources.vatRateHint')}
            </small>
          </div>
          <div class="field">
            <label for="res-bearer">{t('resources.bearer')}</label>
            <select id="res-bearer" value={bearer} onChange={(e) => setBearer(Number(e.currentTarget.value))}>
              {session.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="form-row form-row-4">
          <div class="field">
            <label for="res-capacity">{t('resources.capacity')}</label>
            <input id="res-capacity" type="number" min={1} required value={capacity} onInput={(e) => setCapacity(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="res-granularity">{t('resources.granularity')}</label>
            <input id="res-granularity" type="number" min={1} max={1440} required value={granularity} onInput={(e) => setGranularity(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="res-min">{t('resources.minMinutes')}</label>
            <input id="res-min" type="number" min={1} value={minMinutes} onInput={(e) => setMinMinutes(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="res-max">{t('resources.maxMinutes')}</label>
            <input id="res-max" type="number" min={1} value={maxMinutes} onInput={(e) => setMaxMinutes(e.currentTarget.value)} />
          </div>
        </div>
        <div class="form-row">
          <div class="field">
            <label for="res-horizon">{t('resources.horizonDays')}</label>
            <input id="res-horizon" type="number" min={1} max={3660} required value={horizon} onInput={(e) => setHorizon(e.currentTarget.value)} />
          </div>
          <div class="field-group">
            <CheckboxField label={t('resources.requiresApproval')} checked={approval} onChange={setApproval} />
            {kind === 'staff' && <CheckboxField label={t('resources.managementFeesAgreed')} checked={feesAgreed} onChange={setFeesAgreed} />}
            <CheckboxField label={t('resources.active')} checked={active} onChange={setActive} />
          </div>
        </div>

        <fieldset class="fieldset">
          <legend>{t('resources.openingHours')}</legend>
          <CheckboxField label={t('resources.alwaysOpen')} checked={alwaysOpen} onChange={setAlwaysOpen} />
          {!alwaysOpen && (
            <>
              <p class="hint" id="hours-hint">
                {t('resources.hoursHelp')}
              </p>
              <div class="hours-grid">
                {WEEKDAYS.map((d) => (
                  <div class="field field-inline" key={d}>
                    <label for={`res-hours-${d}`}>{weekdayLabel(i18n, d)}</label>
                    <input
                      id={`res-hours-${d}`}
                      aria-describedby="hours-hint"
                      placeholder={t('calendar.closed')}
                      value={hours[d] ?? ''}
                      onInput={(e) => setHours({ ...hours, [d]: e.currentTarget.value })}
                    />
                  </div>
                ))}
              </div>
            </>
          )}
        </fieldset>

        <fieldset class="fieldset">
          <legend>{t('resources.blackouts')}</legend>
          {blackouts.map((b, index) => (
            <div class="form-row blackout-row" key={index}>
              <div class="field">
                <label for={`bo-start-${index}`}>{t('booking.start')}</label>
                <input id={`bo-start-${index}`} type="datetime-local" required value={b.start} onInput={(e) => updateBlackout(index, { start: e.currentTarget.value })} />
              </div>
              <div class="field">
                <label for={`bo-end-${index}`}>{t('booking.end')}</label>
                <input id={`bo-end-${index}`} type="datetime-local" required value={b.end} onInput={(e) => updateBlackout(index, { end: e.currentTarget.value })} />
              </div>
              <div class="field">
                <label for={`bo-reason-${index}`}>{t('resources.blackoutReason')}</label>
                <input id={`bo-reason-${index}`} maxLength={200} value={b.reason} onInput={(e) => updateBlackout(index, { reason: e.currentTarget.value })} />
              </div>
              <button type="button" class="button button-small button-danger" onClick={() => setBlackouts(blackouts.filter((_, i) => i !== index))}>
                {t('common.remove')}
              </button>
            </div>
          ))}
          <button type="button" class="button button-small" onClick={() => setBlackouts([...blackouts, { start: '', end: '', reason: '' }])}>
            {t('resources.addBlackout')}
          </button>
        </fieldset>

        <fieldset class="fieldset" data-testid="allowance-fields">
          <legend>{t('resources.allowance')}</legend>
          <CheckboxField label={t('resources.allowanceOn')} checked={allowanceOn} onChange={setAllowanceOn} />
          {allowanceOn && (
            <>
              <p class="hint" id="allowance-hint">
                {t('resources.allowanceHint')}
              </p>
              <div class="form-row">
                <div class="field">
                  <label for="res-allowance">{t('resources.allowanceDefault')}</label>
                  <input id="res-allowance" required inputMode="decimal" aria-describedby="allowance-hint" value={allowanceHours} onInput={(e) => setAllowanceHours(e.currentTarget.value)} />
                </div>
                <div class="field">
                  <label for="res-allowance-limit">{t('resources.allowanceLimit')}</label>
                  <select id="res-allowance-limit" value={allowanceLimit} onChange={(e) => setAllowanceLimit(e.currentTarget.value as AllowanceLimit)}>
                    <option value="hard">{t('resources.allowanceHard')}</option>
                    <option value="soft">{t('resources.allowanceSoft')}</option>
                  </select>
                </div>
              </div>
              <fieldset class="fieldset fieldset-inner">
                <legend>{t('resources.allowanceMembers')}</legend>
                <div class="hours-grid">
                  {session.members.map((m) => (
                    <div class="field field-inline" key={m.id}>
                      <label for={`res-allow-${m.id}`}>{m.name}</label>
                      <input
                        id={`res-allow-${m.id}`}
                        inputMode="decimal"
                        placeholder={allowanceHours}
                        value={allowanceMembers[m.id] ?? ''}
                        onInput={(e) => setAllowanceMembers({ ...allowanceMembers, [m.id]: e.currentTarget.value })}
                      />
                    </div>
                  ))}
                </div>
              </fieldset>
            </>
          )}
        </fieldset>

        <fieldset class="fieldset">
          <legend>{t('resources.allocation')}</legend>
          <div class="form-row">
            <div class="field">
              <label for="res-rule">{t('resources.rule')}</label>
              <select id="res-rule" value={rule} onChange={(e) => setRule(e.currentTarget.value as AllocationRule)}>
                {ALLOCATION_RULES.map((x) => (
                  <option key={x} value={x}>
                    {ruleLabel(i18n, x)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="res-rule-from">{t('resources.allocationFrom')}</label>
              <input id="res-rule-from" type="month" required value={allocationFrom} onInput={(e) => setAllocationFrom(e.currentTarget.value)} />
            </div>
            {rule === 'mixed' && (
              <div class="field">
                <label for="res-fixed">{t('resources.fixedPercent')}</label>
                <input id="res-fixed" type="number" min={0} max={100} required value={fixedPercent} onInput={(e) => setFixedPercent(e.currentTarget.value)} />
              </div>
            )}
            {rule === 'rate' && (
              <div class="field">
                <label for="res-rate">{t('resources.rateCents')}</label>
                <input id="res-rate" inputMode="decimal" required pattern="[0-9]+([.,][0-9]{1,2})?" value={rate} onInput={(e) => setRate(e.currentTarget.value)} />
              </div>
            )}
          </div>
          {(rule === 'weights' || rule === 'mixed') && (
            <fieldset class="fieldset fieldset-inner">
              <legend>{t('resources.weights')}</legend>
              <div class="hours-grid">
                {session.members.map((m) => (
                  <div class="field field-inline" key={m.id}>
                    <label for={`res-w-${m.id}`}>{m.name}</label>
                    <input
                      id={`res-w-${m.id}`}
                      type="number"
                      min={0}
                      placeholder={String(m.weight)}
                      value={weights[m.id] ?? ''}
                      onInput={(e) => setWeights({ ...weights, [m.id]: e.currentTarget.value })}
                    />
                  </div>
                ))}
              </div>
            </fieldset>
          )}
        </fieldset>

        <FormActions onCancel={props.onClose} busy={busy} submitLabel={r ? t('common.save') : t('common.create')} />
      </form>
    </Dialog>
  );
}
