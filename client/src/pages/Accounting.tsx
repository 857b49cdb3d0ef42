import { useEffect, useState } from 'preact/hooks';
import { DownloadLink, ErrorMessage, Field, Loading, PageHeader, SelectField, TableWrap, useFormSubmit, useNotify } from '../components/ui';
import { useI18n, type MessageKey } from '../i18n/index';
import { api, withQuery } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { useSession } from '../lib/session';
import { todayIn } from '../lib/time';
import type { AccountMapping, AccountingExport, Items, MappingView } from '../lib/types';

const NATURES = ['salary', 'social_charges', 'reimbursed_expenses', 'rent_or_lease', 'subscription', 'other'] as const;
const KINDS = ['staff', 'room', 'equipment', 'service'] as const;
const SINGLE = ['customers', 'suppliers', 'bank', 'vatCollected', 'vatDeductible'] as const;
const JOURNALS = ['sales', 'purchases', 'bank', 'misc'] as const;
const PREFIXES = ['customerAuxPrefix', 'supplierAuxPrefix'] as const;

/** Only what differs from the defaults is stored (so later changes to the defaults still apply to the rest). */
function overridesOf(mapping: AccountMapping, defaults: AccountMapping): Record<string, unknown> {
  const diff = (a: unknown, b: unknown): unknown => {
    if (a && typeof a === 'object' && b && typeof b === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(a)) {
        const d = diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
        if (d !== undefined) out[k] = d;
      }
      return Object.keys(out).length ? out : undefined;
    }
    return a === b ? undefined : a;
  };
  const { chart: _chart, ...rest } = mapping;
  const out = (diff(rest, defaults) as Record<string, unknown> | undefined) ?? {};
  // A journal is stored whole (its code and its label), even when only one of them changed.
  const journals = out.journals as Record<string, unknown> | undefined;
  if (journals) for (const j of Object.keys(journals)) journals[j] = mapping.journals[j as keyof AccountMapping['journals']];
  return out;
}

/**
 * A member's « Comptabilité »: the FEC file of a period and the spreadsheets, the chart of accounts its entries
 * use (its admins and coordinators change it), and the files handed out so far. Coordinators pick the member.
 */
