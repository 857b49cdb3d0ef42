import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore, type Store } from '../../db/index';
import { seedDemo } from '../../db/demo';
import { checkIntegrity } from '../../server/closing/integrity';
import { defaultConfig } from '../../server/config';
import { manualClock } from '../../server/shared/clock';
import { seedPole } from '../helpers/app';
import { seedOctober } from '../helpers/closing';

const run = (script: string, args: string[], db: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, MUTUALISE_DB: db }, encoding: 'utf8' });

describe('npm run close / npm run verify', () => {
  let dir: string;
  let db: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mutualise-close-'));
    db = join(dir, 'pole.sqlite');
    const store = openStore(db);
    seedOctober(store, await seedPole(store));
    store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('closes with progress lines, and verifies the chains (exit 1 naming a tampered invoice)', () => {
    const close = run('scripts/close.ts', ['--month', '2026-10'], db);
    assert.equal(close.status, 0, close.stderr);
    assert.match(close.stdout, /Computing the allocation of 2026-10/);
    assert.match(close.stdout, /ALPH-2026-0001 +Association Alpha → Association Bravo +360\.00 € TTC/);
    assert.match(close.stdout, /2026-10 is closed: 4 invoice\(s\)/);

    const ok = run('scripts/verify.ts', [], db);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /OK: 4 document/);
    const store = openStore(db);
    store.sqlite.exec("DROP TRIGGER invoices_immutable_update; UPDATE invoices SET total_vat_cents = 0 WHERE number = 'BRAV-2026-0002'");
    store.close();
    const broken = run('scripts/verify.ts', [], db);
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /BRAV-2026-0002 \(id \d+\): content/);
  });
});

describe('demo pole', () => {
  let store: Store;
  before(() => {
    store = openStore(':memory:');
  });
  after(() => store.close());

  it('has costs, its two previous months closed with intact invoice chains, and an open current month', async () => {
    const clock = manualClock('2026-11-16T10:00:00+01:00');
    await seedDemo(store, { clock });
    const closed = store.sqlite.prepare('SELECT month FROM closings ORDER BY month').pluck().all();
    assert.deepEqual(closed, ['2026-09', '2026-10']);
    const perMonth = store.sqlite.prepare('SELECT month, count(*) AS n FROM invoices GROUP BY month ORDER BY month').all() as { month: string; n: number }[];
    assert.equal(perMonth.length, 2);
    assert.ok(perMonth.every((m) => m.n >= 10), JSON.stringify(perMonth));
    assert.ok((store.sqlite.prepare("SELECT count(*) FROM costs WHERE month = '2026-11'").pluck().get() as number) > 0);
    const issued = store.sqlite.prepare("SELECT DISTINCT issue_date FROM invoices ORDER BY issue_date").pluck().all();
    assert.deepEqual(issued, ['2026-10-05', '2026-11-16']);
    const report = checkIntegrity({ store, db: store.db, sqlite: store.sqlite, clock, config: defaultConfig });
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(store.sqlite.prepare('SELECT name FROM pole').pluck().get(), 'Pôle Culture Rives de Loire (démo)');
  });
});
