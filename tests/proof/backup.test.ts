import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { backupDatabase, checkDatabase } from '../../scripts/backup';
import { buildFileTestApp, buildProofPole, call } from '../helpers/proof-pole';
import { login } from '../helpers/app';
import { ROOT, startChild, tempDir } from '../helpers/proof-process';

/**
 * Online backup (scripts/backup.ts, SQLite's backup API) while a second connection keeps writing: the copy,
 * restored into a fresh file, passes integrity_check, its invoice chains and series verify through the
 * closing engine's own check (GET /api/integrity), it holds the same invoices as the source, and the
 * concurrent writes appear in it as a consistent prefix (a snapshot, never a torn mix).
 */
describe('proof: online backup and restore', () => {
  const tmp = tempDir('backup');
  after(() => tmp.remove());

  it('a backup taken during writes restores into a sound database whose invoice chains verify', async () => {
    const source = join(tmp.dir, 'live.sqlite');
    const pole = await buildProofPole({ dbPath: source });
    const { sqlite } = pole.t.store;
    const resourceA = pole.ids.resourceA!;
    const userA = pole.base.userIds[pole.base.userA]!;
    // Some bulk, so that the copy takes many steps: a year of past bookings.
    const bulk = sqlite.prepare(
      "INSERT INTO bookings (resource_id, member_id, user_id, start_ms, end_ms, quantity, note, status, sequence, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, 'confirmed', 0, 0, 0)",
    );
    const yearAgo = Date.parse('2025-01-01T00:00:00Z');
    sqlite.transaction(() => {
      for (let i = 0; i < 8000; i++) bulk.run(resourceA, pole.base.memberA, userA, yearAgo + i * 3_600_000, yearAgo + i * 3_600_000 + 1_800_000, `bulk ${i} ${'·'.repeat(60)}`);
    })();
    const invoicesAtSource = sqlite.prepare('SELECT * FROM invoices ORDER BY id').all();
    assert.ok(invoicesAtSource.length >= 2, 'the source holds issued invoices');

    // The second connection: a worker thread inserting bookings one transaction at a time.
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(join(ROOT, 'tests/proof/fixtures/booking-writer.mjs'), {
      workerData: { root: ROOT, path: source, counter, resourceId: resourceA, memberId: pole.base.memberA, userId: userA, startMs: Date.parse('2027-06-01T00:00:00Z') },
    });
    const done = new Promise<number>((resolve, reject) => {
      worker.on('message', (m: { done?: number }) => m.done !== undefined && resolve(m.done));
      worker.on('error', reject);
    });
    const waitFor = async (n: number) => {
      while (Atomics.load(counter, 0) < n) await new Promise((r) => setTimeout(r, 5));
    };
    await waitFor(20);

    const copy = join(tmp.dir, 'backup.sqlite');
    const writesBefore = Atomics.load(counter, 0);
    let steps = 0;
    const result = await backupDatabase(source, copy, { pagesPerStep: 16, onProgress: () => steps++ });
    const writesDuring = Atomics.load(counter, 0) - writesBefore;

    // The command-line script too, while the writes go on.
    const cliCopy = join(tmp.dir, 'cli-backup.sqlite');
    const cli = startChild(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', '--db', source, '--to', cliCopy], {});
    const cliExit = await cli.exited;
    worker.postMessage('stop');
    const written = await done;
    await worker.terminate();
    await pole.t.close();
    assert.equal(cliExit.code, 0, `npm run backup failed: ${cli.stdout()} ${cli.stderr()}`);
    assert.match(cli.stdout(), /100 %/);
    assert.match(cli.stdout(), /Backup done: \d+ pages/);
    assert.deepEqual(checkDatabase(cliCopy), []);

    assert.ok(writesDuring > 0, 'the writer committed rows while the backup ran');
    assert.ok(steps > 1, 'the copy went in several steps, with writes between them');

    // Restore: the backup copied into a fresh file, opened by the application.
    const restoredPath = join(tmp.dir, 'restored.sqlite');
    copyFileSync(copy, restoredPath);
    assert.deepEqual(checkDatabase(restoredPath), [], 'integrity_check and foreign_key_check pass');
    const restored = await buildFileTestApp(restoredPath);
    try {
      const coordinator = await login(restored.app, pole.base.coordinator);
      const integrity = await call(restored.app, coordinator, 'GET', '/api/integrity');
      assert.equal(integrity.statusCode, 200);
      assert.equal(integrity.json().ok, true, `invoice chains verify: ${integrity.body}`);
      assert.deepEqual(restored.store.sqlite.prepare('SELECT * FROM invoices ORDER BY id').all(), invoicesAtSource, 'the same invoices, byte for byte');

      // The concurrent writes are in the copy as a prefix: rows #0..#k-1, none missing in between.
      const notes = (restored.store.sqlite.prepare("SELECT note FROM bookings WHERE note LIKE 'written during the backup #%'").all() as { note: string }[]).map((r) =>
        Number(r.note.split('#')[1]),
      );
      notes.sort((a, b) => a - b);
      notes.forEach((n, i) => assert.equal(n, i, 'a consistent snapshot: no hole in the concurrent writes'));
      assert.ok(notes.length >= writesBefore && notes.length <= written, `${notes.length} concurrent rows in the copy, ${writesBefore}..${written} expected`);
      const live = new Database(source, { readonly: true });
      const liveCount = (live.prepare('SELECT count(*) AS n FROM bookings').get() as { n: number }).n;
      live.close();
      console.log(
        `backup: ${result.totalPages} pages (${(result.bytes / 1024).toFixed(0)} KiB) copied in ${steps} steps and ${result.ms.toFixed(0)} ms while a second connection ` +
          `committed ${writesDuring} rows (${result.restarts} restarts); restored: integrity ok, ${integrity.json().documents ?? invoicesAtSource.length} invoices verified, ` +
          `${notes.length} of ${written} concurrent rows in the snapshot (live database: ${liveCount} bookings); CLI backup ok`,
      );
    } finally {
      await restored.close();
    }
  });
});
