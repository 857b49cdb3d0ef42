import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { createSender } from '../../server/notifications/sender';
import { fileTransport } from '../../server/notifications/transport';
import { FIRST_COORDINATOR, openSession, screenshot, seriousViolations, startPole, type Pole, type Session } from './harness';

const NOW = '2026-11-18T10:00:00+01:00';
const NEW_PASSWORD = 'une phrase neuve et longue';
let pole: Pole;
let outboxDir: string;

async function checkAxe(session: Session, label: string) {
  assert.deepEqual(await seriousViolations(session.page), [], `axe found serious or critical violations on ${label}`);
}

/**
 * « Mot de passe oublié » end to end: asked from the sign-in page on a desktop, the mail written as an .eml file
 * (no SMTP configured), its link followed on a phone, the new password chosen and used to sign in.
 */
describe('forgot password (real server, Chromium)', () => {
  before(async () => {
    pole = await startPole(NOW, { empty: true });
    outboxDir = mkdtempSync(join(tmpdir(), 'mutualise-e2e-outbox-'));
  });
  after(async () => {
    await pole?.close();
    rmSync(outboxDir, { recursive: true, force: true });
  });

  it('asks for a link from the sign-in page, reads it in the .eml, sets a new password on a phone and signs in with it', async () => {
    const desktop = await openSession(pole, { width: 1366, height: 768 });
    await desktop.page.goto(`${pole.baseUrl}/login`);
    await desktop.page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await desktop.page.getByRole('heading', { name: 'Mot de passe oublié' }).waitFor();
    await checkAxe(desktop, 'the forgot-password page');
    await desktop.page.getByLabel('Adresse e-mail').fill(FIRST_COORDINATOR);
    await desktop.page.getByRole('button', { name: 'Recevoir un lien' }).click();
    const status = desktop.page.locator('.login-card').getByRole('status');
    await status.waitFor();
    assert.match((await status.textContent()) ?? '', /Si un compte actif utilise l’adresse premiere\.coordinatrice@pole\.test, un lien/);
    await screenshot(desktop.page, 'forgot-password-sent');
    await checkAxe(desktop, 'the forgot-password confirmation');
    assert.deepEqual(desktop.errors, []);
    await desktop.close();

    // No SMTP: the sender writes the mail as an .eml file, which is what an operator would open.
    const sender = createSender(pole.app.ctx, fileTransport(outboxDir));
    assert.equal(await sender.tick(), 1);
    await sender.stop();
    const files = readdirSync(outboxDir).filter((f) => f.endsWith('.eml'));
    assert.equal(files.length, 1);
    const mail = await simpleParser(readFileSync(join(outboxDir, files[0]!)));
    assert.equal(mail.subject, 'Choisir un nouveau mot de passe');
    const token = /\/set-password#([a-z0-9]+\.[a-z0-9]+)/.exec(mail.text ?? '')?.[1];
    assert.ok(token, mail.text);
    const secret = token.split('.')[1]!;
    const stored = pole.store.sqlite.prepare('SELECT payload || coalesce(last_error, \'\') FROM outbox').pluck().all() as string[];
    assert.ok(!stored.some((p) => p.includes(secret)), 'the outbox kept no copy of the link once the mail was written');

    const phone = await openSession(pole, { width: 390, height: 844 });
    await phone.page.goto(`${pole.baseUrl}/set-password#${token}`);
    await phone.page.getByRole('heading', { name: 'Nouveau mot de passe' }).waitFor();
    await phone.page.getByLabel('Nouveau mot de passe (10 caractères au moins)').fill(NEW_PASSWORD);
    await phone.page.getByLabel('Le même, une seconde fois').fill(NEW_PASSWORD);
    await phone.page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await phone.page.getByText('Mot de passe enregistré.').waitFor();
    await screenshot(phone.page, 'forgot-password-new-password-phone');
    await phone.page.getByRole('link', { name: 'Se connecter' }).click();
    await phone.page.getByLabel('Adresse e-mail').fill(FIRST_COORDINATOR);
    await phone.page.getByLabel('Mot de passe', { exact: true }).fill(NEW_PASSWORD);
    await phone.page.getByRole('button', { name: 'Se connecter' }).click();
    await phone.page.locator('.topbar').waitFor();
    assert.deepEqual(phone.errors, []);
    await phone.close();
  });
});
