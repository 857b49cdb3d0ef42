import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';
import { preparedOnce } from '../shared/statements';

/** SQL of the issuers' series: prefixes, the counter of each (issuer, year) and the hash at each chain's head. */

const statements = preparedOnce((sqlite: Sqlite) => ({
  prefix: sqlite.prepare('SELECT invoice_prefix FROM members WHERE id = ?').pluck() as Statement<[number], string>,
  counters: sqlite.prepare(
    `SELECT c.member_id AS memberId, c.year, c.last_seq AS lastSeq, m.invoice_prefix AS prefix
       FROM invoice_counters c JOIN members m ON m.id = c.member_id ORDER BY c.member_id, c.year`,
  ) as Statement<[], { memberId: number; year: number; lastSeq: number; prefix: string }>,
  counter: sqlite.prepare('SELECT last_seq FROM invoice_counters WHERE member_id = ? AND year = ?').pluck() as Statement<[number, number], number>,
  advanceCounter: sqlite.prepare(
    `INSERT INTO invoice_counters (member_id, year, last_seq) VALUES (?, ?, ?)
     ON CONFLICT (member_id, year) DO UPDATE SET last_seq = excluded.last_seq`,
  ),
  lastHash: sqlite
    .prepare('SELECT hash FROM invoices WHERE seller_member_id = ? ORDER BY year DESC, seq DESC LIMIT 1')
    .pluck() as Statement<[number], string>,
}));

export function seriesRepository(sqlite: Sqlite) {
  const s = statements(sqlite);
  return {
    prefix: (memberId: number) => s.prefix.get(memberId),
    counters: () => s.counters.all(),
    lastSeq: (memberId: number, year: number) => s.counter.get(memberId, year) ?? 0,
    advanceCounter(memberId: number, year: number, lastSeq: number) {
      s.advanceCounter.run(memberId, year, lastSeq);
    },
    lastHash: (memberId: number) => s.lastHash.get(memberId),
  };
}
