import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../db/index';
import { checkIntegrity } from '../../server/closing/integrity';
import { defaultConfig } from '../../server/config';
import { freezePending, unfrozenInvoiceIds } from '../../server/documents/frozen';
import { manualClock } from '../../server/shared/clock';
import { TEST_PASSWORD } from '../helpers/app';
import { buildProofPole, call } from '../helpers/proof-pole';
import { bundledChild, killAt, startChild, tempDir, type KillPoint } from '../helpers/proof-process';
import { PROOF_SEED, seededRandom } from '../helpers/seed';

/**
 * A crash between a close's commit and the rendering of its documents leaves no issued invoice without its
 * document. The close commits its numbers first and renders after (better-sqlite3 transactions are
 * synchronous; a PDF is not), so a kill -9 can leave issued documents without stored bytes. They are frozen
 * later — at the next server start (server/main.ts runs freezePending) or on first use — from the sealed data
 * alone, so the bytes are exactly those the interrupted process would have stored. The child closes and
 * freezes (tests/proof/fixtures/close-child.ts with PROOF_FREEZE=1) and is killed right after the commit,
 * after each stored document, and at seeded random moments (PROOF_SEED replays them).
 */
const NOW = '2026-11-16T10:00:00+01:00';
const MONTH = '2026-10';

interface Stored {
  number: string;
  pdfSha256: string;
  xmlSha256: string | null;
  hash: string;
}

const storedDocuments = (path: string): Map<string, Stored> => {
  const sqlite = new Database(path, { readonly: true });
  try {
    const rows = sqlite
      .prepare(
        `SELECT i.number, d.pdf_sha256 AS pdfSha256, d.xml_sha256 AS xmlSha256, d.hash FROM issued_documents d JOIN invoices i ON i.id = d.invoice_id ORDER BY i.id`,
      )
      .all() as Stored[];
    return new Map(rows.map((r) => [r.number, r]));
  } finally {
    sqlite.close();
  }
};

const openCtx = (path: string) => {
  const store = openStore(path);
  return { store, db: store.db, sqlite: store.sqlite, clock: manualClock(NOW), config: { ...defaultConfig, dbPath: path } };
};

