import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../db/index';
import { defaultConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import { CLAIM_MS, createSender } from '../../server/notifications/sender';
import { smtpTransport } from '../../server/notifications/transport';
import { manualClock } from '../../server/shared/clock';
import { seedPole } from '../helpers/app';
import { insertResource } from '../helpers/closing';
import { startMailServer, type MailServer } from '../helpers/mail';
import { startChild, tempDir } from '../helpers/proof-process';

const NOW = '2026-11-16T10:00:00+01:00';

/**
 * A crash (kill -9) between a change and its mail loses nothing and duplicates nothing the Message-ID would
 * not dedupe: a child process books (the mail is written as a notice in the booking's transaction) and is
 * killed right after the commit, after the sender addressed the notice into an outbox row, or after the SMTP
 * server accepted the mail but before it was marked sent. A sender started afterwards delivers the first two
 * exactly once and the third again with the same Message-ID.
 * Shown to fail: with `recordBookingNotice` made a no-op (no notice), all three cases receive no mail.
 */
describe('proof: the outbox survives kill -9', () => {
  let mail: MailServer;
  let tmp: ReturnType<typeof tempDir>;
  before(async () => {
    mail = await startMailServer();
    tmp = tempDir('outbox');
  });
  after(async () => {
    await mail.stop();
    tmp.remove();
  });

  const run = async (point: 'after-commit' | 'after-expand' | 'after-send') => {
    const db = join(tmp.dir, `${point}.sqlite`);
    const seed = openStore(db);
    const pole = await seedPole(seed);
    insertResource(seed, { name: 'Salle crash', kind: 'room', bearerMemberId: pole.memberC });
    seed.close();
    const child = startChild(process.execPath, ['--import', 'tsx', 'tests/proof/fixtures/outbox-child.ts', db, mail.url, NOW, point], {});
    const exit = await child.exited;
    assert.equal(exit.signal, 'SIGKILL', `the child was killed (${child.stdout()} ${child.stderr()})`);

    const store = openStore(db);
    try {
      const clock = manualClock(Date.parse(NOW) + CLAIM_MS + 1_000);
      store.audit.clock = clock;
      const ctx: AppContext = { store, db: store.db, sqlite: store.sqlite, clock, config: { ...defaultConfig, dbPath: db, publicUrl: 'https://pole.example.org' } };
      assert.equal(store.sqlite.prepare('SELECT count(*) FROM bookings').pluck().get(), 1, 'the booking committed');
      const sender = createSender(ctx, smtpTransport(mail.url));
      await sender.tick();
      await sender.tick();
      await sender.stop();
      assert.deepEqual(store.sqlite.prepare('SELECT status FROM outbox').pluck().all(), ['sent']);
      assert.equal(store.sqlite.prepare('SELECT count(*) FROM notices').pluck().get(), 0, 'no notice left to address');
    } finally {
      store.close();
    }
  };

  it('killed after the commit, before sending: the mail goes out once afterwards', async () => {
    mail.received.length = 0;
    await run('after-commit');
    assert.equal(mail.received.length, 1);
    assert.match(mail.received[0]!.mail.subject ?? '', /Réservation confirmée/);
  });

  it('killed after the notice was addressed, before sending: the mail goes out once afterwards', async () => {
    mail.received.length = 0;
    await run('after-expand');
    assert.equal(mail.received.length, 1);
    assert.match(mail.received[0]!.mail.subject ?? '', /Réservation confirmée/);
  });

  it('killed after the SMTP server took the mail, before marking it: sent again with the same Message-ID', async () => {
    mail.received.length = 0;
    await run('after-send');
    assert.equal(mail.received.length, 2);
    const ids = mail.received.map((r) => r.mail.messageId);
    assert.equal(new Set(ids).size, 1, `one Message-ID for both deliveries: ${ids.join(', ')}`);
    assert.match(ids[0] ?? '', /^<booking\.confirmed\.\d+\.s0\.u\d+@pole\.example\.org>$/);
  });
});
