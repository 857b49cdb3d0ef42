import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import ICAL from 'ical.js';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { addresses, calendarOf, startMailServer, testSender, type MailServer } from '../helpers/mail';
import type { Sender } from '../../server/notifications/sender';

const PUBLIC_URL = 'https://pole.example.org';

describe('notifications of bookings', () => {
  let t: TestApp;
  let pole: SeededPole;
  let mail: MailServer;
  let sender: Sender;
  let coord: string;
  let userA: string;
  let room: number;
  let approvalRoom: number;

  beforeEach(async () => {
    mail = await startMailServer();
    t = await buildTestApp({ config: { publicUrl: PUBLIC_URL, mailFrom: 'Pôle de test <pole@example.org>', mailRetryBaseMs: 60_000, mailMaxAttempts: 3 } });
    pole = await seedPole(t.store);
    sender = testSender(t.app, mail);
    coord = await login(t.app, pole.coordinator);
    userA = await login(t.app, pole.userA);
    const resource = async (name: string, requiresApproval: boolean) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/resources', headers: { cookie: coord }, payload: { name, kind: 'room', capacity: 1, bearerMemberId: pole.memberC, requiresApproval } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as number;
    };
    room = await resource('Salle Jaurès', false);
    approvalRoom = await resource('Studio son', true);
  });
  afterEach(async () => {
    await sender.stop();
    await t.close();
    await mail.stop();
  });

  const book = async (cookie: string, resourceId: number, start = '2026-11-20T10:00:00+01:00', end = '2026-11-20T11:30:00+01:00', extra: Record<string, unknown> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/bookings', headers: { cookie }, payload: { resourceId, start, end, ...extra } });
  /** Mails written: outbox rows, and booking notices not yet addressed into outbox rows. */
  const outboxCount = () => t.store.sqlite.prepare('SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM notices)').pluck().get() as number;
  const noticeCount = () => t.store.sqlite.prepare('SELECT count(*) FROM notices').pluck().get() as number;
  const parseIcs = (text: string) => new ICAL.Component(ICAL.parse(text));

  it('a confirmed booking: one mail to its booker, French, text and HTML, a link, and a REQUEST invitation', async () => {
    const res = await book(userA, room);
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json().id as number;
    assert.equal(await sender.tick(), 1);
    assert.equal(await sender.tick(), 0, 'sent once');
    assert.equal(mail.received.length, 1);
    const { mail: m, rcpt } = mail.received[0]!;
    assert.deepEqual(rcpt, [pole.userA]);
    assert.deepEqual(addresses(m.to), [pole.userA]);
    assert.equal(m.subject, 'Réservation confirmée\u00a0: Salle Jaurès');
    assert.match(m.messageId ?? '', /^<booking\.confirmed\.\d+\.s0\.u\d+@pole\.example\.org>$/);
    assert.match(m.text ?? '', /vendredi 20 novembre 2026, 10h00 – 11h30/);
    assert.match(m.text ?? '', /https:\/\/pole\.example\.org\/bookings/);
    assert.match(String(m.html), /<a href="https:\/\/pole\.example\.org\/bookings">Mes réservations<\/a>/);
    const cal = parseIcs(calendarOf(m)!);
    assert.equal(cal.getFirstPropertyValue('method'), 'REQUEST');
    const event = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
    assert.equal(event.uid, `booking-${id}@pole.example.org`);
    assert.equal(event.startDate.toJSDate().toISOString(), '2026-11-20T09:00:00.000Z');
    assert.equal(event.endDate.toJSDate().toISOString(), '2026-11-20T10:30:00.000Z');
    assert.equal(event.sequence, 0);
  });

  it('approval: pending to the booker and a request to the coordinator; approved with an invitation, rejected without', async () => {
    const first = (await book(userA, approvalRoom)).json();
    const second = (await book(userA, approvalRoom, '2026-11-21T10:00:00+01:00', '2026-11-21T11:00:00+01:00')).json();
    assert.equal(first.status, 'pending');
    await sender.tick();
    const subjects = mail.received.map((r) => `${r.rcpt.join(',')} ${r.mail.subject}`).sort();
    assert.deepEqual(subjects, [
      `${pole.coordinator} Réservation à valider\u00a0: Studio son`,
      `${pole.coordinator} Réservation à valider\u00a0: Studio son`,
      `${pole.userA} Réservation en attente de validation\u00a0: Studio son`,
      `${pole.userA} Réservation en attente de validation\u00a0: Studio son`,
    ]);
    const request = mail.received.find((r) => r.rcpt[0] === pole.coordinator)!.mail;
    assert.match(request.text ?? '', /https:\/\/pole\.example\.org\/approvals/);
    assert.equal(calendarOf(request), undefined, 'no invitation before approval');
    mail.received.length = 0;

    assert.equal((await t.app.inject({ method: 'PATCH', url: `/api/bookings/${first.id}`, headers: { cookie: coord }, payload: { status: 'confirmed' } })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'PATCH', url: `/api/bookings/${second.id}`, headers: { cookie: coord }, payload: { status: 'rejected' } })).statusCode, 200);
    await sender.tick();
    assert.deepEqual(mail.received.map((r) => [r.rcpt[0], r.mail.subject]), [
      [pole.userA, 'Réservation validée\u00a0: Studio son'],
      [pole.userA, 'Réservation refusée\u00a0: Studio son'],
    ]);
    assert.match(mail.received[0]!.mail.text ?? '', /coord a validé votre réservation/);
    const cal = parseIcs(calendarOf(mail.received[0]!.mail)!);
    assert.equal(cal.getFirstPropertyValue('method'), 'REQUEST');
    assert.equal(new ICAL.Event(cal.getFirstSubcomponent('vevent')!).sequence, 1);
    assert.equal(calendarOf(mail.received[1]!.mail), undefined);
  });

  it('cancelled by another person: a CANCEL for the same event; one’s own cancellation sends nothing', async () => {
    const a = (await book(userA, room)).json();
    const b = (await book(userA, room, '2026-11-23T10:00:00+01:00', '2026-11-23T11:00:00+01:00')).json();
    await sender.tick();
    mail.received.length = 0;
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/bookings/${a.id}`, headers: { cookie: userA } })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/bookings/${b.id}`, headers: { cookie: coord } })).statusCode, 200);
    await sender.tick();
    assert.equal(mail.received.length, 1);
    const m = mail.received[0]!.mail;
    assert.equal(m.subject, 'Réservation annulée\u00a0: Salle Jaurès');
    assert.match(m.text ?? '', /coord a annulé votre réservation/);
    const cal = parseIcs(calendarOf(m)!);
    assert.equal(cal.getFirstPropertyValue('method'), 'CANCEL');
    const event = cal.getFirstSubcomponent('vevent')!;
    assert.equal(event.getFirstPropertyValue('uid'), `booking-${b.id}@pole.example.org`);
    assert.equal(event.getFirstPropertyValue('status'), 'CANCELLED');
    assert.equal(event.getFirstPropertyValue('sequence'), 1);
  });

  it('a refused (rolled back) booking writes no mail and sends nothing', async () => {
    assert.equal((await book(userA, room)).statusCode, 201);
    assert.equal(noticeCount(), 1, 'the booking committed its notice');
    await sender.tick();
    assert.equal(noticeCount(), 0, 'addressed into the outbox by the sender');
    const before = outboxCount();
    assert.equal(before, 1);
    const refused = await book(coord, room, '2026-11-20T11:00:00+01:00', '2026-11-20T12:00:00+01:00', { memberId: pole.memberB });
    assert.equal(refused.statusCode, 409, refused.body);
    // A series refused as a whole after inserting some occurrences rolls back their mails too.
    const series = await book(userA, room, '2026-11-19T10:00:00+01:00', '2026-11-19T11:00:00+01:00', { recurrence: { freq: 'daily', count: 3 } });
    assert.equal(series.statusCode, 409, series.body);
    assert.equal(outboxCount(), before, 'no outbox row and no notice');
    assert.equal(await sender.tick(), 0);
    assert.equal(outboxCount(), before);
    assert.equal(mail.received.length, 1);
  });

  it('SMTP down: the mail waits, retried with backoff, and goes out once when the server returns; N failures make a dead letter', async () => {
    await mail.stop();
    await book(userA, room);
    assert.equal(await sender.tick(), 0);
    const row = () => t.store.sqlite.prepare('SELECT status, attempts, next_attempt_at AS next, last_error AS error FROM outbox ORDER BY id LIMIT 1').get() as { status: string; attempts: number; next: number; error: string };
    assert.equal(row().status, 'pending');
    assert.equal(row().attempts, 1);
    assert.equal(row().next, t.clock.now() + 60_000, 'retried after the base delay');
    assert.match(row().error, /ECONNREFUSED/);
    assert.equal(await sender.tick(), 0, 'not before its time');
    t.clock.advance(60_000);
    assert.equal(await sender.tick(), 0);
    assert.equal(row().attempts, 2);
    assert.equal(row().next, t.clock.now() + 120_000, 'the delay doubles');
    await mail.start();
    t.clock.advance(120_000);
    assert.equal(await sender.tick(), 1);
    assert.equal(mail.received.length, 1);
    assert.equal(row().status, 'sent');

    await mail.stop();
    await book(userA, room, '2026-11-24T10:00:00+01:00', '2026-11-24T11:00:00+01:00');
    for (let i = 0; i < 3; i++) {
      await sender.tick();
      t.clock.advance(3_600_000);
    }
    const dead = t.store.sqlite.prepare("SELECT attempts FROM outbox WHERE status = 'dead'").pluck().all();
    assert.deepEqual(dead, [3]);
    await mail.start();
    assert.equal(await sender.tick(), 0, 'a dead letter is not retried on its own');
  });
});
