import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStore, type Store } from '../../db/index';
import { checkIntegrity } from '../../server/closing/integrity';
import { closeMonth } from '../../server/closing/service';
import { defaultConfig } from '../../server/config';
import { isAppError } from '../../server/shared/errors';
import { manualClock } from '../../server/shared/clock';
import { dbFingerprint } from '../helpers/app';
import { buildProofPole, call } from '../helpers/proof-pole';
import { bundledChild, killAt, startChild, tempDir, type KillPoint } from '../helpers/proof-process';
import { PROOF_SEED, seededRandom } from '../helpers/seed';

/**
 * Crash safety of the monthly close: a child process closes a month of a file database and is killed with
 * SIGKILL at many points — before its first write, after each write of the close's transaction (so between
 * an invoice and its series counter), right after commit, and at random moments. After each kill the file
 * must pass integrity_check, the month must be either fully closed (byte-identical to an uninterrupted
 * close) or untouched (byte-identical to before), every invoice series must be gap-free with its counter in
 * step, and closing again must issue exactly the documents of the uninterrupted close: same numbers,
 * amounts, hashes. The timed kills' moments come from the file's seed (PROOF_SEED replays them).
 */
const NOW = '2026-11-16T10:00:00+01:00';
const MONTH = '2026-10';
const TIMED_KILLS = 6;
const WRITE_DELAY_MS = 20;

const fingerprintOf = (path: string) => {
  const sqlite = new Database(path, { readonly: true });
  try {
    return dbFingerprint({ sqlite } as Store);
  } finally {
    sqlite.close();
  }
};

/** Every issuer's yearly series is 1..n without a gap or a repeat, and its counter says n. */
function seriesProblems(path: string): string[] {
  const sqlite = new Database(path, { readonly: true });
  try {
    const problems: string[] = [];
    const rows = sqlite.prepare('SELECT seller_member_id AS s, year AS y, seq, number FROM invoices ORDER BY s, y, seq').all() as { s: number; y: number; seq: number; number: string }[];
    const series = new Map<string, number[]>();
    for (const r of rows) series.set(`${r.s}:${r.y}`, [...(series.get(`${r.s}:${r.y}`) ?? []), r.seq]);
    const counters = new Map(
      (sqlite.prepare('SELECT member_id AS s, year AS y, last_seq AS n FROM invoice_counters').all() as { s: number; y: number; n: number }[]).map((c) => [`${c.s}:${c.y}`, c.n]),
    );
    for (const [key, seqs] of series) {
      seqs.forEach((seq, i) => seq !== i + 1 && problems.push(`series ${key}: position ${i + 1} holds ${seq}`));
      if (counters.get(key) !== seqs.length) problems.push(`series ${key}: counter ${counters.get(key)} but ${seqs.length} documents`);
    }
    for (const [key, n] of counters) if (!series.has(key) && n !== 0) problems.push(`counter ${key} = ${n} without documents`);
    return problems;
  } finally {
    sqlite.close();
  }
}

function openCtx(path: string) {
  const store = openStore(path);
  const clock = manualClock(NOW);
  store.audit.clock = clock; // the rerun's audit rows are stamped as the uninterrupted close's
  return { store, db: store.db, sqlite: store.sqlite, clock, config: { ...defaultConfig, dbPath: path } };
}

