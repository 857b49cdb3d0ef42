import { useMemo, useState } from 'preact/hooks';
import { CreditNoteDialog } from '../components/CreditNoteDialog';
import { BalancesTable } from '../components/BalancesTable';
import { InvoiceStatusBadge, PaymentsDialog } from '../components/PaymentsDialog';
import { DataTable, type Column } from '../components/DataTable';
import { DownloadLink, ErrorMessage, MonthPicker, PageHeader, useNotify } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api, withQuery } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { useSession } from '../lib/session';
import { addMonths, monthOf, todayIn } from '../lib/time';
import { vatSummary } from '../lib/labels';
import { INVOICE_STATUSES, type Balances, type Employee, type Invoice, type InvoiceStatus, type Items } from '../lib/types';
import { ShowMore, usePaged } from '../components/ShowMore';
import { HistoryButton } from '../components/HistoryPanel';

type Direction = 'all' | 'received' | 'issued';

/** The month an invoice bills (a credit note: its own period's). */
const monthOfInvoice = (inv: Invoice) => inv.month ?? inv.periodStart.slice(0, 7);

/**
 * What `memberId` still has to pay and to collect on open balances, as the server counts them (total − credit
 * notes − payments): a negative balance (credited after payment) is a refund owed the other way.
 */
export function openTotals(invoices: readonly Invoice[], memberId: number): { toPay: number; toCollect: number } {
  let toPay = 0;
  let toCollect = 0;
  for (const inv of invoices) {
    if (inv.kind !== 'invoice' || inv.openCents === 0) continue;
    // Positive: the buyer owes the seller; negative: the seller refunds the buyer.
    const payer = inv.openCents > 0 ? inv.buyerMemberId : inv.sellerMemberId;
    const payee = inv.openCents > 0 ? inv.sellerMemberId : inv.buyerMemberId;
    if (payer === memberId) toPay += Math.abs(inv.openCents);
    else if (payee === memberId) toCollect += Math.abs(inv.openCents);
  }
  return { toPay, toCollect };
}

