import { canonicalJson, GENESIS_HASH, sha256Hex } from '../invoices/chain';

export { GENESIS_HASH };

/** What an audit row's hash covers: every column but its id and its own hash. */
export interface AuditContent {
  at: number;
  userId: number | null;
  memberIds: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  /** JSON text as stored: hashed as text, so no re-serialisation can change it. */
  before: string | null;
  after: string | null;
  ip: string | null;
  route: string | null;
  prevHash: string;
}

export interface StoredAuditRow extends AuditContent {
  id: number;
  hash: string;
}

export function auditHash(c: AuditContent): string {
  return sha256Hex(
    canonicalJson({
      at: c.at,
      userId: c.userId,
      memberIds: c.memberIds,
      action: c.action,
      objectType: c.objectType,
      objectId: c.objectId,
      before: c.before,
      after: c.after,
      ip: c.ip,
      route: c.route,
      prevHash: c.prevHash,
    }),
  );
}

export interface AuditProblem {
  auditId: number;
  /** Stable: integrity.audit_content, integrity.audit_chain, integrity.audit_gap, integrity.audit_tail. */
  code: string;
  reason: string;
}

/**
 * Recomputes the trail: each row's hash against its content, each link against the previous row's hash, ids
 * without gaps (AUTOINCREMENT never reuses one, so a gap is a deleted row), and the last id given
 * (`sqlite_sequence`) against the last row present (deleted rows at the end).
 */
export function verifyAuditChain(rows: readonly StoredAuditRow[], lastIdGiven: number): AuditProblem[] {
  const problems: AuditProblem[] = [];
  let prev = GENESIS_HASH;
  let expectedId = 1;
  for (const row of rows) {
    for (let id = expectedId; id < row.id; id++) problems.push({ auditId: id, code: 'integrity.audit_gap', reason: 'missing: this audit row was deleted' });
    expectedId = row.id + 1;
    if (auditHash(row) !== row.hash) problems.push({ auditId: row.id, code: 'integrity.audit_content', reason: 'content: this audit row no longer matches its hash' });
    if (row.prevHash !== prev) problems.push({ auditId: row.id, code: 'integrity.audit_chain', reason: 'chain: its link to the previous audit row is broken' });
    prev = row.hash;
  }
  for (let id = expectedId; id <= lastIdGiven; id++) problems.push({ auditId: id, code: 'integrity.audit_tail', reason: 'missing: the last audit rows were deleted' });
  return problems;
}
