import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { insertBooking, insertResource, seedOctober } from '../helpers/closing';
import { addresses, startMailServer, testSender, type MailServer } from '../helpers/mail';
import { pdfText } from '../helpers/pdf';
import { tempDir } from '../helpers/proof-process';
import { createSender, type Sender } from '../../server/notifications/sender';
import { fileTransport } from '../../server/notifications/transport';

describe('billing mails, reminders, preferences and the outbox', () => {
  let t: TestApp;
  let pole: SeededPole;
  let mail: MailServer;
  let sender: Sender;
  let coord: string;
  beforeEach(async () => {
    mail = await startMailServer();
    t = await buildTestApp({ config: { publicUrl: 'https://pole.example.org', mailMaxAttempts: 1 } });
    pole = await seedPole(t.store);
    sender = testSender(t.app, mail);
    coord = await login(t.app, pole.coordinator);
  });
  afterEach(async () => {
    await sender.stop();
    await t.close();
    await mail.stop();
  });

  const put = (url: string, payload: Record<string, unknown>, cookie = coord) => t.app.inject({ method: 'PUT', url, headers: { cookie }, payload });
  const close = () => t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } });

  it('close done: each structure’s billing e-mail gets its invoices’ PDFs and its statement, its accountant in copy', async () => {
    seedOctober(t.store, pole);
    const adminB = await login(t.app, pole.adminB);
    assert.equal((await put(`/api/members/${pole.memberB}/mail-settings`, { accountantEmail: 'Cabinet@Expert.test' }, adminB)).statusCode, 200);
    const closed = await close();
    assert.equal(closed.statusCode, 201, closed.body);
    await sender.tick();
    const toB = mail.received.filter((r) => addresses(r.mail.to).includes('compta@bravo.test'));
    assert.equal(toB.length, 1, 'one mail per structure');
    const m = toB[0]!.mail;
    assert.deepEqual(toB[0]!.rcpt.sort(), ['cabinet@expert.test', 'compta@bravo.test']);
    assert.deepEqual(addresses(m.cc), ['cabinet@expert.test']);
    assert.equal(m.subject, 'Clôture d’octobre 2026\u00a0: factures d’Association Bravo');
    const numbers = (closed.json().invoices as { number: string; sellerMemberId: number; buyerMemberId: number }[])
      .filter((i) => i.sellerMemberId === pole.memberB || i.buyerMemberId === pole.memberB)
      .map((i) => i.number)
      .sort();
    const pdfs = m.attachments.filter((a) => a.contentType === 'application/pdf');
    assert.deepEqual(pdfs.map((a) => a.filename).filter((f) => /^[A-Z]+-2026-\d+\.pdf$/.test(f!)).sort(), numbers.map((n) => `${n}.pdf`));
    for (const n of numbers) assert.match(pdfText(pdfs.find((a) => a.filename === `${n}.pdf`)!.content), new RegExp(n));
    const statement = pdfs.find((a) => !/^[A-Z]+-2026-\d+\.pdf$/.test(a.filename!))!;
    assert.match(pdfText(statement.content), /Association Bravo/);
    assert.match(m.text ?? '', /https:\/\/pole\.example\.org\/invoices/);
    assert.equal(mail.received.length, 3, 'A, B and C each get theirs');
  });

  it('invoice overdue: the day after the due date, then weekly, until paid', async () => {
    seedOctober(t.store, pole);
    const invoice = (await close()).json().invoices.find((i: { buyerMemberId: number }) => i.buyerMemberId === pole.memberC) as { id: number; number: string; dueDate: string; totalInclVatCents: number };
    await sender.tick();
    mail.received.length = 0;
    const overdue = () => mail.received.filter((r) => r.mail.subject?.startsWith(`Facture ${invoice.number}`));
    const at = (isoDate: string, days: number) => new Date(Date.parse(`${isoDate}T10:00:00+01:00`) + days * 86_400_000);
    t.clock.set(at(invoice.dueDate, 0));
    await sender.tick();
    assert.equal(overdue().length, 0, 'not on the due date');
    t.clock.set(at(invoice.dueDate, 1));
    await sender.tick();
    t.clock.set(at(invoice.dueDate, 3));
    await sender.tick();
    assert.equal(overdue().length, 1, 'once');
    assert.deepEqual(overdue()[0]!.rcpt, ['compta@charlie.test']);
    t.clock.set(at(invoice.dueDate, 8));
    await sender.tick();
    assert.equal(overdue().length, 2, 'a week later');
    // C pays: no more reminders.
    coord = await login(t.app, pole.coordinator); // the session of a week ago has expired
    const payment = await t.app.inject({ method: 'POST', url: `/api/invoices/${invoice.id}/payments`, headers: { cookie: coord }, payload: { amountCents: invoice.totalInclVatCents, paidOn: at(invoice.dueDate, 8).toISOString().slice(0, 10), method: 'transfer' } });
    assert.equal(payment.statusCode, 201, payment.body);
    t.clock.set(at(invoice.dueDate, 15));
    await sender.tick();
    assert.equal(overdue().length, 2);
  });

  it('costs missing: once a month, to coordinators, naming the resources used without a cost', async () => {
    const van = insertResource(t.store, { name: 'Camion partagé', kind: 'equipment', bearerMemberId: pole.memberA });
    insertBooking(t.store, { resourceId: van, memberId: pole.memberB, userId: pole.userIds[pole.userB]!, start: '2026-11-10T09:00:00+01:00', end: '2026-11-10T12:00:00+01:00' });
    t.clock.set('2026-12-01T08:00:00+01:00');
    await sender.tick();
    t.clock.set('2026-12-02T08:00:00+01:00');
    await sender.tick();
    const got = mail.received.filter((r) => r.mail.subject === 'Coûts manquants pour novembre 2026');
    assert.equal(got.length, 1);
    assert.deepEqual(got[0]!.rcpt, [pole.coordinator]);
    assert.match(got[0]!.mail.text ?? '', /- Camion partagé/);
  });

  it('preferences: English, a kind turned off, a daily digest; bad input refused writing nothing', async () => {
    const userA = await login(t.app, pole.userA);
    const room = insertResource(t.store, { name: 'Salle', kind: 'room', bearerMemberId: pole.memberC });
    const prefs = `/api/users/${pole.userIds[pole.userA]}/notifications`;
    const bad = await put(prefs, { lang: 'de', mode: 'immediate', disabled: [] }, userA);
    assert.equal(bad.statusCode, 400);
    assert.equal((await t.app.inject({ url: prefs, headers: { cookie: userA } })).json().lang, 'fr', 'nothing written');
    assert.equal((await put(`/api/users/${pole.userIds[pole.userB]}/notifications`, { lang: 'en', mode: 'immediate', disabled: [] }, userA)).statusCode, 404, 'someone else’s');
    assert.equal((await put(prefs, { lang: 'en', mode: 'immediate', disabled: [] }, userA)).statusCode, 200);
    const book = (day: string) => t.app.inject({ method: 'POST', url: '/api/bookings', headers: { cookie: userA }, payload: { resourceId: room, start: `2026-11-${day}T10:00:00+01:00`, end: `2026-11-${day}T11:00:00+01:00` } });
    await book('20');
    await sender.tick();
    assert.equal(mail.received.at(-1)!.mail.subject, 'Booking confirmed: Salle');
    assert.match(mail.received.at(-1)!.mail.text ?? '', /Friday 20 November 2026, 10:00 – 11:00/);

    assert.equal((await put(prefs, { lang: 'en', mode: 'immediate', disabled: ['booking.confirmed'] }, userA)).statusCode, 200);
    await book('21');
    await sender.tick();
    assert.equal(mail.received.length, 1, 'turned off');

    assert.equal((await put(prefs, { lang: 'fr', mode: 'digest', disabled: [] }, userA)).statusCode, 200);
    await book('23');
    await book('24');
    await sender.tick();
    assert.equal(mail.received.length, 1, 'held for the digest');
    t.clock.set('2026-11-17T07:00:00+01:00');
    await sender.tick();
    assert.equal(mail.received.length, 2);
    const digest = mail.received[1]!.mail;
    assert.equal(digest.subject, 'Mutualise\u00a0: 2 notification(s) du jour');
    assert.match(digest.text ?? '', /lundi 23 novembre 2026[\s\S]*mardi 24 novembre 2026/);
    assert.equal(await sender.tick(), 0);
  });

  it('the outbox for coordinators: dead letters listed and sent again by hand; members refused', async () => {
    const room = insertResource(t.store, { name: 'Salle', kind: 'room', bearerMemberId: pole.memberC });
    const userA = await login(t.app, pole.userA);
    await mail.stop();
    await t.app.inject({ method: 'POST', url: '/api/bookings', headers: { cookie: userA }, payload: { resourceId: room, start: '2026-11-20T10:00:00+01:00', end: '2026-11-20T11:00:00+01:00' } });
    await sender.tick();
    const dead = await t.app.inject({ url: '/api/outbox?status=dead', headers: { cookie: coord } });
    assert.equal(dead.statusCode, 200);
    const [letter] = dead.json().items as { id: number; subject: string; lastError: string; attempts: number }[];
    assert.equal(letter!.subject, 'Réservation confirmée\u00a0: Salle');
    assert.match(letter!.lastError, /ECONNREFUSED/);
    assert.equal((await t.app.inject({ url: '/api/outbox', headers: { cookie: userA } })).statusCode, 403);
    const pendingRetry = await t.app.inject({ method: 'POST', url: '/api/outbox/retry', headers: { cookie: coord }, payload: { id: 999 } });
    assert.equal(pendingRetry.json().error.code, 'outbox.not_found');
    await mail.start();
    const retried = await t.app.inject({ method: 'POST', url: '/api/outbox/retry', headers: { cookie: coord }, payload: { id: letter!.id } });
    assert.equal(retried.statusCode, 200, retried.body);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/outbox/retry', headers: { cookie: coord }, payload: { id: letter!.id } })).json().error.code, 'outbox.not_dead');
    assert.equal(await sender.tick(), 1);
    assert.equal(mail.received.length, 1);
    const audit = await t.app.inject({ url: `/api/audit?objectType=outbox&objectId=${letter!.id}`, headers: { cookie: coord } });
    assert.deepEqual(audit.json().items.map((i: { action: string }) => i.action), ['outbox.retry']);
  });

  it('without SMTP, mails are written as .eml files named by their Message-ID', async () => {
    const dir = tempDir('eml');
    try {
      const files = createSender(t.app.ctx, fileTransport(dir.dir));
      const room = insertResource(t.store, { name: 'Salle', kind: 'room', bearerMemberId: pole.memberC });
      const userA = await login(t.app, pole.userA);
      await t.app.inject({ method: 'POST', url: '/api/bookings', headers: { cookie: userA }, payload: { resourceId: room, start: '2026-11-20T10:00:00+01:00', end: '2026-11-20T11:00:00+01:00' } });
      assert.equal(await files.tick(), 1);
      const names = readdirSync(dir.dir);
      assert.equal(names.length, 1);
      assert.match(names[0]!, /^booking\.confirmed\.\d+\.s0\.u\d+@pole\.example\.org\.eml$/);
      const parsed = await simpleParser(readFileSync(join(dir.dir, names[0]!)));
      assert.equal(parsed.subject, 'Réservation confirmée\u00a0: Salle');
      await files.stop();
    } finally {
      dir.remove();
    }
  });
});
