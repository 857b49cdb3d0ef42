import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedDemo } from '../../db/demo';
import { backupDatabase } from '../../db/backup';
import { openStore } from '../../db/index';
import { manualClock } from '../../server/shared/clock';

/** `npm run restore -- --from FILE`: checks a backup fully before it replaces anything. */
const dir = mkdtempSync(join(tmpdir(), 'mutualise-restore-'));
const live = join(dir, 'live.sqlite');
const good = join(dir, 'good-backup.sqlite');
after(() => rmSync(dir, { recursive: true, force: true }));

const restore = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/restore.ts', ...args], { env: { ...process.env, MUTUALISE_DB: live }, encoding: 'utf8' });
const users = (db: string) => {
  const store = openStore(db);
  try {
    return (store.sqlite.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  } finally {
    store.close();
  }
};

describe('npm run restore', () => {
  let demoUsers = 0;
  before(async () => {
    const store = openStore(live);
    await seedDemo(store, { clock: manualClock('2026-11-18T10:00:00+01:00') }); // two closed months: invoices to verify
    store.close();
    demoUsers = users(live);
    await backupDatabase(live, good);
    // After the backup, the live database moves on.
    const later = openStore(live);
    later.sqlite.prepare("INSERT INTO users (email, name, role, password_hash, active, created_at) VALUES ('late@pole.fr', 'Late', 'coordinator', 'x', 1, 0)").run();
    later.close();
  });

  it('refuses a file that is not a sound database, and replaces nothing', () => {
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, Buffer.alloc(8192, 7));
    const res = restore('--from', junk);
    assert.equal(res.status, 1, res.stdout + res.stderr);
    assert.match(res.stderr, /Restore refused, nothing replaced/);
    assert.equal(users(live), demoUsers + 1);
  });

  it('refuses a backup whose invoice chain was tampered with', async () => {
    const tampered = join(dir, 'tampered.sqlite');
    await backupDatabase(live, tampered);
    const store = openStore(tampered);
    store.sqlite.exec('DROP TRIGGER invoices_immutable_update');
    store.sqlite.prepare('UPDATE invoices SET total_excl_vat_cents = total_excl_vat_cents + 100 WHERE id = (SELECT min(id) FROM invoices)').run();
    store.close();
    const res = restore('--from', tampered);
    assert.equal(res.status, 1, res.stdout + res.stderr);
    assert.match(res.stderr, /problem\(s\) in the documents/);
    assert.equal(users(live), demoUsers + 1, 'the live database is untouched');
  });

  it('--dry-run checks a sound backup and leaves the database', () => {
    const res = restore('--from', good, '--dry-run');
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /\[4\/5\] invoice series and hash chains/);
    assert.match(res.stdout, /\d+ document\(s\) verified/);
    assert.equal(users(live), demoUsers + 1);
  });

  it('restores a sound backup, keeping the replaced database aside', () => {
    const res = restore('--from', good);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /Restored/);
    assert.equal(users(live), demoUsers, 'the user added after the backup is gone');
    const kept = readdirSync(dir).filter((f) => f.startsWith('live.sqlite.before-restore-') && !/-(wal|shm)$/.test(f));
    assert.equal(kept.length, 1);
    assert.equal(users(join(dir, kept[0]!)), demoUsers + 1, 'the replaced database is kept whole');
    assert.ok(!existsSync(`${live}.restore-partial`));
  });
});