export function AccountingPage() {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  const notify = useNotify();
  const today = todayIn(zone);
  const [memberId, setMemberId] = useState<number>(session.me.memberId ?? session.members[0]?.id ?? 0);
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const view = useLoad(() => api.get<MappingView>(`/api/members/${memberId}/accounting`), [memberId]);
  const exportsList = useLoad(() => api.get<Items<AccountingExport>>(`/api/members/${memberId}/accounting/exports`), [memberId]);
  const [draft, setDraft] = useState<AccountMapping | null>(null);
  useEffect(() => setDraft(view.data ? structuredClone(view.data.mapping) : null), [view.data]);
  const mayEdit = session.isCoordinator || (session.me.role === 'member_admin' && session.me.memberId === memberId);
  const periodOk = from !== '' && to !== '' && from <= to;
  const invoiceQuery = { from, to, memberId: session.isCoordinator ? memberId : undefined };

  const save = useFormSubmit(async () => {
    if (!draft || !view.data) return;
    await api.put(`/api/members/${memberId}/accounting`, overridesOf(draft, view.data.defaults));
    notify(t('acc.saved'));
    view.reload();
  });
  const reset = async () => {
    await api.put(`/api/members/${memberId}/accounting`, {});
    notify(t('acc.saved'));
    view.reload();
  };
  const set = (update: (m: AccountMapping) => void) => {
    if (!draft) return;
    const next = structuredClone(draft);
    update(next);
    setDraft(next);
  };
  const account = (label: string, value: string | null, onChange: (v: string | null) => void, nullable = false) => (
    <Field
      label={label}
      value={value ?? ''}
      inputMode="numeric"
      pattern="[0-9]{3,12}"
      required={!nullable}
      disabled={!mayEdit}
      placeholder={nullable ? t('acc.byKind') : undefined}
      onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value.trim() || (nullable ? null : ''))}
    />
  );

  return (
    <section>
      <PageHeader title={t('acc.title')} />
      <p class="muted">{t('acc.intro')}</p>
      <div class="filters">
        {session.isCoordinator && (
          <SelectField
            label={t('common.member')}
            value={String(memberId)}
            onChange={(v) => setMemberId(Number(v))}
            options={session.members.map((m) => ({ value: String(m.id), label: m.name }))}
          />
        )}
        <Field label={t('acc.from')} type="date" value={from} max={to} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
        <Field label={t('acc.to')} type="date" value={to} min={from} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
      </div>
      {periodOk ? (
        <p class="actions" data-testid="accounting-downloads">
          {/* Each download is recorded: the history below shows it once the file is out. */}
          <a class="button button-small" href={withQuery(`/api/members/${memberId}/entries.fec`, { from, to })} download onClick={() => setTimeout(exportsList.reload, 1500)}>
            {t('acc.fec')}
          </a>{' '}
          <DownloadLink href={withQuery('/api/invoices.csv', invoiceQuery)}>{t('acc.invoicesCsv')}</DownloadLink>{' '}
          <DownloadLink href={withQuery('/api/invoices.xlsx', invoiceQuery)}>{t('acc.invoicesXlsx')}</DownloadLink>{' '}
          <DownloadLink href={withQuery('/api/balances.csv', { asOf: to > today ? today : to })}>{t('acc.balancesCsv')}</DownloadLink>{' '}
          <DownloadLink href={withQuery('/api/balances.xlsx', { asOf: to > today ? today : to })}>{t('acc.balancesXlsx')}</DownloadLink>
        </p>
      ) : (
        <p class="error">{t('acc.badPeriod')}</p>
      )}

      <h2>{t('acc.mapping')}</h2>
      <ErrorMessage error={view.error} />
      {!draft || !view.data ? (
        view.loading && <Loading />
      ) : (
        <form class="form" onSubmit={save.onSubmit}>
          <p class="muted">{t(view.data.chart === 'associations' ? 'acc.chartAssociations' : 'acc.chartPcg')}</p>
          <div class="grid-2">
            {SINGLE.map((k) => account(t(`acc.${k}` as MessageKey), draft[k], (v) => set((m) => void (m[k] = v ?? ''))))}
            <SelectField
              label={t('acc.recoverVat')}
              value={draft.recoverVat}
              disabled={!mayEdit}
              onChange={(v) => set((m) => void (m.recoverVat = v as AccountMapping['recoverVat']))}
              options={(['auto', 'yes', 'no'] as const).map((v) => ({ value: v, label: t(`acc.recover.${v}` as MessageKey) }))}
            />
          </div>
          {(['sales', 'expenses'] as const).map((side) => (
            <fieldset key={side}>
              <legend>{t(`acc.${side}` as MessageKey)}</legend>
              <div class="grid-2">
                {KINDS.map((k) => account(`${t('acc.kind')} ${t(`kind.${k}` as MessageKey)}`, draft[side].byKind[k] ?? null, (v) => set((m) => void (m[side].byKind[k] = v ?? ''))))}
                {NATURES.map((n) => account(`${t('acc.nature')} ${t(`nature.${n}` as MessageKey)}`, draft[side].byNature[n] ?? null, (v) => set((m) => void (m[side].byNature[n] = v)), true))}
                {account(t('acc.fallback'), draft[side].fallback, (v) => set((m) => void (m[side].fallback = v ?? '')))}
              </div>
            </fieldset>
          ))}
          <fieldset>
            <legend>{t('acc.journals')}</legend>
            <div class="grid-2">
              {JOURNALS.map((j) => [
                <Field
                  key={`${j}-code`}
                  label={t('acc.journalCode', { journal: t(`acc.journal.${j}` as MessageKey) })}
                  value={draft.journals[j]?.code ?? ''}
                  pattern="[A-Z0-9]{1,6}"
                  maxLength={6}
                  required
                  disabled={!mayEdit}
                  onInput={(e) => {
                    const code = (e.currentTarget as HTMLInputElement).value.trim().toUpperCase();
                    set((m) => void (m.journals[j] = { code, label: m.journals[j]?.label ?? '' }));
                  }}
                />,
                <Field
                  key={`${j}-label`}
                  label={t('acc.journalLabel', { journal: t(`acc.journal.${j}` as MessageKey) })}
                  value={draft.journals[j]?.label ?? ''}
                  maxLength={60}
                  required
                  disabled={!mayEdit}
                  onInput={(e) => {
                    const label = (e.currentTarget as HTMLInputElement).value;
                    set((m) => void (m.journals[j] = { code: m.journals[j]?.code ?? '', label }));
                  }}
                />,
              ])}
              {PREFIXES.map((k) => (
                <Field
                  key={k}
                  label={t(`acc.${k}` as MessageKey)}
                  hint={t('acc.auxPrefixHint')}
                  value={draft[k]}
                  pattern="[A-Z0-9]{0,4}"
                  maxLength={4}
                  disabled={!mayEdit}
                  onInput={(e) => {
                    const prefix = (e.currentTarget as HTMLInputElement).value.trim().toUpperCase();
                    set((m) => void (m[k] = prefix));
                  }}
                />
              ))}
            </div>
          </fieldset>
          <ErrorMessage error={save.error} />
          {mayEdit && (
            <p class="actions">
              <button type="submit" class="button button-primary" disabled={save.busy}>
                {t('common.save')}
              </button>{' '}
              <button type="button" class="button" onClick={() => void reset()}>
                {t('acc.reset')}
              </button>
            </p>
          )}
        </form>
      )}

      <h2>{t('acc.history')}</h2>
      <ErrorMessage error={exportsList.error} />
      {(exportsList.data?.items ?? []).length === 0 ? (
        <p class="muted">{t('acc.noHistory')}</p>
      ) : (
        <TableWrap label={t('acc.history')}>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('acc.generatedAt')}</th>
                <th scope="col">{t('acc.period')}</th>
                <th scope="col">{t('acc.entries')}</th>
                <th scope="col">SHA-256</th>
                <th scope="col">{t('acc.file')}</th>
              </tr>
            </thead>
            <tbody>
              {exportsList.data!.items.map((e) => (
                <tr key={e.id}>
                  <td>{i18n.dateTime(e.createdAt)}</td>
                  <td>
                    {i18n.date(e.from)} – {i18n.date(e.to)}
                  </td>
                  <td class="num">{e.entryCount}</td>
                  <td>
                    <code>{e.sha256.slice(0, 12)}…</code>
                  </td>
                  <td>
                    <DownloadLink href={withQuery(`/api/members/${memberId}/entries.fec`, { exportId: e.id })} context={e.filename}>
                      {e.filename}
                    </DownloadLink>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
