import type { AppContext } from '../context';
import { checkAuditChain } from '../audit/service';
import { verifyFrozen } from '../documents/frozen-chain';
import { frozenRepository } from '../documents/frozen-repository';
import { verifyChains, type ChainProblem } from '../invoices/chain';
import { invoiceRepository } from '../invoices/repository';
import { seriesRepository } from '../invoices/series-repository';

export interface IntegrityReport {
  ok: boolean;
  documents: number;
  /** Rows of the audit trail checked. */
  auditRows: number;
  /** Documents whose PDF is stored (frozen); the others are frozen on first use. */
  frozen: number;
  problems: ChainProblem[];
}

/**
 * `GET /api/integrity` and `npm run verify`: recomputes every issuer's chain and series, every frozen
 * document's bytes against its digest and the chain of frozen-document records, and the audit trail's chain
 * (its problems are named `audit #id`).
 */
export function checkIntegrity(ctx: AppContext): IntegrityReport {
  const docs = invoiceRepository(ctx.sqlite).all();
  const frozen = frozenRepository(ctx.sqlite).all();
  const audit = checkAuditChain(ctx);
  const problems = [
    ...verifyChains(docs, seriesRepository(ctx.sqlite).counters()),
    ...verifyFrozen(frozen, new Map(docs.map((d) => [d.id, d.hash]))),
    ...audit.problems.map((p) => ({ invoiceId: null, number: `audit #${p.auditId}`, code: p.code, reason: p.reason })),
  ];
  return { ok: problems.length === 0, documents: docs.length, auditRows: audit.rows, frozen: frozen.length, problems };
}