describe('proof: no issued invoice without its document after a crash (kill -9 between commit and rendering)', () => {
  const tmp = tempDir('crash-freeze');
  let pristine: string;
  let child: string[];
  let coordinatorEmail: string;
  let freezes: number[];
  let expected: Map<string, Stored>;
  after(() => {
    if (child?.[0]?.endsWith('.mjs')) rmSync(child[0], { force: true });
    tmp.remove();
  });

  before(async () => {
    pristine = join(tmp.dir, 'pristine.sqlite');
    const pole = await buildProofPole({ dbPath: pristine, close: false });
    const coord = pole.cookies.coordinator;
    coordinatorEmail = pole.base.coordinator;
    const p = pole.base;
    const must = async (method: string, url: string, body: unknown) => {
      const res = await call(pole.t.app, coord, method, url, body);
      assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
    };
    const A = pole.ids.resourceA!;
    const C = pole.ids.resourceC!;
    await must('POST', '/api/bookings', { resourceId: C, memberId: p.memberB, start: '2026-10-12T09:00:00+02:00', end: '2026-10-12T12:00:00+02:00' });
    await must('POST', '/api/bookings', { resourceId: A, memberId: p.memberB, start: '2026-10-14T09:00:00+02:00', end: '2026-10-14T17:00:00+02:00' });
    await must('POST', '/api/bookings', { resourceId: A, memberId: pole.memberD, start: '2026-10-26T09:00:00+01:00', end: '2026-10-26T11:00:00+01:00' });
    await must('POST', '/api/costs', { resourceId: A, month: MONTH, amountCents: 100_001, vatRate: 20, label: 'Crédit-bail camion', nature: 'rent_or_lease' });
    await must('POST', '/api/costs', { resourceId: C, month: MONTH, amountCents: 42_000, vatRate: 0, label: 'Loyer octobre', nature: 'rent_or_lease' });
    await pole.t.close();
    child = await bundledChild('tests/proof/fixtures/close-child.ts');

    // The uninterrupted close and freeze: the bytes every recovery must reproduce.
    const reference = join(tmp.dir, 'reference.sqlite');
    copyFileSync(pristine, reference);
    const ref = run(reference, { PROOF_LOG_WRITES: '1' });
    assert.equal((await ref.exited).code, 0, ref.stderr());
    const writes = ref
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{"write"'))
      .map((l) => JSON.parse(l) as { write: number; sql: string });
    freezes = writes.filter((w) => /issued_documents/.test(w.sql)).map((w) => w.write);
    expected = storedDocuments(reference);
    assert.ok(expected.size >= 3, `the close issues several documents: ${[...expected.keys()].join(', ')}`);
    assert.equal(freezes.length, expected.size, 'one stored document per issued one');
  });
  const run = (path: string, env: Record<string, string>) => startChild(process.execPath, [...child, path, MONTH, NOW], { PROOF_FREEZE: '1', ...env });

  it('freezes, after each kill, every document with the bytes of the uninterrupted close', async () => {

    const random = seededRandom();
    const timed = [0, 1].map(() => 300 + Math.round(random() * 1500));
    const plan: KillPoint[] = [
      { label: 'right after the commit, before any rendering', env: { PROOF_KILL_AFTER_COMMIT: '1' } },
      ...freezes.slice(0, -1).map((w, i) => ({ label: `after stored document ${i + 1}`, env: { PROOF_KILL_AT_WRITE: String(w) } })),
      ...timed.map((ms, i) => ({ label: `timed kill ${i + 1} at ${ms} ms (PROOF_SEED=${PROOF_SEED})`, env: {}, delayMs: ms })),
    ];

    const problems: string[] = [];
    let recovered = 0;
    for (const [i, point] of plan.entries()) {
      const path = join(tmp.dir, `kill-${i}.sqlite`);
      const { child: proc, exit } = await killAt(point, { pristine, path }, run);
      if (exit.signal !== 'SIGKILL' && point.delayMs === undefined) {
        problems.push(`${point.label}: the child was not killed (${exit.code}) ${proc.stderr().slice(0, 300)}`);
        continue;
      }
      const ctx = openCtx(path);
      try {
        const closed = ctx.sqlite.prepare('SELECT count(*) FROM closings WHERE month = ?').pluck().get(MONTH) as number;
        if (closed === 0) continue; // killed before the commit: the close's own crash proof covers this side
        // What a crash leaves is sound: the stored ones verify, the others are named as waiting.
        const report = checkIntegrity(ctx);
        if (!report.ok) problems.push(`${point.label}: integrity after the kill ${JSON.stringify(report.problems)}`);
        const waiting = unfrozenInvoiceIds(ctx).length;
        if (report.frozen + waiting !== expected.size) problems.push(`${point.label}: ${report.frozen} stored + ${waiting} waiting ≠ ${expected.size}`);
        if (point.env.PROOF_KILL_AFTER_COMMIT && waiting !== expected.size) problems.push(`${point.label}: ${waiting} waiting, expected all ${expected.size}`);
        if (waiting > 0) recovered++;
        // Recovery, as the server does at start.
        await freezePending(ctx);
        if (unfrozenInvoiceIds(ctx).length) problems.push(`${point.label}: documents still without their bytes after recovery`);
        if (!checkIntegrity(ctx).ok) problems.push(`${point.label}: integrity after recovery ${JSON.stringify(checkIntegrity(ctx).problems)}`);
      } finally {
        ctx.store.close();
      }
      const got = storedDocuments(path);
      for (const [number, want] of expected) {
        const have = got.get(number);
        if (!have) problems.push(`${point.label}: ${number} has no stored document`);
        else if (have.pdfSha256 !== want.pdfSha256 || have.xmlSha256 !== want.xmlSha256 || have.hash !== want.hash) {
          problems.push(`${point.label}: ${number} differs from the uninterrupted close's bytes`);
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(recovered >= freezes.length, `kills left documents to recover (${recovered} cases)`);
  });

  it('the server freezes at start the documents a killed close left without their bytes, served byte-identical', async () => {
    const path = join(tmp.dir, 'restart.sqlite');
    copyFileSync(pristine, path);
    const killed = run(path, { PROOF_KILL_AFTER_COMMIT: '1' });
    assert.equal((await killed.exited).signal, 'SIGKILL', killed.stderr());
    const reference = expected;
    assert.equal(storedDocuments(path).size, 0, 'nothing stored before the restart');

    const server = startChild(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      MUTUALISE_DB: path,
      MUTUALISE_DEMO: '0',
      HOST: '127.0.0.1',
      PORT: '0',
      MUTUALISE_LOG_LEVEL: 'info',
    });
    try {
      const port = Number((await server.waitFor(/running at http:\/\/127\.0\.0\.1:(\d+)/, 120_000))[1]);
      await server.waitFor(new RegExp(`froze ${reference.size} issued document`), 180_000);
      const signIn = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: coordinatorEmail, password: TEST_PASSWORD }),
      });
      assert.equal(signIn.status, 200);
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
      const db = new Database(path, { readonly: true });
      const ids = db.prepare('SELECT id, number FROM invoices ORDER BY id').all() as { id: number; number: string }[];
      db.close();
      for (const { id, number } of ids) {
        const res = await fetch(`http://127.0.0.1:${port}/api/invoices/${id}/pdf`, { headers: { cookie } });
        assert.equal(res.status, 200);
        const sha = createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex');
        assert.equal(sha, reference.get(number)!.pdfSha256, `${number}: served bytes are those of the uninterrupted close`);
      }
    } finally {
      server.proc.kill('SIGTERM');
      await server.exited;
    }
  });
});