/** Invoices where the structure is seller or buyer (all for coordinators), their payments, and the monthly statements. */
export function InvoicesPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const notify = useNotify();
  const [month, setMonth] = useState<string | null>(null);
  const [memberId, setMemberId] = useState<number | ''>(session.me.memberId ?? '');
  const [direction, setDirection] = useState<Direction>('all');
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<InvoiceStatus | ''>('');
  const [payingId, setPayingId] = useState<number | null>(null);
  const name = (inv: Invoice, side: 'seller' | 'buyer') => inv[side]?.name ?? session.memberName(side === 'seller' ? inv.sellerMemberId : inv.buyerMemberId);
  const [crediting, setCrediting] = useState<Invoice | null>(null);
  const invoices = useLoad(() => api.get<Items<Invoice>>('/api/invoices'), []);
  // Invoices billing a shared employee's time come with a relevé de mise à disposition (issue #14).
  const employees = useLoad(() => api.get<Items<Employee>>('/api/employees'), []);
  const staffResources = new Set((employees.data?.items ?? []).map((e) => e.resourceId).filter((id) => id !== null));
  const hasStaffStatement = (inv: Invoice) => inv.kind === 'invoice' && inv.id !== null && inv.lines.some((l) => l.resourceId != null && staffResources.has(l.resourceId));

  const months = useMemo(() => [...new Set((invoices.data?.items ?? []).map(monthOfInvoice))].sort().reverse(), [invoices.data]);
  // Until the user picks one, the latest month with invoices is shown.
  const shownMonth = month ?? months[0] ?? '';
  const all = invoices.data?.items ?? [];
  // Received: the structure is the buyer (it pays); issued: it is the seller (it collects).
  const isReceived = (inv: Invoice) => memberId !== '' && inv.buyerMemberId === memberId;
  const isIssued = (inv: Invoice) => memberId !== '' && inv.sellerMemberId === memberId;
  const rows = useMemo(() => {
    const words = search.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
    return all
      .filter((inv) => words.length > 0 || !shownMonth || monthOfInvoice(inv) === shownMonth)
      .filter((inv) => memberId === '' || inv.sellerMemberId === memberId || inv.buyerMemberId === memberId)
      .filter((inv) => direction === 'all' || (direction === 'received' ? isReceived(inv) : isIssued(inv)))
      .filter((inv) => status === '' || (inv.kind === 'invoice' && inv.status === status))
      .filter((inv) => {
        if (!words.length) return true;
        const text = `${inv.number} ${name(inv, 'seller')} ${name(inv, 'buyer')} ${i18n.money(inv.totalInclVatCents)}`.toLocaleLowerCase();
        return words.every((w) => text.includes(w));
      })
      .sort((a, b) => monthOfInvoice(b).localeCompare(monthOfInvoice(a)) || b.issueDate.localeCompare(a.issueDate) || b.number.localeCompare(a.number));
  }, [invoices.data, shownMonth, memberId, direction, search, status]);
  // Several months listed (« Tous les mois », or a search over every month): the rows come under each month's heading.
  const manyMonths = new Set(rows.map(monthOfInvoice)).size > 1;
  const paged = usePaged(rows, 30, [shownMonth, memberId, direction, search, status]);
  const { toPay, toCollect } = memberId === '' ? { toPay: 0, toCollect: 0 } : openTotals(all, memberId);
  // The dialog follows the list: after a payment its amounts and status come from the reloaded invoice.
  const paying = payingId === null ? null : (all.find((inv) => inv.id === payingId) ?? null);
  const creditNotesOf = (inv: Invoice) => (invoices.data?.items ?? []).filter((d) => d.kind === 'credit_note' && d.creditedInvoiceId === inv.id);
  const mayCredit = (inv: Invoice) => session.isCoordinator && inv.kind === 'invoice' && inv.id !== null && (inv.creditableCents ?? 0) > 0;

  const columns: Column<Invoice>[] = [
    {
      label: t('invoices.number'),
      class: 'nowrap',
      cell: (inv) => (
        <>
          <strong>{inv.number}</strong>
          {inv.kind === 'credit_note' && (
            <span class="muted block small">{inv.creditedInvoiceNumber ? t('invoices.creditNoteOf', { number: inv.creditedInvoiceNumber }) : t('invoices.kind.credit_note')}</span>
          )}
          {inv.kind === 'invoice' && inv.creditNotes && inv.creditNotes.length > 0 && (
            <span class="muted block small">{t('invoices.creditedBy', { numbers: inv.creditNotes.map((n) => n.number).join(', ') })}</span>
          )}
        </>
      ),
    },
    {
      label: `${t('invoices.seller')} → ${t('invoices.buyer')}`,
      class: 'parties wide',
      cell: (inv) => (
        <>
          {name(inv, 'seller')}
          <span class="muted"> → </span>
          {name(inv, 'buyer')}
        </>
      ),
    },
    { label: t('invoices.issueDate'), class: 'nowrap', cell: (inv) => i18n.day(inv.issueDate) },
    { label: t('invoices.amount'), class: 'num', headClass: 'num', cell: (inv) => i18n.money(inv.totalInclVatCents) },
    { label: t('invoices.vat'), class: 'small', cell: (inv) => vatSummary(i18n, inv) },
    {
      label: t('invoices.payment'),
      class: 'wide',
      cell: (inv) => (
        <>
          {inv.kind === 'invoice' && isReceived(inv) && <span class="direction direction-out">{t('invoices.received')}</span>}
          {inv.kind === 'invoice' && isIssued(inv) && <span class="direction direction-in">{t('invoices.issued')}</span>}
          <InvoiceStatusBadge invoice={inv} side={isIssued(inv) ? 'issued' : isReceived(inv) ? 'received' : undefined} />
          {inv.kind === 'invoice' && inv.status === 'partially_paid' && (
            <span class="muted block small" data-testid="paid-open">
              {t('invoices.paidSoFar', { paid: i18n.money(inv.paidCents), open: i18n.money(inv.openCents) })}
            </span>
          )}
          {inv.kind === 'invoice' && inv.openCents < 0 && <span class="muted block small">{t('invoices.refundDue', { amount: i18n.money(-inv.openCents) })}</span>}
          {inv.kind === 'invoice' && inv.openCents > 0 && <span class="muted block small">{t('invoices.dueOn', { date: i18n.day(inv.dueDate) })}</span>}
        </>
      ),
    },
    {
      label: t('common.actions'),
      class: 'actions',
      cell: (inv) => (
        <div class="action-group">
          {inv.id !== null && (
            <DownloadLink href={`/api/invoices/${inv.id}/pdf`} context={t(inv.kind === 'credit_note' ? 'invoices.pdfOfCreditNote' : 'invoices.pdfOf', { number: inv.number })}>
              {t('common.downloadPdf')}
            </DownloadLink>
          )}
          {hasStaffStatement(inv) && (
            <DownloadLink href={`/api/invoices/${inv.id}/staff-statement.pdf`} context={t('invoices.staffStatementOf', { number: inv.number })}>
              {t('invoices.staffStatement')}
            </DownloadLink>
          )}
          {inv.kind === 'invoice' && inv.id !== null && (
            <button type="button" class="button button-small" onClick={() => setPayingId(inv.id)}>
              {t('invoices.payments')}
              <span class="visually-hidden"> — {inv.number}</span>
            </button>
          )}
          {mayCredit(inv) && (
            <button type="button" class="button button-small" onClick={() => setCrediting(inv)}>
              {t('invoices.issueCreditNote')}
              <span class="visually-hidden"> — {inv.number}</span>
            </button>
          )}
          {inv.id !== null && <HistoryButton objectType="invoice" objectId={inv.id} name={inv.number} />}
        </div>
      ),
    },
  ];

  return (
    <section>
      <PageHeader title={t('invoices.title')}>
        {(['csv', 'xlsx'] as const).map((format) => (
          <DownloadLink key={format} href={withQuery(`/api/invoices.${format}`, { month: shownMonth, memberId })}>
            {t(`export.${format}`)}
          </DownloadLink>
        ))}
      </PageHeader>
      {memberId !== '' && invoices.data && (
        <dl class="balance" data-testid="balance" aria-label={t('invoices.balance')}>
          <div>
            <dt>{t('invoices.toPay')}</dt>
            <dd class="num">{i18n.money(toPay)}</dd>
          </div>
          <div>
            <dt>{t('invoices.toCollect')}</dt>
            <dd class="num">{i18n.money(toCollect)}</dd>
          </div>
          <div>
            <dt>{toCollect - toPay >= 0 ? t('invoices.netIn') : t('invoices.netOut')}</dt>
            <dd class="num">
              <strong>{i18n.money(Math.abs(toCollect - toPay))}</strong>
            </dd>
          </div>
        </dl>
      )}
      <div class="filters">
        {memberId !== '' && (
          <div class="segmented" role="group" aria-label={t('invoices.direction')}>
            {(['all', 'received', 'issued'] as const).map((d) => (
              <button key={d} type="button" class={direction === d ? 'button button-on' : 'button'} aria-pressed={direction === d} onClick={() => setDirection(d)}>
                {t(`invoices.direction.${d}`)}
              </button>
            ))}
          </div>
        )}
        <div class="field field-inline">
          <label for="invoice-search">{t('common.search')}</label>
          <input id="invoice-search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} placeholder={t('invoices.searchHint')} />
        </div>
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
        <div class="field field-inline">
          <label for="invoice-status">{t('invoices.status')}</label>
          <select id="invoice-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as InvoiceStatus | '')}>
            <option value="">{t('invoices.status.all')}</option>
            {INVOICE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`invoices.status.${s}`)}
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
      <DataTable
        label={t('invoices.title')}
        testId="invoices"
        stack
        columns={columns}
        rows={invoices.data && paged.shown}
        rowKey={(inv) => inv.id ?? inv.number}
        group={manyMonths ? (inv) => ({ key: monthOfInvoice(inv), heading: i18n.month(monthOfInvoice(inv)) }) : undefined}
        loading={invoices.loading}
        error={invoices.error}
        empty={search ? t('common.noMatch') : all.length === 0 ? t('invoices.noneYet') : t('invoices.none')}
      />
      <ShowMore paged={paged} />
      {!session.isCoordinator && <MemberBalances invoices={all} />}
      <Statements />
      <AccountStatement />
      <RevenueTitles />
      {paying && <PaymentsDialog invoice={paying} onClose={() => setPayingId(null)} onChanged={invoices.reload} />}
      {crediting && (
        <CreditNoteDialog
          invoice={crediting}
          creditNotes={creditNotesOf(crediting)}
          onClose={() => setCrediting(null)}
          onIssued={(note) => {
            setCrediting(null);
            notify(t('credit.issued', { number: note.number, invoice: crediting.number }));
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

/** What the structure still owes each other member, and what each owes it, as of a day (coordinators: the settlements page). */
function MemberBalances({ invoices }: { invoices: readonly Invoice[] }) {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const today = todayIn(zone);
  const [asOf, setAsOf] = useState(today);
  const day = /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : today;
  const balances = useLoad(() => api.get<Balances>('/api/balances', { asOf: day }), [day]);
  const numbers = useMemo(() => new Map(invoices.map((inv) => [inv.id, inv.number])), [invoices]);
  return (
    <section class="card section" aria-labelledby="member-balances-title">
      <h2 id="member-balances-title">{t('balances.title')}</h2>
      <p class="muted">{t('balances.help', { date: i18n.day(day) })}</p>
      <div class="filters">
        <div class="field field-inline">
          <label for="member-balances-as-of">{t('settle.asOf')}</label>
          <input id="member-balances-as-of" type="date" max={today} value={asOf} onInput={(e) => setAsOf(e.currentTarget.value)} />
        </div>
      </div>
      <ErrorMessage error={balances.error} />
      {balances.data && <BalancesTable balances={balances.data} invoiceNumber={(id) => numbers.get(id) ?? `#${id}`} />}
    </section>
  );
}

/**
 * A member's account statement (relevé de compte) for a period: invoices and credit notes issued and received,
 * their payments and what is still open (`GET /api/members/:id/account.pdf?from=&to=`). A member downloads its
 * own, a coordinator any member's.
 */
function AccountStatement() {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  const today = todayIn(zone);
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const [memberId, setMemberId] = useState<number | null>(session.me.memberId ?? session.members[0]?.id ?? null);
  const invalid = from !== '' && to !== '' && from > to;
  return (
    <section class="card section" aria-labelledby="account-statement-title">
      <h2 id="account-statement-title">{t('accountStatement.title')}</h2>
      <p class="muted">{t('accountStatement.help')}</p>
      <div class="filters">
        <div class="field field-inline">
          <label for="account-from">{t('common.from')}</label>
          <input id="account-from" type="date" max={to || today} value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class="field field-inline">
          <label for="account-to">{t('common.to')}</label>
          <input id="account-to" type="date" min={from} max={today} value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </div>
        {session.isCoordinator && (
          <div class="field field-inline">
            <label for="account-member">{t('common.member')}</label>
            <select id="account-member" value={memberId ?? ''} onChange={(e) => setMemberId(Number(e.currentTarget.value))}>
              {session.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {memberId !== null && !invalid && (
          <a class="button button-primary" href={withQuery(`/api/members/${memberId}/account.pdf`, { from, to })} download>
            {t('accountStatement.download')}
          </a>
        )}
      </div>
      {invalid && <p class="alert alert-error">{t('accountStatement.invalidRange')}</p>}
    </section>
  );
}

/** A public body bills with titres de recettes: its relevé lists what each member owes it for a month. */
function RevenueTitles() {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  const bodies = session.members.filter((m) => m.publicBody && (session.isCoordinator || m.id === session.me.memberId));
  const [month, setMonth] = useState(addMonths(monthOf(Date.now(), zone), -1));
  const [memberId, setMemberId] = useState<number | null>(bodies[0]?.id ?? null);
  if (bodies.length === 0) return null;
  return (
    <section class="card section" aria-labelledby="revenue-titles-title">
      <h2 id="revenue-titles-title">{t('invoices.revenueTitles')}</h2>
      <p class="muted">{t('invoices.revenueTitlesHelp')}</p>
      <div class="filters">
        <MonthPicker value={month} onChange={setMonth} max={monthOf(Date.now(), zone)} />
        {bodies.length > 1 && (
          <div class="field field-inline">
            <label for="revenue-member">{t('common.member')}</label>
            <select id="revenue-member" value={memberId ?? ''} onChange={(e) => setMemberId(Number(e.currentTarget.value))}>
              {bodies.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {memberId !== null && (
          <a class="button button-primary" href={`/api/closings/${month}/revenue-titles/${memberId}/pdf`} download>
            {t('invoices.revenueTitles')} — {i18n.month(month)}
          </a>
        )}
      </div>
    </section>
  );
}
