import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SendMailOptions } from 'nodemailer';
import { buildTestApp, login, seedPole } from '../helpers/app';
import { insertResource } from '../helpers/closing';
import { createSender } from '../../server/notifications/sender';
import type { MailTransport } from '../../server/notifications/transport';

describe('the sender', () => {
  it('stops gracefully: the mail in flight finishes and is marked sent before stop() resolves', async () => {
    const t = await buildTestApp({ config: { mailPollMs: 10 } });
    try {
      const pole = await seedPole(t.store);
      const room = insertResource(t.store, { name: 'Salle', kind: 'room', bearerMemberId: pole.memberC });
      const userA = await login(t.app, pole.userA);
      const res = await t.app.inject({ method: 'POST', url: '/api/bookings', headers: { cookie: userA }, payload: { resourceId: room, start: '2026-11-20T10:00:00+01:00', end: '2026-11-20T11:00:00+01:00' } });
      assert.equal(res.statusCode, 201);
      let started!: () => void;
      const sending = new Promise<void>((resolve) => (started = resolve));
      const delivered: SendMailOptions[] = [];
      const slow: MailTransport = {
        describe: 'slow',
        async send(mail) {
          started();
          await new Promise((r) => setTimeout(r, 300));
          delivered.push(mail);
        },
        close: () => undefined,
      };
      const sender = createSender(t.app.ctx, slow);
      sender.start();
      await sending;
      await sender.stop();
      assert.equal(delivered.length, 1);
      assert.equal(t.store.sqlite.prepare('SELECT status FROM outbox').pluck().get(), 'sent', 'marked before stop() resolved');
    } finally {
      await t.close();
    }
  });
});