describe('proof: crash safety of the monthly close (kill -9)', () => {
  const tmp = tempDir('crash');
  let pristine: string;
  let child: string[];
  after(() => {
    if (child?.[0]?.endsWith('.mjs')) rmSync(child[0], { force: true });
    tmp.remove();
  });

  before(async () => {
    // A pole with an earlier closed month (so the series do not start at 1) and a month to close whose
    // costs and bookings give invoices from two issuers to three buyers.
    pristine = join(tmp.dir, 'pristine.sqlite');
    const pole = await buildProofPole({ dbPath: pristine, close: false });
    const { app } = pole.t;
    const coord = pole.cookies.coordinator;
    const p = pole.base;
    const C = pole.ids.resourceC!;
    const A = pole.ids.resourceA!;
    const must = async (method: string, url: string, body: unknown) => {
      const res = await call(app, coord, method, url, body);
      assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
    };
    await must('POST', '/api/costs', { resourceId: C, month: '2026-09', amountCents: 50_000, vatRate: 0, label: 'Loyer septembre', nature: 'rent_or_lease' });
    await must('POST', '/api/bookings', { resourceId: C, memberId: p.memberA, start: '2026-09-10T10:00:00+02:00', end: '2026-09-10T12:00:00+02:00' });
    await must('POST', '/api/closings', { month: '2026-09' });
    await must('POST', '/api/bookings', { resourceId: C, memberId: p.memberB, start: '2026-10-12T09:00:00+02:00', end: '2026-10-12T12:00:00+02:00' });
    await must('POST', '/api/bookings', { resourceId: A, memberId: p.memberB, start: '2026-10-14T09:00:00+02:00', end: '2026-10-14T17:00:00+02:00' });
    await must('POST', '/api/bookings', { resourceId: A, memberId: pole.memberD, start: '2026-10-26T09:00:00+01:00', end: '2026-10-26T11:00:00+01:00' });
    await must('POST', '/api/costs', { resourceId: A, month: MONTH, amountCents: 100_001, vatRate: 20, label: 'Crédit-bail camion', nature: 'rent_or_lease' });
    await pole.t.close();
    child = await bundledChild('tests/proof/fixtures/close-child.ts');
  });

  it('survives kill -9 at every write of the close, inside invoice numbering, after commit and at random moments', async () => {
    const run = (path: string, env: Record<string, string>) => startChild(process.execPath, [...child, path, MONTH, NOW], env);
    const before = fingerprintOf(pristine);

    // The uninterrupted close, logging its writes: the reference every kill is compared with.
    const reference = join(tmp.dir, 'reference.sqlite');
    copyFileSync(pristine, reference);
    const ref = run(reference, { PROOF_LOG_WRITES: '1' });
    const refExit = await ref.exited;
    assert.equal(refExit.code, 0, ref.stderr());
    const lines = ref.stdout().split('\n').filter((l) => l.startsWith('{'));
    const writes = lines.map((l) => JSON.parse(l) as { write?: number; sql?: string }).filter((l) => l.write !== undefined);
    const summary = JSON.parse(lines.at(-1)!) as { invoices: string[]; writes: number; ms: number };
    assert.ok(summary.invoices.length >= 4, `the close issues several invoices: ${summary.invoices.join(', ')}`);
    const afterClose = fingerprintOf(reference);
    assert.notEqual(afterClose, before);
    assert.deepEqual(seriesProblems(reference), []);
    const numbering = writes.filter((w) => /invoices|invoice_counters/.test(w.sql ?? '')).map((w) => w.write!);
    assert.ok(numbering.length >= summary.invoices.length, 'invoice inserts and counter updates are among the writes');

    // Kill points: before the first write, after every write, right after commit (deterministic, at least
    // 20 of them: kills inside invoice numbering are repeated when the close has few writes), then kills from
    // outside at random moments (the child sleeps 20 ms after each write so most land inside the transaction).
    const plan: KillPoint[] = [
      { label: 'before the first write', env: { PROOF_KILL_AT_WRITE: '0' } },
      ...writes.map((w) => ({ label: `after write ${w.write} (${w.sql?.slice(0, 40)})`, env: { PROOF_KILL_AT_WRITE: String(w.write) } })),
      { label: 'right after commit', env: { PROOF_KILL_AFTER_COMMIT: '1' } },
    ];
    for (let i = 0; plan.length < 20; i++) {
      const w = numbering[i % numbering.length]!;
      plan.push({ label: `again after write ${w} (numbering)`, env: { PROOF_KILL_AT_WRITE: String(w) } });
    }
    const random = seededRandom();
    for (let i = 0; i < TIMED_KILLS; i++) {
      plan.push({
        label: `timed kill ${i + 1}`,
        env: { PROOF_WRITE_DELAY_MS: String(WRITE_DELAY_MS) },
        delayMs: random() * (summary.ms + writes.length * WRITE_DELAY_MS) * 1.2,
      });
    }

    const outcomes = { untouched: 0, closed: 0, completedBeforeKill: 0 };
    const problems: string[] = [];
    let kills = 0;
    for (const [i, point] of plan.entries()) {
      const path = join(tmp.dir, `kill-${i}.sqlite`);
      const { child: proc, exit } = await killAt(point, { pristine, path }, run);
      if (exit.signal === 'SIGKILL') kills++;
      else if (point.delayMs !== undefined && exit.code === 0) outcomes.completedBeforeKill++;
      else {
        problems.push(`${point.label}: the child was not killed (${exit.code}) ${proc.stderr().slice(0, 500)}`);
        continue;
      }

      // 1. The file is sound.
      const raw = new Database(path);
      const integrity = raw.pragma('integrity_check', { simple: true });
      const closings = (raw.prepare('SELECT count(*) AS n FROM closings WHERE month = ?').get(MONTH) as { n: number }).n;
      raw.close();
      if (integrity !== 'ok') problems.push(`${point.label}: integrity_check ${String(integrity)}`);
      // 2. All or nothing, byte for byte.
      const now = fingerprintOf(path);
      if (closings === 0) {
        outcomes.untouched++;
        if (now !== before) problems.push(`${point.label}: the month is not closed but the database changed`);
      } else {
        outcomes.closed++;
        if (now !== afterClose) problems.push(`${point.label}: the month is closed but differs from the uninterrupted close`);
      }
      // 3. Series gap-free, counters in step, chains verify.
      problems.push(...seriesProblems(path).map((p) => `${point.label}: ${p}`));
      // 4. Closing again issues exactly the reference documents (or is refused when already closed).
      const ctx = openCtx(path);
      try {
        if (!checkIntegrity(ctx).ok) problems.push(`${point.label}: integrity report ${JSON.stringify(checkIntegrity(ctx).problems)}`);
        try {
          const rerun = closeMonth(ctx, { month: MONTH, actor: null });
          if (closings) problems.push(`${point.label}: closed twice`);
          if (JSON.stringify(rerun.invoices.map((d) => d.number)) !== JSON.stringify(summary.invoices)) problems.push(`${point.label}: rerun numbers ${rerun.invoices.map((d) => d.number).join(',')}`);
        } catch (err) {
          if (!(isAppError(err) && err.code === 'closing.already_closed' && closings)) throw err;
        }
      } finally {
        ctx.store.close();
      }
      if (fingerprintOf(path) !== afterClose) problems.push(`${point.label}: after the rerun the database differs from the uninterrupted close`);
    }

    console.log(
      `crash safety: ${plan.length} kill points (${writes.length} writes in the close, ${numbering.length} of them invoice numbering; ${TIMED_KILLS} timed), ` +
        `${kills} kill -9 survived: ${outcomes.untouched} left the month untouched, ${outcomes.closed} fully closed, ${problems.length} problems; ` +
        `${outcomes.completedBeforeKill} timed runs finished first (kill times from seed ${PROOF_SEED}); integrity ok, series gap-free, reruns identical to the uninterrupted close (${summary.invoices.length} invoices: ${summary.invoices.join(' ')})`,
    );
    assert.deepEqual(problems, []);
    assert.ok(kills >= 20, `${kills} kills`);
  });
});
