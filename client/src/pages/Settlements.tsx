import { useMemo, useState } from 'preact/hooks';
import { BalancesTable } from '../components/BalancesTable';
import { Dialog, ErrorMessage, Loading, PageHeader, TableWrap, useNotify } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api, ApiError } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { useSession } from '../lib/session';
import { todayIn } from '../lib/time';
import type { Balances, Invoice, Items, PlannedTransfer, RecordedSettlement, SettlementMode, SettlementPlan } from '../lib/types';

const MODES: SettlementMode[] = ['bilateral', 'multilateral'];

/**
 * The plan of transfers that settles the open balances (issued − credited − paid) as of a day: bilateral by
 * default (each pair's mutual debts set off, Code civil 1347), multilateral only among members with a netting
 * agreement, public bodies never netted. A coordinator records a transfer once it is made: its invoices get
 * their payments, and the plan, computed again, no longer lists it.
 */
export function SettlementsPage() {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  const { memberName } = session;
  const today = todayIn(zone);
  const [asOf, setAsOf] = useState(today);
  const [mode, setMode] = useState<SettlementMode>('bilateral');
  const [recording, setRecording] = useState<PlannedTransfer[] | null>(null);
  const validDay = /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : today;
  const plan = useLoad(() => api.get<SettlementPlan>('/api/settlements', { asOf: validDay, mode }), [validDay, mode]);
  const balances = useLoad(() => api.get<Balances>('/api/balances', { asOf: validDay }), [validDay]);
  const invoices = useLoad(() => api.get<Items<Invoice>>('/api/invoices', { kind: 'invoice' }), []);
  const byId = useMemo(() => new Map((invoices.data?.items ?? []).map((inv) => [inv.id, inv])), [invoices.data]);
  const invoiceNumber = (id: number) => byId.get(id)?.number ?? `#${id}`;
  const p = plan.data;
  const legs = p?.transfers.filter((tr) => tr.basis === 'multilateral') ?? [];
  const netting = session.members.filter((m) => m.nettingAgreement && !m.publicBody);
  const reload = () => {
    plan.reload();
    balances.reload();
    invoices.reload();
  };

  return (
    <section>
      <PageHeader title={t('settle.title')} />
      <p class="muted">{t('settle.intro')}</p>
      <div class="filters">
        <div class="field field-inline">
          <label for="settle-as-of">{t('settle.asOf')}</label>
          <input id="settle-as-of" type="date" max={today} value={asOf} onInput={(e) => setAsOf(e.currentTarget.value)} />
        </div>
        <div class="segmented" role="group" aria-label={t('settle.mode')}>
          {MODES.map((m) => (
            <button key={m} type="button" class={mode === m ? 'button button-on' : 'button'} aria-pressed={mode === m} onClick={() => setMode(m)}>
              {t(`settle.mode.${m}`)}
            </button>
          ))}
        </div>
      </div>
      <div class="card section" data-testid="mode-help">
        <p>{t(`settle.modeHelp.${mode}`)}</p>
        <p>{t('settle.publicBodies')}</p>
        {mode === 'multilateral' && (
          <p>
            {netting.length === 0
              ? t('settle.noAgreement')
              : t('settle.agreementMembers', { names: netting.map((m) => m.name).join(', ') })}
          </p>
        )}
      </div>
      <ErrorMessage error={plan.error ?? balances.error ?? invoices.error} />
      {!p ? (
        plan.loading && <Loading />
      ) : (
        <div class="grid-2">
          <div>
            <h2>{t('settle.transfers')}</h2>
            {p.transfers.length === 0 ? (
              <p class="muted">{t('settle.none')}</p>
            ) : (
              <ol class="transfers" data-testid="transfers">
                {p.transfers.map((tr) => (
                  <li key={`${tr.basis}:${tr.fromMemberId}>${tr.toMemberId}`} class="card transfer" data-testid="transfer" data-basis={tr.basis} data-from={tr.fromMemberId} data-to={tr.toMemberId}>
                    <p>
                      <strong>{t('settle.transfer', { from: memberName(tr.fromMemberId), to: memberName(tr.toMemberId), amount: i18n.money(tr.amountCents) })}</strong>
                    </p>
                    <p class="muted small">
                      {tr.basis === 'bilateral' && tr.offsetCents > 0
                        ? t('settle.basis.offset', { amount: i18n.money(tr.offsetCents) })
                        : t(`settle.basis.${tr.basis}`)}
                    </p>
                    <p class="small">
                      {t('settle.settles')} {tr.invoiceIds.map(invoiceNumber).join(', ')}
                    </p>
                    {session.isCoordinator && tr.basis !== 'multilateral' && (
                      <button type="button" class="button button-small" onClick={() => setRecording([tr])}>
                        {t(tr.amountCents === 0 ? 'settle.recordOffset' : 'settle.record')}
                        <span class="visually-hidden"> — {t('settle.transfer', { from: memberName(tr.fromMemberId), to: memberName(tr.toMemberId), amount: i18n.money(tr.amountCents) })}</span>
                      </button>
                    )}
                  </li>
                ))}
              </ol>
            )}
            {session.isCoordinator && legs.length > 0 && (
              <p>
                <button type="button" class="button" onClick={() => setRecording(legs)}>
                  {t('settle.recordClearing', { n: legs.length })}
                </button>
              </p>
            )}
          </div>
          <div>
            <h2>{t('settle.positions')}</h2>
            {p.positions.length === 0 ? (
              <p class="muted">{t('settle.none')}</p>
            ) : (
              <TableWrap label={t('settle.positions')}>
                <table class="table">
                  <thead>
                    <tr>
                      <th scope="col">{t('common.member')}</th>
                      <th scope="col" class="num">
                        {t('settle.net')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...p.positions]
                      .sort((a, b) => b.netCents - a.netCents)
                      .map((pos) => (
                        <tr key={pos.memberId}>
                          <th scope="row">{memberName(pos.memberId)}</th>
                          <td class={pos.netCents < 0 ? 'num negative' : 'num positive'}>
                            {i18n.money(pos.netCents)} <span class="muted small">{pos.netCents < 0 ? t('settle.pays') : pos.netCents > 0 ? t('settle.receives') : ''}</span>
                          </td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </div>
        </div>
      )}
      <section class="section" aria-labelledby="balances-title">
        <h2 id="balances-title">{t('balances.title')}</h2>
        <p class="muted">{t('balances.help', { date: i18n.day(validDay) })}</p>
        {balances.data && <BalancesTable balances={balances.data} invoiceNumber={invoiceNumber} />}
      </section>
      {recording && (
        <RecordTransferDialog
          transfers={recording}
          asOf={validDay}
          mode={mode}
          invoiceNumber={invoiceNumber}
          onClose={() => setRecording(null)}
          onStale={reload}
          onRecorded={() => {
            setRecording(null);
            reload();
          }}
        />
      )}
    </section>
  );
}

/**
 * Records transfers of the plan as made (`POST /api/settlements/transfers`): the payments of the invoices they
 * settle, in one go. A plan changed meanwhile (409) is computed again.
 */
function RecordTransferDialog(props: {
  transfers: PlannedTransfer[];
  asOf: string;
  mode: SettlementMode;
  invoiceNumber(id: number): string;
  onClose(): void;
  onStale(): void;
  onRecorded(): void;
}) {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const { memberName } = useSession();
  const notify = useNotify();
  const today = todayIn(zone);
  const [paidOn, setPaidOn] = useState(today);
  const [reference, setReference] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const count = props.transfers.reduce((n, tr) => n + tr.invoiceIds.length, 0);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.post<RecordedSettlement>('/api/settlements/transfers', {
        paidOn,
        asOf: props.asOf,
        mode: props.mode,
        reference: reference.trim() || null,
        transfers: props.transfers.map(({ fromMemberId, toMemberId, amountCents, invoiceIds }) => ({ fromMemberId, toMemberId, amountCents, invoiceIds })),
      });
      notify(t('settle.recorded', { n: result.payments.length }));
      props.onRecorded();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === 'settlement.stale_plan') props.onStale();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={props.transfers.length > 1 ? t('settle.recordClearingTitle') : t('settle.recordTitle')} open onClose={props.onClose}>
      <form class="form" onSubmit={submit}>
        <ul>
          {props.transfers.map((tr) => (
            <li key={`${tr.fromMemberId}>${tr.toMemberId}`}>
              {t('settle.transfer', { from: memberName(tr.fromMemberId), to: memberName(tr.toMemberId), amount: i18n.money(tr.amountCents) })}
              <span class="muted small block">
                {t('settle.settles')} {tr.invoiceIds.map(props.invoiceNumber).join(', ')}
              </span>
            </li>
          ))}
        </ul>
        <p id="record-transfer-warning">{t('settle.recordWarning', { n: count })}</p>
        <ErrorMessage error={error} />
        <div class="field">
          <label for="transfer-date">{t('settle.paidOn')}</label>
          <input id="transfer-date" type="date" required min={props.asOf} max={today} value={paidOn} onInput={(e) => setPaidOn(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="transfer-reference">{t('payments.referenceLabel')}</label>
          <input id="transfer-reference" maxLength={200} value={reference} onInput={(e) => setReference(e.currentTarget.value)} />
        </div>
        <div class="form-actions">
          <button type="button" class="button" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="button button-primary" disabled={busy} aria-describedby="record-transfer-warning">
            {props.transfers.length > 1 ? t('settle.recordClearingSubmit') : t('settle.record')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
