/**
 * Diagnostic, not part of `npm run bench`: what a booking's notification costs inside the booking's transaction,
 * piece by piece, in µs of CPU per booking on top of the booking with notifications off (same process, same
 * database). Each variant runs the real booking with notifications off, then one more piece inside the same
 * transaction: the lookups the outbox row needed (names, recipient), the payload's JSON, the outbox insert as
 * it is (unique Message-ID, due index, AUTOINCREMENT, foreign keys) and without those, a compact notice row,
 * and the path as shipped (notifications on: the notice). The variants take turns booking by booking; each
 * figure is a mean without its 10 % extremes. It is how the outbox row's cost was found to be its insert
 * (indexes, AUTOINCREMENT, foreign keys, and the pages they add to each commit), not rendering (done by the
 * sender already) nor the lookups (~1–2 µs each).
 * Run: npx tsx scripts/bench/outbox-costs.ts (BENCH_OUTBOX_MEMORY=1: in memory, the CPU alone without the WAL).
 */
import { join } from 'node:path';
import { immediate } from '../../server/bookings/repository';
import { createBooking } from '../../server/bookings/service';
import type { AppContext } from '../../server/context';
import { outboxRepository } from '../../server/notifications/repository';
import { benchTempDir } from './fixtures';
import { outboxBenchPole } from './outbox-fixture';
import { isMain } from './harness';
import { round } from './stats';

const M = Number(process.env.BENCH_OUTBOX_M ?? 600);
const QUARTER = 15 * 60_000;

export function outboxCosts(): Record<string, number | null> {
  const path = process.env.BENCH_OUTBOX_MEMORY ? ':memory:' : join(benchTempDir(), 'outbox-costs.sqlite');
  const { store, sqlite, memberId, resourceId, actor, ctxOf } = outboxBenchPole(path);
  const { userId } = actor;
  const now = Date.now();
  const on = ctxOf(true);
  const off = ctxOf(false);
  // The shapes compared: outbox without its secondary indexes, AUTOINCREMENT or foreign keys; a compact notice.
  sqlite.exec(`CREATE TABLE bench_outbox_lean AS SELECT * FROM outbox WHERE 0;
    CREATE TABLE bench_notices (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL);`);
  const names = sqlite.prepare('SELECT (SELECT name FROM resources WHERE id = ?) AS resourceName, (SELECT name FROM members WHERE id = ?) AS memberName');
  const repo = outboxRepository(sqlite);
  const leanInsert = sqlite.prepare(
    `INSERT INTO bench_outbox_lean (message_id, kind, recipient_user_id, member_id, to_address, cc_address, lang, payload, digest, status, attempts, next_attempt_at, created_at)
     VALUES (@messageId, @kind, @recipientUserId, @memberId, @toAddress, @ccAddress, @lang, @payload, @digest, 'pending', 0, @nextAttemptAt, @createdAt)`,
  );
  const noticeInsert = sqlite.prepare("INSERT INTO bench_notices (kind, payload, created_at) VALUES ('booking', ?, ?)");
  const payload = (id: number) => ({
    zone: 'Europe/Paris',
    resourceName: 'Salle',
    memberName: 'Bench',
    actorName: 'Bench user',
    bookings: [{ id, startMs: now, endMs: now + QUARTER, sequence: 0, quantity: 1, note: null }],
  });
  const PAYLOAD = JSON.stringify(payload(1));
  let seq = 0;
  const row = (p: string) => ({ messageId: `<booking.confirmed.${++seq}.s0.u${userId}@bench.test>`, kind: 'booking.confirmed' as const, recipientUserId: userId, memberId, toAddress: 'u@bench.test', ccAddress: null, lang: 'fr' as const, payload: p, digest: 0, nextAttemptAt: now, createdAt: now });

  let slot = 0;
  const base = Date.UTC(new Date().getUTCFullYear() + 1, 0, 5, 8);
  const book = (ctx: AppContext) => {
    const start = base + slot++ * QUARTER;
    return createBooking(ctx, actor, { resourceId, start: new Date(start).toISOString(), end: new Date(start + QUARTER).toISOString() });
  };
  const variants: Record<string, () => void> = {
    'booking, notifications off': () => immediate(sqlite, () => void book(off)),
    '+ names lookup': () => immediate(sqlite, () => (book(off), names.get(resourceId, memberId))),
    '+ recipient lookup': () => immediate(sqlite, () => (book(off), repo.recipient(userId))),
    '+ payload JSON': () => immediate(sqlite, () => (book(off), JSON.stringify(payload(seq++)))),
    '+ outbox insert (as is)': () => immediate(sqlite, () => (book(off), repo.insert({ ...row(PAYLOAD), digest: false }))),
    '+ outbox insert, no indexes/AUTOINCREMENT/FKs': () => immediate(sqlite, () => (book(off), leanInsert.run(row(PAYLOAD)))),
    '+ compact notice insert': () => immediate(sqlite, () => (book(off), noticeInsert.run(PAYLOAD, now))),
    '+ the notice path as shipped (notifications on)': () => immediate(sqlite, () => void book(on)),
  };
  const keys = Object.keys(variants);
  const samples = new Map<string, number[]>(keys.map((k) => [k, []]));
  const time = (k: string) => {
    const t0 = process.cpuUsage();
    variants[k]!();
    const used = process.cpuUsage(t0);
    return used.user + used.system;
  };
  for (let i = 0; i < 20; i++) for (const k of keys) time(k); // warm-up
  for (let i = 0; i < M; i++) {
    // Rotate the order each turn so that no variant always follows the same one.
    for (let j = 0; j < keys.length; j++) {
      const k = keys[(i + j) % keys.length]!;
      samples.get(k)!.push(time(k));
    }
    if (i % 100 === 99) process.stderr.write(`\r  ${i + 1}/${M}`);
  }
  process.stderr.write('\n');
  store.close();
  const trimmed = (xs: number[]) => {
    const sorted = [...xs].sort((x, y) => x - y);
    const cut = Math.floor(sorted.length / 10);
    const kept = sorted.slice(cut, sorted.length - cut);
    return kept.reduce((sum, x) => sum + x, 0) / kept.length;
  };
  const baseline = trimmed(samples.get(keys[0]!)!);
  const out: Record<string, number | null> = {};
  for (const k of keys) {
    const m = trimmed(samples.get(k)!);
    out[k] = round(m - baseline, 1);
    console.log(`${k.padEnd(48)} ${String(round(m, 1)).padStart(7)} µs  (${k === keys[0] ? 'baseline' : `+${round(m - baseline, 1)} µs, ×${round(m / baseline, 3)}`})`);
  }
  return out;
}

if (isMain(import.meta.url)) outboxCosts();
