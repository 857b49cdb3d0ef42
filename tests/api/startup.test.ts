import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEMO_COORDINATOR, DEMO_PASSWORD, seedDemo } from '../../db/demo';
import { openStore } from '../../db/index';
import { configFromEnv } from '../../server/config';
import { manualClock } from '../../server/shared/clock';
import { buildTestApp, dbFingerprint, login } from '../helpers/app';

const dir = mkdtempSync(join(tmpdir(), 'mutualise-startup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const setup = (db: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/setup.ts', ...args], { env: { ...process.env, MUTUALISE_DB: db }, encoding: 'utf8' });

describe('start-up, demo and setup', () => {
  it('seeds the demo pole once, into an empty database only, and its logins work', async () => {
    const store = openStore(':memory:');
    const clock = manualClock('2026-11-18T10:00:00+01:00');
    try {
      const first = await seedDemo(store, { clock });
      assert.equal(first.seeded, true);
      assert.ok(first.logins.some((l) => l.email === DEMO_COORDINATOR && l.role === 'coordinator'));
      const before = dbFingerprint(store);
      const second = await seedDemo(store, { clock });
      assert.equal(second.seeded, false);
      assert.deepEqual(second.logins, first.logins, 'a restart still lists the demo logins');
      assert.equal(dbFingerprint(store), before, 'nothing is added to a non-empty database');
    } finally {
      store.close();
    }
    const t = await buildTestApp();
    try {
      await seedDemo(t.store, { clock: t.clock });
      await login(t.app, DEMO_COORDINATOR, DEMO_PASSWORD);
    } finally {
      await t.close();
    }
  });

  it('MUTUALISE_DEMO=0 turns the demo off; the rest of the environment is typed and checked', () => {
    assert.equal(configFromEnv({ MUTUALISE_DEMO: '0' }).demo, false);
    assert.equal(configFromEnv({}).demo, true);
    const config = configFromEnv({ HOST: '0.0.0.0', PORT: '8080', MUTUALISE_DB: '/tmp/x.sqlite' });
    assert.deepEqual([config.host, config.port, config.dbPath, config.publicUrl], ['0.0.0.0', 8080, '/tmp/x.sqlite', 'http://0.0.0.0:8080']);
    assert.throws(() => configFromEnv({ PORT: 'eighty' }), /PORT/);
  });

  it('npm run setup creates the first coordinator once, on a database without demo', async () => {
    const db = join(dir, 'setup.sqlite');
    const created = setup(db, '--email', 'Chef@Pole.fr', '--name', 'La Cheffe', '--password', 'a long enough password');
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, /Coordinator #1 chef@pole\.fr created/);
    assert.doesNotMatch(created.stdout, /Password \(shown once/, 'a given password is not echoed');
    const again = setup(db, '--email', 'chef@pole.fr', '--name', 'Autre');
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exists/);
    assert.equal(setup(db, '--email', 'x@pole.fr', '--name', 'X', '--password', 'short').status, 2);

    const store = openStore(db);
    try {
      const users = store.sqlite.prepare('SELECT email, role, member_id AS memberId FROM users').all();
      assert.deepEqual(users, [{ email: 'chef@pole.fr', role: 'coordinator', memberId: null }]);
    } finally {
      store.close();
    }
  });

  it('serves the OpenAPI document with the contract paths at /api/docs', async () => {
    const t = await buildTestApp();
    try {
      const res = await t.app.inject({ url: '/api/docs/json' });
      assert.equal(res.statusCode, 200);
      const paths = Object.keys(res.json().paths);
      for (const path of ['/api/auth/login', '/api/bookings', '/api/resources/{id}/availability', '/api/closings', '/api/invoices/{id}/credit-note', '/api/feeds']) {
        assert.ok(paths.includes(path), `${path} is documented`);
      }
      assert.equal((await t.app.inject({ url: '/api/docs' })).statusCode < 400, true, 'the UI answers');
    } finally {
      await t.close();
    }
  });
});
