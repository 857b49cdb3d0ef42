import { createHash } from 'node:crypto';
import { zipSync, type Zippable } from 'fflate';
import type { AppContext } from '../context';
import type { RenderedFile } from '../documents/service';
import { invoiceRepository, type InvoiceRecord } from '../invoices/repository';
import { findMember } from '../members/repository';
import { canActFor, type Actor } from '../shared/actor';
import { badRequest, conflict, notFound } from '../shared/errors';
import { frozenDocument } from '../documents/frozen';
import { facturxSource } from './facturx';

/**
 * E-invoices of issued documents: the CII XML alone, and a member's outbox (its issued and received Factur-X
 * invoices and credit notes of a period, to upload to its plateforme agréée). Data is read in one snapshot;
 * rendering happens after it, outside any transaction.
 */

const snapshot = <T>(ctx: AppContext, read: () => T): T => ctx.sqlite.transaction(read)();

const visibleTo = (actor: Actor, record: InvoiceRecord) =>
  actor.role === 'coordinator' || record.sellerMemberId === actor.memberId || record.buyerMemberId === actor.memberId;

/**
 * `GET /api/invoices/:id/facturx.xml`: the CII XML stored at issue beside the Factur-X PDF (the bytes it embeds),
 * never a new rendering. A document issued as a plain PDF (a party's data could not make an e-invoice) has none.
 */
export async function invoiceXml(ctx: AppContext, actor: Actor, id: number): Promise<RenderedFile> {
  const record = snapshot(ctx, () => invoiceRepository(ctx.sqlite).find(id));
  if (!record || !visibleTo(actor, record)) throw notFound('invoice', id);
  const frozen = await frozenDocument(ctx, id);
  if (!frozen.xml) {
    throw conflict('einvoice.not_issued', `${record.number} was issued as a plain PDF: a party's data could not make a valid e-invoice`, { number: record.number });
  }
  return { filename: `${record.number}.xml`, contentType: 'application/xml', body: frozen.xml };
}

export interface OutboxRange {
  from?: string;
  to?: string;
}

/**
 * `GET /api/members/:id/einvoices.zip`: the member's e-invoices issued between `from` and `to` (issue dates,
 * inclusive; either may be left open), in `emises/` (it is the seller) and `recues/` (it is the buyer), each
 * as its Factur-X PDF and its XML, with a manifest (SHA-256 of every file). Another structure answers 404.
 */
export async function memberOutbox(ctx: AppContext, actor: Actor, memberId: number, range: OutboxRange): Promise<RenderedFile & { documents: number }> {
  if (range.from && range.to && range.from > range.to) throw badRequest('einvoice.invalid_range', `from (${range.from}) is after to (${range.to})`, range);
  if (!canActFor(actor, memberId)) throw notFound('member', memberId);
  const { member, docs } = snapshot(ctx, () => {
    const member = findMember(ctx.db, memberId);
    if (!member) throw notFound('member', memberId);
    const repo = invoiceRepository(ctx.sqlite);
    const docs = repo
      .list({ memberId })
      .filter((d) => (!range.from || d.issueDate >= range.from) && (!range.to || d.issueDate <= range.to))
      .map((d) => ({ folder: d.sellerMemberId === memberId ? 'emises' : 'recues', source: facturxSource(d, (i) => repo.find(i)) }));
    return { member, docs };
  });

  const root = `factur-x-${member.invoicePrefix}-${range.from ?? 'debut'}-${range.to ?? 'fin'}`;
  const zip: Zippable = {};
  const manifest: { path: string; number: string; kind: string; issueDate: string; bytes: number; sha256: string }[] = [];
  for (const { folder, source } of docs) {
    const frozen = await frozenDocument(ctx, source.id);
    // A document issued as a plain PDF has no e-invoice: its PDF goes alone, as issued.
    const files = frozen.xml ? ([['pdf', frozen.pdf], ['xml', frozen.xml]] as const) : ([['pdf', frozen.pdf]] as const);
    for (const [ext, body] of files) {
      const path = `${root}/${folder}/${source.number}.${ext}`;
      zip[path] = [body, { level: ext === 'pdf' ? 0 : 6 }];
      manifest.push({ path, number: source.number, kind: source.kind, issueDate: source.issueDate, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') });
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const manifestJson = JSON.stringify({ memberId, member: member.name, from: range.from ?? null, to: range.to ?? null, files: manifest }, null, 2);
  zip[`${root}/manifest.json`] = [new TextEncoder().encode(manifestJson), { level: 6 }];
  return { filename: `${root}.zip`, contentType: 'application/zip', body: Buffer.from(zipSync(zip)), documents: docs.length };
}
