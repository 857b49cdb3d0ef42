import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Store } from '../../db/index';
import { RESETS_PER_EMAIL_PER_HOUR } from '../../server/accounts/service';
import type { Sender } from '../../server/notifications/sender';
import { buildTestApp, dbFingerprint, login, seedPole, TEST_PASSWORD, type SeededPole, type TestApp } from '../helpers/app';
import { addresses, startMailServer, testSender, type MailServer } from '../helpers/mail';

const PUBLIC_URL = 'https://pole.example.org';
const NEW_PASSWORD = 'une toute nouvelle phrase';

/** The reset request is answered first and handled right after: one turn of the event loop later it is done. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Every value of every row of every table, as text: where a secret could hide. */
function everyValue(store: Store): string {
  const tables = store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  return tables.map((name) => JSON.stringify(store.sqlite.prepare(`SELECT * FROM "${name}"`).all())).join('\n');
}

describe('« mot de passe oublié »: POST /api/auth/password-reset', () => {
  let t: TestApp;
  let pole: SeededPole;
  let mail: MailServer;
  let sender: Sender;

  beforeEach(async () => {
    mail = await startMailServer();
    t = await buildTestApp({ config: { publicUrl: PUBLIC_URL, mailFrom: 'Pôle de test <pole@example.org>', mailRetryBaseMs: 60_000, mailMaxAttempts: 2, loginBurstPerMinute: 12 } });
    pole = await seedPole(t.store);
    sender = testSender(t.app, mail);
  });
  afterEach(async () => {
    await sender.stop();
    await t.close();
    await mail.stop();
  });

  const ask = async (email: string, ip = '203.0.113.7') => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email }, remoteAddress: ip, headers: { host: 'pole.example.org' } });
    await settle();
    return res;
  };
  const setPassword = (token: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/set-password', payload: { token, password } });
  const linkIn = (text: string) => /https:\/\/pole\.example\.org\/set-password#([a-z0-9]+\.[a-z0-9]+)/.exec(text)?.[1];
  const answerOf = (res: { statusCode: number; body: string; headers: Record<string, unknown> }) => ({
    status: res.statusCode,
    body: res.body,
    type: res.headers['content-type'],
    length: res.headers['content-length'],
  });

  it('an active user gets one mail with a single-use link that sets the password; the outbox keeps no secret once it is sent', async () => {
    const held = await login(t.app, pole.userA);
    const res = await ask(pole.userA.toUpperCase());
    assert.equal(res.statusCode, 202);
    const row = t.store.sqlite.prepare("SELECT kind, to_address AS toAddress, lang, digest, payload FROM outbox WHERE kind = 'account.password_reset'").get() as Record<string, unknown>;
    assert.deepEqual({ ...row, payload: undefined }, { kind: 'account.password_reset', toAddress: pole.userA, lang: 'fr', digest: 0, payload: undefined });
    const audit = t.store.sqlite.prepare("SELECT route, action FROM audit_log WHERE object_type = 'account_token'").all();
    assert.deepEqual(audit, [{ route: 'POST /api/auth/password-reset', action: 'account_token.create' }], 'the link is in the audit trail, with the route');

    assert.equal(await sender.tick(), 1);
    assert.equal(mail.received.length, 1);
    const { mail: m, rcpt } = mail.received[0]!;
    assert.deepEqual(rcpt, [pole.userA]);
    assert.deepEqual(addresses(m.to), [pole.userA]);
    assert.equal(m.subject, 'Choisir un nouveau mot de passe');
    assert.match(m.text ?? '', /sert une seule fois, jusqu’au 16 novembre 2026 à 11h00/, 'one hour, in the pole’s time');
    assert.match(m.text ?? '', /Si vous n’avez rien demandé, ignorez ce message/);
    assert.doesNotMatch(m.text ?? '', /Réglez vos notifications/);
    const token = linkIn(m.text ?? '');
    assert.ok(token, m.text);
    assert.equal(linkIn(String(m.html)), token, 'the HTML carries the same link');

    const secret = token.split('.')[1]!;
    assert.ok(!everyValue(t.store).includes(secret), 'once sent, no table holds the link’s secret (the outbox row kept a link-less copy)');
    const view = (await t.app.inject({ url: '/api/outbox', headers: { cookie: await login(t.app, pole.coordinator) } })).json().items[0];
    assert.equal(view.subject, 'Choisir un nouveau mot de passe', 'the erased row still reads in the outbox list');

    const info = await t.app.inject({ method: 'POST', url: '/api/auth/account-link', payload: { token } });
    assert.equal(info.json().purpose, 'reset');
    assert.equal((await setPassword(token, NEW_PASSWORD)).statusCode, 204);
    await login(t.app, pole.userA, NEW_PASSWORD);
    await assert.rejects(login(t.app, pole.userA, TEST_PASSWORD), /401/);
    assert.equal((await t.app.inject({ url: '/api/me', headers: { cookie: held } })).statusCode, 401, 'sessions opened before end');
    assert.equal((await setPassword(token, 'encore une autre phrase')).statusCode, 404, 'the link works once');
  });

  it('answers before it looks the address up: at the answer nothing is written yet, the link and mail follow', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: pole.userA } });
    assert.equal(res.statusCode, 202);
    const count = () => t.store.sqlite.prepare('SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM account_tokens)').pluck().get();
    assert.equal(count(), 0, 'the answer did not wait for the work (so its time cannot depend on the address)');
    await settle();
    assert.equal(count(), 2);
  });

  it('the same answer, and nothing written, for an unknown address, a disabled user and a request over the per-address limit', async () => {
    const known = answerOf(await ask(pole.userB));
    assert.deepEqual(known, { status: 202, body: known.body, type: 'application/json; charset=utf-8', length: known.length });
    t.store.sqlite.prepare('UPDATE users SET active = 0 WHERE email = ?').run(pole.adminB);
    for (let i = 1; i < RESETS_PER_EMAIL_PER_HOUR; i++) await ask(pole.userB);
    const before = dbFingerprint(t.store);
    for (const email of ['personne@nulle-part.test', pole.adminB, pole.userB]) assert.deepEqual(answerOf(await ask(email)), known, email);
    assert.equal(dbFingerprint(t.store), before, 'no link, no mail: the address had no active account, or had its mails for the hour');
    assert.equal(t.store.sqlite.prepare("SELECT count(*) FROM outbox WHERE to_address = ?").pluck().get(pole.userB), RESETS_PER_EMAIL_PER_HOUR);

    t.clock.advance(3_600_000);
    await ask(pole.userB);
    assert.equal(t.store.sqlite.prepare("SELECT count(*) FROM outbox WHERE to_address = ?").pluck().get(pole.userB), RESETS_PER_EMAIL_PER_HOUR + 1, 'an hour later, a new one');
    const tokens = t.store.sqlite.prepare('SELECT count(*) FROM account_tokens WHERE user_id = ? AND used_at IS NULL').pluck().get(pole.userIds[pole.userB]);
    assert.equal(tokens, 1, 'each new link replaces the earlier ones');
  });

  it('an address asking too often gets 429 whatever the e-mail; a malformed e-mail is a 400 that writes nothing', async () => {
    const before = dbFingerprint(t.store);
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: 'pas une adresse' } });
    assert.equal(bad.statusCode, 400);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: {} })).statusCode, 400);
    assert.equal(dbFingerprint(t.store), before);
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await ask(`inconnu${i}@nulle-part.test`, '198.51.100.9')).statusCode);
    assert.ok(codes.every((c) => c === 202));
    const over = await ask(pole.userA, '198.51.100.9');
    assert.equal(over.statusCode, 429);
    assert.equal(over.json().error.code, 'auth.rate_limited');
    assert.equal(t.store.sqlite.prepare('SELECT count(*) FROM outbox').pluck().get(), 0, 'the refused request made no link');
    assert.equal((await ask(pole.userA, '198.51.100.10')).statusCode, 202, 'another address is not held back');
  });

  it('the mail ignores the notification settings (digest, kinds off) but speaks the user’s language; a link expires after an hour', async () => {
    const cookie = await login(t.app, pole.userA);
    const put = await t.app.inject({ method: 'PUT', url: `/api/users/${pole.userIds[pole.userA]}/notifications`, headers: { cookie }, payload: { lang: 'en', mode: 'digest', disabled: ['booking.confirmed'] } });
    assert.equal(put.statusCode, 200, put.body);
    await ask(pole.userA);
    assert.equal(await sender.tick(), 1, 'sent at once, not held for the digest');
    const m = mail.received[0]!.mail;
    assert.equal(m.subject, 'Choose a new password');
    assert.match(m.text ?? '', /works once, until 16 November 2026, 11:00/);
    t.clock.advance(60 * 60_000);
    assert.equal((await setPassword(linkIn(m.text ?? '')!, NEW_PASSWORD)).statusCode, 404, 'expired');
    await login(t.app, pole.userA, TEST_PASSWORD);
  });

  it('a reset mail that dies keeps no secret either, and is not sent again by hand (its owner asks anew)', async () => {
    await mail.stop();
    await ask(pole.userA);
    const { secret } = JSON.parse(t.store.sqlite.prepare('SELECT payload FROM outbox').pluck().get() as string) as { secret: string };
    assert.ok(secret && everyValue(t.store).includes(secret), 'until delivered, the outbox holds the link');
    await sender.tick();
    t.clock.advance(60_000);
    await sender.tick();
    const row = t.store.sqlite.prepare('SELECT id, status FROM outbox').get() as { id: number; status: string };
    assert.equal(row.status, 'dead');
    assert.ok(!everyValue(t.store).includes(secret), 'a dead letter keeps no link');
    const retry = await t.app.inject({ method: 'POST', url: '/api/outbox/retry', headers: { cookie: await login(t.app, pole.coordinator) }, payload: { id: row.id } });
    assert.equal(retry.statusCode, 409);
    assert.equal(retry.json().error.code, 'outbox.link_erased');
  });
});
