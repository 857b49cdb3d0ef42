import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../db/index';
import { buildApp } from '../../server/app';
import { closeMonth } from '../../server/closing/service';
import { ensurePole } from '../../server/pole/repository';
import { defaultConfig } from '../../server/config';
import { systemClock } from '../../server/shared/clock';
import { login, seedPole, type SeededPole } from '../helpers/app';
import { seedOctober } from '../helpers/closing';
import { entriesOf, parseFec } from '../helpers/fec';

const run = (args: string[], db: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/entries.ts', ...args], { env: { ...process.env, MUTUALISE_DB: db, NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000 });

/** `npm run entries` on a database file writes the same bytes as the API. */
describe('npm run entries', () => {
  let dir: string;
  let db: string;
  let pole: SeededPole;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mutualise-entries-'));
    db = join(dir, 'pole.sqlite');
    const store = openStore(db);
    pole = await seedPole(store);
    seedOctober(store, pole);
    const ctx = { store, db: store.db, sqlite: store.sqlite, clock: systemClock, config: defaultConfig };
    ensurePole(ctx);
    closeMonth(ctx, { month: '2026-10', actor: null });
    store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a member’s FEC file identical to the API’s, and every member’s with --member all', async () => {
    const year = new Date().getFullYear();
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    const out = join(dir, 'a.txt');
    const one = run(['--member', String(pole.memberB), '--from', from, '--to', to, '--out', out], db);
    assert.equal(one.status, 0, one.stderr);
    assert.match(one.stdout, /a\.txt: Association Bravo, 3 entries \(export #1/);
    const body = readFileSync(out, 'utf8');
    entriesOf(parseFec(body));

    const store = openStore(db);
    const app = await buildApp({ store, config: { serveClient: false, demo: false } });
    const cookie = await login(app, pole.coordinator);
    const api = await app.inject({ url: `/api/members/${pole.memberB}/entries.fec?from=${from}&to=${to}`, headers: { cookie } });
    assert.equal(api.body, body, 'the same bytes');
    assert.equal(api.headers['x-accounting-export-id'], '1', 'the same file is the same recorded export');
    await app.close();
    store.close();

    const all = run(['--member', 'all', '--from', from, '--to', to, '--out', join(dir, 'all')], db);
    assert.equal(all.status, 0, all.stderr);
    assert.match(all.stdout, /\[3\/3\]/);
    assert.equal(readdirSync(join(dir, 'all')).length, 3);
    const bad = run(['--member', String(pole.memberB), '--from', to, '--to', from, '--out', out], db);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /accounting\.invalid_period/);
    assert.equal(run(['--from', from], db).status, 2);
  });
});
