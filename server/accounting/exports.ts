import type { AppContext } from '../context';
import { describeBasis } from '../invoices/wording';
import { getAllocations } from '../closing/month-allocation';
import { listInvoices } from '../invoices/service';
import { invoiceRepository } from '../invoices/repository';
import { getBalances } from '../settlements/ledger';
import type { Actor } from '../shared/actor';
import { unprocessable } from '../shared/errors';
import { parseLocalDate } from '../shared/time';
import { accountingRepository } from './repository';
import type { Table } from './tabular';

/** The tables behind the « Exporter » buttons: the same rows the API lists, with names instead of ids. */

function names(ctx: AppContext) {
  const members = new Map(
    (ctx.sqlite.prepare('SELECT id, name, siren FROM members').all() as { id: number; name: string; siren: string }[]).map((m) => [m.id, m]),
  );
  const resources = new Map((ctx.sqlite.prepare('SELECT id, name, kind FROM resources').all() as { id: number; name: string; kind: string }[]).map((r) => [r.id, r]));
  return { members, resources };
}

const KIND_FR: Record<string, string> = { service: 'Service', equipment: 'Matériel', room: 'Salle', staff: 'Personnel partagé' };

/** A month's allocation, one row per (resource, member) the actor may see, as `GET /api/allocations`. */
export function allocationsTable(ctx: AppContext, actor: Actor, month: string): Table {
  const view = getAllocations(ctx, actor, month);
  const { members, resources } = names(ctx);
  const bearerOf = new Map(view.totals.resources.map((r) => [r.resourceId, r.bearerMemberId]));
  return {
    name: `repartition-${month}`,
    title: `Répartition ${month}`,
    columns: [
      { key: 'month', header: 'Mois', type: 'text', width: 9 },
      { key: 'status', header: 'Statut', type: 'text', width: 12 },
      { key: 'resource', header: 'Ressource', type: 'text', width: 36 },
      { key: 'kind', header: 'Type', type: 'text', width: 18 },
      { key: 'bearer', header: 'Porteur de la charge', type: 'text', width: 36 },
      { key: 'member', header: 'Structure', type: 'text', width: 36 },
      { key: 'siren', header: 'SIREN', type: 'text', width: 11 },
      { key: 'usageMinutes', header: 'Usage (minutes)', type: 'integer', width: 15 },
      { key: 'share', header: 'Part (€)', type: 'cents', width: 14 },
      { key: 'basis', header: 'Base de répartition', type: 'text', width: 60 },
    ],
    rows: view.rows.map((r) => ({
      month,
      status: view.final ? 'définitive' : 'provisoire',
      resource: resources.get(r.resourceId)?.name ?? `#${r.resourceId}`,
      kind: KIND_FR[resources.get(r.resourceId)?.kind ?? ''] ?? '',
      bearer: members.get(bearerOf.get(r.resourceId) ?? 0)?.name ?? '',
      member: members.get(r.memberId)?.name ?? `#${r.memberId}`,
      siren: members.get(r.memberId)?.siren ?? '',
      usageMinutes: r.usageMinutes,
      share: r.shareCents,
      basis: describeBasis(r.basis),
    })),
  };
}

export interface InvoicesTableQuery {
  from?: string;
  to?: string;
  month?: string;
  memberId?: number;
}

