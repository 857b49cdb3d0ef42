import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';
import type { ResourceAllocation } from './allocation';
import type { CostEntry } from './adjustments-rules';

/** SQL of the adjustments to closed months (tables `adjustments` and `adjustment_documents`). */

/** The change of one invoiced share (excl. VAT); `invoiceId`/`line` for a corrected line of an invoice. */
export interface ShareDelta {
  resourceId: number | null;
  sellerMemberId: number;
  buyerMemberId: number;
  deltaCents: number;
  invoiceId?: number;
  line?: number;
}

export interface AdjustmentRecord {
  id: number;
  month: string;
  kind: 'resource' | 'invoice';
  resourceId: number | null;
  invoiceId: number | null;
  input: unknown;
  costsAfter: CostEntry[] | null;
  allocation: ResourceAllocation | null;
  deltas: ShareDelta[];
  costDeltaCents: number;
  reason: string | null;
  createdAt: number;
  createdByUserId: number | null;
  documentIds: number[];
}

interface Raw {
  id: number;
  month: string;
  kind: 'resource' | 'invoice';
  resourceId: number | null;
  invoiceId: number | null;
  input: string;
  costsAfter: string | null;
  allocation: string | null;
  deltas: string;
  costDeltaCents: number;
  reason: string | null;
  createdAt: number;
  createdByUserId: number | null;
  documentIds: string | null;
}

const COLUMNS = `a.id, a.month, a.kind, a.resource_id AS resourceId, a.invoice_id AS invoiceId, a.input, a.costs_after AS costsAfter,
  a.allocation, a.deltas, a.cost_delta_cents AS costDeltaCents, a.reason, a.created_at AS createdAt, a.created_by_user_id AS createdByUserId,
  (SELECT json_group_array(d.invoice_id) FROM (SELECT invoice_id FROM adjustment_documents WHERE adjustment_id = a.id ORDER BY invoice_id) d) AS documentIds`;

function prepare(sqlite: Sqlite) {
  return {
    ofMonth: sqlite.prepare(`SELECT ${COLUMNS} FROM adjustments a WHERE a.month = ? ORDER BY a.id`) as Statement<[string], Raw>,
    documentIds: sqlite.prepare('SELECT d.invoice_id FROM adjustment_documents d JOIN adjustments a ON a.id = d.adjustment_id WHERE a.month = ?').pluck() as Statement<[string], number>,
    insert: sqlite.prepare(
      `INSERT INTO adjustments (month, kind, resource_id, invoice_id, input, costs_after, allocation, deltas, cost_delta_cents, reason, created_at, created_by_user_id)
       VALUES (@month, @kind, @resourceId, @invoiceId, @input, @costsAfter, @allocation, @deltas, @costDeltaCents, @reason, @createdAt, @createdByUserId) RETURNING id`,
    ) as Statement<[Record<string, unknown>], { id: number }>,
    link: sqlite.prepare('INSERT INTO adjustment_documents (invoice_id, adjustment_id) VALUES (?, ?)'),
  };
}

const cache = new WeakMap<Sqlite, ReturnType<typeof prepare>>();
function statements(sqlite: Sqlite) {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  return s;
}

const parse = <T>(json: string | null): T | null => (json === null ? null : (JSON.parse(json) as T));

export function adjustmentRepository(sqlite: Sqlite) {
  const s = statements(sqlite);
  return {
    /** The month's adjustments, oldest first. */
    ofMonth: (month: string): AdjustmentRecord[] =>
      s.ofMonth.all(month).map((r) => ({
        ...r,
        input: JSON.parse(r.input) as unknown,
        costsAfter: parse<CostEntry[]>(r.costsAfter),
        allocation: parse<ResourceAllocation>(r.allocation),
        deltas: JSON.parse(r.deltas) as ShareDelta[],
        documentIds: parse<number[]>(r.documentIds) ?? [],
      })),
    /** Ids of the documents the month's adjustments issued. */
    documentIds: (month: string) => new Set(s.documentIds.all(month)),
    insert(a: Omit<AdjustmentRecord, 'id' | 'documentIds'>): number {
      return s.insert.get({
        ...a,
        input: JSON.stringify(a.input),
        costsAfter: a.costsAfter === null ? null : JSON.stringify(a.costsAfter),
        allocation: a.allocation === null ? null : JSON.stringify(a.allocation),
        deltas: JSON.stringify(a.deltas),
      })!.id;
    },
    link(adjustmentId: number, invoiceIds: readonly number[]) {
      for (const id of invoiceIds) s.link.run(id, adjustmentId);
    },
  };
}