/** Invoices and credit notes the actor may see, issued between `from` and `to` and/or of a service month. */
export function invoicesTable(ctx: AppContext, actor: Actor, query: InvoicesTableQuery): Table {
  for (const [name, value] of [['from', query.from], ['to', query.to]] as const) {
    if (value !== undefined && !parseLocalDate(value)) throw unprocessable('export.invalid_date', `${name} ${value} is not a date (YYYY-MM-DD)`);
  }
  if (query.from && query.to && query.from > query.to) throw unprocessable('export.invalid_period', `from ${query.from} is after to ${query.to}`);
  if (query.memberId !== undefined && actor.role === 'coordinator' && !accountingRepository(ctx.sqlite).member(query.memberId)) throw unprocessable('export.unknown_member', `No member ${query.memberId}`);
  const docs = listInvoices(ctx, actor, { memberId: query.memberId, month: query.month }).filter(
    (d) => (query.from === undefined || d.issueDate >= query.from) && (query.to === undefined || d.issueDate <= query.to),
  );
  const span = [query.month, query.from, query.to].filter(Boolean).join('_');
  const numberOf = new Map(docs.map((d) => [d.id, d.number]));
  return {
    name: span ? `factures-${span}` : 'factures',
    title: 'Factures',
    columns: [
      { key: 'number', header: 'Numéro', type: 'text', width: 18 },
      { key: 'kind', header: 'Type', type: 'text', width: 9 },
      { key: 'issueDate', header: 'Date', type: 'date', width: 11 },
      { key: 'month', header: 'Mois facturé', type: 'text', width: 12 },
      { key: 'seller', header: 'Émetteur', type: 'text', width: 36 },
      { key: 'sellerSiren', header: 'SIREN émetteur', type: 'text', width: 11 },
      { key: 'buyer', header: 'Destinataire', type: 'text', width: 36 },
      { key: 'buyerSiren', header: 'SIREN destinataire', type: 'text', width: 11 },
      { key: 'exclVat', header: 'HT (€)', type: 'cents', width: 13 },
      { key: 'vat', header: 'TVA (€)', type: 'cents', width: 12 },
      { key: 'inclVat', header: 'TTC (€)', type: 'cents', width: 13 },
      { key: 'dueDate', header: 'Échéance', type: 'date', width: 11 },
      { key: 'paidOn', header: 'Payée le', type: 'date', width: 11 },
      { key: 'credited', header: 'Facture créditée', type: 'text', width: 18 },
    ],
    rows: docs.map((d) => ({
      number: d.number,
      kind: d.kind === 'invoice' ? 'Facture' : 'Avoir',
      issueDate: d.issueDate,
      month: d.month,
      seller: d.seller.name,
      sellerSiren: d.seller.siren,
      buyer: d.buyer.name,
      buyerSiren: d.buyer.siren,
      exclVat: d.totalExclVatCents,
      vat: d.totalVatCents,
      inclVat: d.totalInclVatCents,
      dueDate: d.kind === 'invoice' ? d.dueDate : null,
      paidOn: d.paidOn,
      credited: d.creditedInvoiceId === null ? null : (numberOf.get(d.creditedInvoiceId) ?? d.creditedInvoiceNumber ?? null),
    })),
  };
}

/** What each member still owes each other member as of a day, as `GET /api/balances` (the pairs the actor may see). */
export function balancesTable(ctx: AppContext, actor: Actor, asOf?: string): Table {
  const balances = getBalances(ctx, actor, asOf);
  const { members } = names(ctx);
  const invoices = invoiceRepository(ctx.sqlite);
  return {
    name: `soldes-${balances.asOf}`,
    title: `Soldes au ${balances.asOf}`,
    columns: [
      { key: 'asOf', header: 'Au', type: 'date', width: 11 },
      { key: 'debtor', header: 'Doit', type: 'text', width: 36 },
      { key: 'debtorSiren', header: 'SIREN débiteur', type: 'text', width: 11 },
      { key: 'creditor', header: 'À', type: 'text', width: 36 },
      { key: 'creditorSiren', header: 'SIREN créancier', type: 'text', width: 11 },
      { key: 'open', header: 'Reste dû (€)', type: 'cents', width: 14 },
      { key: 'invoices', header: 'Factures', type: 'text', width: 50 },
    ],
    rows: balances.items.map((b) => ({
      asOf: balances.asOf,
      debtor: members.get(b.fromMemberId)?.name ?? `#${b.fromMemberId}`,
      debtorSiren: members.get(b.fromMemberId)?.siren ?? '',
      creditor: members.get(b.toMemberId)?.name ?? `#${b.toMemberId}`,
      creditorSiren: members.get(b.toMemberId)?.siren ?? '',
      open: b.openCents,
      invoices: b.invoiceIds.map((id) => invoices.find(id)?.number ?? `#${id}`).join(', '),
    })),
  };
}
