import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DEMO_PASSWORD } from '../../db/demo';
import { insertCost, insertResource } from '../helpers/closing';
import { navigateTo, openSession, screenshot, selectSlot, seriousViolations, signIn, startPole, visit, type Pole, type Session } from './harness';

// The demo pole is seeded on Wednesday 18 November 2026 at 10:00 in Paris: September and October are closed,
// November is open with its costs and bookings. The browser's clock is fixed to the server's.
const SEEDED_AT = '2026-11-18T10:00:00+01:00';
const MEMBER = 'regie@smac.demo.test';
const COORDINATOR = 'coordination@demo.test';

let pole: Pole;

const one = <T>(sql: string, ...params: unknown[]) => pole.store.sqlite.prepare(sql).get(...params) as T;
const count = (sql: string, ...params: unknown[]) => one<{ n: number }>(sql, ...params).n;

async function checkAxe(session: Session, label: string) {
  const violations = await seriousViolations(session.page);
  assert.deepEqual(violations, [], `axe found serious or critical violations on ${label}`);
}

/**
 * The audit page shows the newest 50 rows, then the next 50 older ones after « Plus anciens »: exactly the trail's
 * 100 newest rows, newest first, none twice, none skipped. Rows are told apart by their id (the row's data-key):
 * the browser's clock is fixed, so two sign-ins of one user write rows that read the same.
 */
async function auditPagesThrough(page: Session['page']) {
  const rows = page.getByTestId('audit').locator('tbody tr');
  const newest = (n: number) => pole.store.sqlite.prepare('SELECT id FROM audit_log ORDER BY id DESC LIMIT ?').pluck().all(n).map(String);
  const shownIds = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key') ?? ''));
  assert.ok(count('SELECT count(*) AS n FROM audit_log') > 100, "the demo pole's trail has more than two pages");
  assert.deepEqual(await shownIds(), newest(50), 'the first page is the 50 newest rows');
  await page.getByRole('button', { name: 'Plus anciens' }).click();
  await rows.nth(99).waitFor();
  const shown = await shownIds();
  assert.equal(new Set(shown).size, shown.length, 'no row shown twice');
  assert.deepEqual(shown, newest(100), 'the second page follows the first: the next 50 older rows, none skipped');
}

function assertNoConsoleErrors(session: Session) {
  assert.deepEqual(session.errors, [], 'the browser console reported errors');
}

describe('web client (real server, demo pole, Chromium)', () => {
  before(async () => {
    pole = await startPole(SEEDED_AT);
  });
  after(async () => {
    await pole?.close();
  });

  it('a member logs in, books a free slot on the calendar and sees the refusal for a taken one', async () => {
    // A browser in another time zone than the pole's: the calendar must still show and send Paris times.
    const session = await openSession(pole, { timezoneId: 'America/Montreal' });
    const { page } = session;
    session.expect({ status: 409, path: '/api/bookings' });
    const meeting = one<{ id: number }>("SELECT id FROM resources WHERE name = 'Salle de réunion'");
    const smac = one<{ member_id: number }>('SELECT member_id FROM users WHERE email = ?', MEMBER);

    await page.goto(`${pole.baseUrl}/resources`);
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await screenshot(page, 'login');
    await checkAxe(session, 'the login page');
    await page.getByLabel('Adresse e-mail').fill(MEMBER);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();

    await page.getByRole('heading', { name: 'Ressources mutualisées' }).waitFor();
    await page.getByRole('link', { name: 'Salle de réunion' }).first().waitFor();
    await page.getByText('Salle', { exact: true }).click(); // filter by kind
    assert.equal(await page.locator('.resource-card').count(), 2, 'two rooms in the demo catalogue');
    await screenshot(page, 'catalogue-rooms');
    await checkAxe(session, 'the catalogue');
    await page.getByRole('link', { name: 'Salle de réunion' }).first().click();

    await page.locator('td.fc-timegrid-slot-lane').first().waitFor();
    await page.waitForLoadState('networkidle');
    assert.match((await page.locator('.fc-toolbar-title').textContent()) ?? '', /16 – 22 nov\. 2026/);
    await screenshot(page, 'calendar-week');
    await checkAxe(session, 'the resource calendar');

    // A free slot: Thursday 19 November, 10:00–11:00 (Paris).
    const before = count('SELECT count(*) AS n FROM bookings');
    await selectSlot(page, '2026-11-19', '10:00', '10:30');
    const form = page.getByTestId('booking-form');
    await form.waitFor();
    assert.equal(await page.getByLabel('Début').inputValue(), '2026-11-19T10:00');
    assert.equal(await page.getByLabel('Fin').inputValue(), '2026-11-19T11:00');
    await page.getByLabel('Note').fill('Réunion de bureau');
    await form.getByRole('button', { name: 'Réserver' }).click();
    await page.getByText('Réservation enregistrée : Salle de réunion').waitFor();
    const booked = one<{ member_id: number; status: string; end_ms: number; note: string }>(
      'SELECT member_id, status, end_ms, note FROM bookings WHERE resource_id = ? AND start_ms = ?',
      meeting.id,
      Date.parse('2026-11-19T10:00:00+01:00'),
    );
    assert.deepEqual(booked, { member_id: smac.member_id, status: 'confirmed', end_ms: Date.parse('2026-11-19T11:00:00+01:00'), note: 'Réunion de bureau' });
    assert.equal(count('SELECT count(*) AS n FROM bookings'), before + 1);
    await page.locator('.fc-event.ev-mine', { hasText: 'Réunion de bureau' }).waitFor();

    // A taken slot: Friday 20 November 13:30–14:30 runs into the training body's booking from 14:00.
    await selectSlot(page, '2026-11-20', '13:30', '14:00');
    await form.waitFor();
    assert.equal(await page.getByLabel('Début').inputValue(), '2026-11-20T13:30');
    await form.getByRole('button', { name: 'Réserver' }).click();
    const refusal = page.getByTestId('booking-refusal');
    await refusal.waitFor();
    const text = (await refusal.textContent()) ?? '';
    assert.match(text, /Réservation refusée/);
    assert.match(text, /n’a plus assez de capacité libre/);
    assert.match(text, /ven\. 20 nov\. 2026, 13:30 – 14:30/);
    assert.equal(count('SELECT count(*) AS n FROM bookings'), before + 1, 'the refused booking wrote nothing');
    await screenshot(page, 'booking-refused');
    await checkAxe(session, 'the booking dialog with a refusal');
    await page.getByRole('button', { name: 'Annuler' }).click();

    // The structure's bookings list the new one.
    await navigateTo(page, 'Réservations');
    await page.getByRole('cell', { name: /jeu\. 19 nov\. 2026, 10:00 – 11:00/ }).waitFor();
    await screenshot(page, 'bookings');
    await checkAxe(session, 'the bookings page');

    await navigateTo(page, 'Factures et relevés');
    await page.getByTestId('invoices').waitFor();
    await screenshot(page, 'invoices-member');
    await checkAxe(session, 'the invoices page');

    await navigateTo(page, 'Agendas');
    await page.getByRole('button', { name: 'Créer le lien' }).click();
    const feedUrl = await page.locator('.feed-url input').inputValue();
    assert.match(feedUrl, /\/ical\/[^/]+\.ics$/);
    await screenshot(page, 'feeds');
    await checkAxe(session, 'the feeds page');

    assertNoConsoleErrors(session);
    await session.close();
  });

  it('is usable on a phone: day view of the calendar and stacked lists', async () => {
    const session = await openSession(pole, { width: 390, height: 844 });
    const { page } = session;
    await signIn(page, pole.baseUrl, MEMBER);
    await page.locator('.resource-card').first().waitFor();
    await screenshot(page, 'phone-catalogue');
    await page.getByRole('link', { name: 'Salle de réunion' }).first().click();
    await page.locator('td.fc-timegrid-slot-lane').first().waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await page.locator('td.fc-timegrid-col[data-date]').count(), 1, 'one day at a time on a phone');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px on a phone`);
    await screenshot(page, 'phone-calendar');

    // Booking without dragging, from the keyboard: the button opens the form, Enter submits it.
    await page.getByRole('button', { name: 'Nouvelle réservation' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Début').fill('2026-11-19T14:00');
    await page.getByLabel('Fin').fill('2026-11-19T15:30');
    await screenshot(page, 'phone-booking-form');
    await page.getByLabel('Fin').press('Enter');
    await page.getByText('Réservation enregistrée : Salle de réunion, jeu. 19 nov. 2026, 14:00 – 15:30.').waitFor();
    const stored = one<{ end_ms: number }>(
      "SELECT end_ms FROM bookings WHERE resource_id = (SELECT id FROM resources WHERE name = 'Salle de réunion') AND start_ms = ?",
      Date.parse('2026-11-19T14:00:00+01:00'),
    );
    assert.equal(stored.end_ms, Date.parse('2026-11-19T15:30:00+01:00'));
    // The menu opens from its button; lists become stacked cards.
    await navigateTo(page, 'Réservations');
    await page.getByRole('heading', { name: 'Réservations du Ferrailleur — Scène de musiques actuelles' }).waitFor();
    await screenshot(page, 'phone-bookings');
    await checkAxe(session, 'the bookings page on a phone');
    assertNoConsoleErrors(session);
    await session.close();
  });

  it('switches every text, date and amount to English and back', async () => {
    const session = await openSession(pole);
    const { page } = session;
    await signIn(page, pole.baseUrl, MEMBER);
    await page.getByRole('heading', { name: 'Ressources mutualisées' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Shared resources' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByRole('link', { name: 'Bookings', exact: true }).waitFor();
    assert.equal(await page.getByText('Réservations', { exact: true }).count(), 0);

    // The choice survives a reload; amounts and dates follow the language.
    await visit(page, `${pole.baseUrl}/invoices`);
    await page.getByRole('heading', { name: 'Invoices and statements' }).waitFor();
    const amount = (await page.locator('[data-testid=invoices] td.num').first().textContent()) ?? '';
    assert.match(amount, /^€\d{1,3}(,\d{3})*\.\d{2}$/, `an English amount, got ${amount}`);
    await screenshot(page, 'invoices-english');

    await page.getByRole('button', { name: 'Passer en français' }).click();
    await page.getByRole('heading', { name: 'Factures et relevés' }).waitFor();
    const montant = (await page.locator('[data-testid=invoices] td.num').first().textContent()) ?? '';
    assert.match(montant, /^\d{1,3}(\s\d{3})*,\d{2}\s€$/u, `a French amount, got ${montant}`);
    assertNoConsoleErrors(session);
    await session.close();
  });

  it('a member admin changes its own password, giving the current one', async () => {
    const session = await openSession(pole);
    const { page } = session;
    await signIn(page, pole.baseUrl, 'admin@radio.demo.test');
    await visit(page, `${pole.baseUrl}/users`);
    await page.getByRole('button', { name: 'Modifier Inès Lefèvre' }).click();
    const dialog = page.getByRole('dialog');
    assert.equal(await dialog.getByLabel('Mot de passe actuel').count(), 0, 'asked only once a new password is typed');
    await dialog.getByLabel('Nouveau mot de passe').fill('une phrase de passe neuve');
    await dialog.getByLabel('Mot de passe actuel').fill(DEMO_PASSWORD);
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await dialog.waitFor({ state: 'detached' });
    const login = (password: string) => pole.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'admin@radio.demo.test', password } });
    assert.equal((await login('une phrase de passe neuve')).statusCode, 200);
    assert.equal((await login(DEMO_PASSWORD)).statusCode, 401);
    assertNoConsoleErrors(session);
    await session.close();
  });

  it('an invitation: the admin passes on a link, the new user chooses a password with it once, then signs in', async () => {
    const admin = await openSession(pole);
    await signIn(admin.page, pole.baseUrl, 'admin@theatre.demo.test');
    await visit(admin.page, `${pole.baseUrl}/users`);
    const invitee = one<{ name: string; email: string }>("SELECT name, email FROM users WHERE email LIKE '%theatre%' AND role = 'member' ORDER BY id LIMIT 1");
    await admin.page.getByRole('button', { name: `Lien d’invitation pour ${invitee.name}` }).click();
    const url = await admin.page.getByRole('dialog').getByLabel('Lien d’invitation').inputValue();
    assert.match(url, /\/set-password#[a-z0-9]+\.[a-z0-9]+$/);
    await screenshot(admin.page, 'invitation-link');
    assert.deepEqual(await seriousViolations(admin.page), []);
    assertNoConsoleErrors(admin);
    await admin.close();

    const guest = await openSession(pole, { width: 390, height: 800 });
    const { page } = guest;
    await page.goto(url.replace(/^https?:\/\/[^/]+/, pole.baseUrl));
    await page.getByText(`Compte : ${invitee.name} (${invitee.email})`).waitFor();
    await page.getByLabel('Nouveau mot de passe (10 caractères au moins)').fill('ma propre phrase secrète');
    await page.getByLabel('Le même, une seconde fois').fill('ma propre phrase secrète');
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await page.getByText('Mot de passe enregistré.').waitFor();
    await screenshot(page, 'invitation-accepted');
    assert.deepEqual(await seriousViolations(page), []);
    const login = await pole.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: invitee.email, password: 'ma propre phrase secrète' } });
    assert.equal(login.statusCode, 200);
    // The same link a second time: spent.
    guest.expect({ status: 404, path: '/api/auth/account-link' });
    await page.goto(url.replace(/^https?:\/\/[^/]+/, pole.baseUrl));
    await page.reload();
    await page.getByText('Ce lien n’est plus valable', { exact: false }).waitFor();
    assertNoConsoleErrors(guest);
    await guest.close();
  });

  it('« Mon compte »: a member sees its signed-in browsers and signs out everywhere else', async () => {
    const email = 'antenne@radio.demo.test';
    const elsewhere = await pole.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: DEMO_PASSWORD } });
    const otherCookie = String(elsewhere.headers['set-cookie']).split(';')[0]!;
    const session = await openSession(pole);
    const { page } = session;
    await signIn(page, pole.baseUrl, email);
    await page.getByRole('link', { name: 'Noé Garnier' }).click(); // the name in the top bar
    await page.getByRole('heading', { name: 'Mon compte' }).waitFor();
    const rows = page.getByTestId('my-sessions').locator('tbody tr');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    await screenshot(page, 'my-account');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('button', { name: 'Se déconnecter partout ailleurs' }).click();
    await page.getByText('Les autres navigateurs sont déconnectés.').waitFor();
    assert.equal(await rows.count(), 1);
    assert.equal((await pole.app.inject({ url: '/api/me', headers: { cookie: otherCookie } })).statusCode, 401);
    assertNoConsoleErrors(session);
    await session.close();
  });

  it('a coordinator previews and closes a month, then downloads its PDFs', async () => {
    // Early December: November has ended and is still open.
    pole.clock.set('2026-12-02T10:00:00+01:00');
    const session = await openSession(pole);
    const { page } = session;
    await signIn(page, pole.baseUrl, COORDINATOR);

    // A projector with a November cost and no booking: its usage rule falls back to the weights, and says so.
    const bearer = one<{ id: number }>('SELECT id FROM members ORDER BY id LIMIT 1');
    const projector = insertResource(pole.store, { name: 'Vidéoprojecteur', kind: 'equipment', bearerMemberId: bearer.id });
    insertCost(pole.store, { resourceId: projector, month: '2026-11', amountCents: 12_000, nature: 'rent_or_lease', label: 'Location' });

    await navigateTo(page, 'Clôture');
    await page.getByText('Novembre 2026', { exact: true }).waitFor();
    assert.equal(count("SELECT count(*) AS n FROM closings WHERE month = '2026-11'"), 0);
    await page.getByRole('button', { name: 'Prévisualiser la clôture' }).click();
    const preview = page.getByTestId('closing-preview');
    await preview.waitFor();
    // The server's warnings arrive as codes with params; the page words them in French, amounts in French format.
    const listed = (await preview.getByTestId('closing-warnings').locator('li').allTextContents()).map((w) => w.replace(/[\u00a0\u202f]/g, ' '));
    // Members whose data cannot make a valid e-invoice are listed too (worded in French, never the English fallback).
    const einvoice = listed.filter((w) => /ne peut pas (émettre|recevoir) de facture électronique valide : .+ manquant ou invalide\.$/.test(w));
    assert.ok(listed.every((w) => !/cannot (issue|receive) a valid e-invoice/.test(w)), listed.join('\n'));
    const warnings = listed.filter((w) => !einvoice.includes(w));
    assert.deepEqual(warnings, [
      'Chargée de communication partagée : 2 329,79 € non mis à disposition restent à l’employeur.',
      'Technicien son partagé : 2 405,98 € non mis à disposition restent à l’employeur.',
      'Camion 20 m³ : un tarif horaire facture un prix, pas une part exacte du coût réel : jamais exonéré au titre du 261 B.',
      'Camion 20 m³ : le tarif horaire laisse 90,25 € du coût au porteur.',
      'Vidéoprojecteur : aucun usage ce mois ; réparti selon les pondérations.',
      // The demo's staff resources have no employee record: billed from their bookings, and said so.
      'Chargée de communication partagée : aucun salarié n’y est rattaché ; facturé d’après ses réservations, sans convention, feuille de temps ni paie.',
      'Technicien son partagé : aucun salarié n’y est rattaché ; facturé d’après ses réservations, sans convention, feuille de temps ni paie.',
    ]);
    const previewed = await preview.locator('tbody tr td:first-child').allTextContents();
    assert.ok(previewed.length > 0, 'the preview lists the invoices to issue');
    assert.equal(count("SELECT count(*) AS n FROM invoices WHERE month = '2026-11'"), 0, 'a preview issues nothing');
    await screenshot(page, 'closing-preview');
    await checkAxe(session, 'the closing preview');

    // The commune buys: this month's engagement number, pre-filled from its record, is given at the close.
    const engagement = preview.getByTestId('closing-engagements').getByLabel(/^N° d’engagement pour Commune de Saint-Herblain/);
    await engagement.fill('EJ-2026-NOV-12');

    // The pre-flight: each category of warning is confirmed explicitly before the close button works.
    await preview.getByTestId('preflight').waitFor();
    for (const box of await preview.getByTestId('preflight').getByRole('checkbox').all()) await box.check();
    await preview.getByRole('button', { name: 'Clôturer novembre 2026' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/C’est définitif/).waitFor();
    await dialog.getByRole('button', { name: 'Clôturer novembre 2026' }).click();
    const done = page.getByTestId('closing-done');
    await done.waitFor();
    assert.match((await done.textContent()) ?? '', new RegExp(`Novembre 2026 est clôturé : ${previewed.length} facture`));
    assert.equal(count("SELECT count(*) AS n FROM closings WHERE month = '2026-11'"), 1);
    const issued = (pole.store.sqlite.prepare("SELECT number FROM invoices WHERE month = '2026-11' ORDER BY number").all() as { number: string }[]).map((r) => r.number);
    assert.deepEqual(issued, [...previewed].sort(), 'the close issued exactly what the preview showed');
    const toCommune = pole.store.sqlite.prepare("SELECT buyer FROM invoices WHERE month = '2026-11' AND json_extract(buyer, '$.publicBody')").all() as { buyer: string }[];
    assert.ok(toCommune.length > 0 && toCommune.every((r) => JSON.parse(r.buyer).chorusEngagement === 'EJ-2026-NOV-12'), 'the engagement given at the close');
    await screenshot(page, 'closing-done');

    const [poleDownload] = await Promise.all([page.waitForEvent('download'), done.getByRole('link', { name: 'Synthèse du pôle (PDF)' }).click()]);
    const polePdf = readFileSync((await poleDownload.path())!);
    assert.equal(polePdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(polePdf.length > 2000, 'a real PDF');

    const [invoiceDownload] = await Promise.all([page.waitForEvent('download'), done.getByRole('link', { name: `PDF — facture ${issued[0]}` }).click()]);
    assert.equal(readFileSync((await invoiceDownload.path())!).subarray(0, 5).toString('latin1'), '%PDF-');

    // The month is now final in the allocations dashboard.
    await navigateTo(page, 'Répartition');
    await page.getByRole('button', { name: 'Mois précédent' }).click();
    await page.getByText('Définitive (mois clôturé)').waitFor();
    await page.getByTestId('allocation-matrix').waitFor();
    await screenshot(page, 'allocations-final');
    await checkAxe(session, 'the allocations dashboard');

    assertNoConsoleErrors(session);
    await session.close();
  });

  it('a coordinator enters a shared employee’s paid hours and the VAT paid, and sets a resource’s output VAT', async () => {
    const session = await openSession(pole);
    const { page } = session;
    await signIn(page, pole.baseUrl, COORDINATOR);
    await navigateTo(page, 'Coûts');
    await page.getByRole('button', { name: 'Mois suivant', exact: true }).click(); // the page opens on the last ended month, closed here
    await page.getByRole('button', { name: 'Ajouter un coût' }).click();
    const dialog = page.getByRole('dialog');
    assert.equal(await dialog.getByLabel('Heures payées du salarié').count(), 0, 'asked for staff only');
    const technician = await dialog.getByLabel('Ressource').locator('option', { hasText: 'Technicien son partagé' }).getAttribute('value');
    await dialog.getByLabel('Ressource').selectOption(technician!);
    const natures = await dialog.getByLabel('Nature').locator('option').allTextContents();
    assert.ok(!natures.some((n) => /loyer|abonnement/i.test(n)), `only what lending at cost allows, got ${natures.join(', ')}`);
    await dialog.getByLabel('Libellé').fill('Salaire brut de novembre');
    await dialog.getByLabel('Montant HT (€)').fill('2 345,67');
    await dialog.getByLabel('TVA payée (€)').fill('0');
    await dialog.getByLabel('Heures payées du salarié').fill('151,67');
    await dialog.getByRole('button', { name: 'Créer' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = one<{ amount_cents: number; input_vat_cents: number; paid_hours_hundredths: number }>(
      `SELECT amount_cents, input_vat_cents, paid_hours_hundredths FROM costs WHERE label = 'Salaire brut de novembre'`,
    );
    assert.deepEqual(row, { amount_cents: 234_567, input_vat_cents: 0, paid_hours_hundredths: 15_167 });

    await navigateTo(page, 'Gestion des ressources');
    await page.getByRole('button', { name: 'Modifier Salle de réunion' }).first().click();
    await page.getByRole('dialog').getByLabel('TVA facturée (%)').selectOption('10');
    await page.getByRole('dialog').getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal(one<{ bp: number }>(`SELECT vat_rate_bp AS bp FROM resources WHERE name = 'Salle de réunion'`).bp, 1000);
    assertNoConsoleErrors(session);
    await session.close();
  });

  it('the coordinator pages pass axe-core and show no console error', async () => {
    const session = await openSession(pole);
    const { page } = session;
    await signIn(page, pole.baseUrl, COORDINATOR);
    const pages: [string, string][] = [
      ['Validations', 'approvals'],
      ['Structures', 'members'],
      ['Utilisateurs', 'users'],
      ['Coûts', 'costs'],
      ['Factures et relevés', 'invoices-coordinator'],
      ['Règlements', 'settlements'],
      ['Intégrité', 'integrity'],
      ['Journal d’audit', 'audit'],
      ['Courriels envoyés', 'outbox'],
      ['Mes notifications', 'notifications'],
      ['Gestion des ressources', 'resources-admin'], // last: the dialog below opens from it
    ];
    for (const [link, name] of pages) {
      await navigateTo(page, link);
      await screenshot(page, name);
      await checkAxe(session, link);
      if (name === 'audit') await auditPagesThrough(page);
    }
    // A management dialog: every field labelled, focus kept inside.
    await page.getByRole('button', { name: 'Modifier Salle de réunion' }).click();
    await page.getByRole('dialog').getByLabel('Capacité (unités)').waitFor();
    await screenshot(page, 'resource-dialog');
    await checkAxe(session, 'the resource dialog');
    await page.keyboard.press('Escape');

    // A partial credit note from the invoice list: one line, part of its amount, after a plain warning.
    const invoice = one<{ id: number; number: string }>(
      "SELECT id, number FROM invoices WHERE kind = 'invoice' AND month = (SELECT max(month) FROM invoices) ORDER BY id LIMIT 1",
    );
    await navigateTo(page, 'Factures et relevés');
    await page.getByRole('button', { name: `Émettre un avoir — ${invoice.number}` }).click();
    const credit = page.getByRole('dialog', { name: `Émettre un avoir sur la facture ${invoice.number}` });
    await credit.getByText(/Un avoir est définitif/).waitFor();
    await credit.getByLabel('Certaines lignes').check();
    await credit.locator('#credit-line-0').check();
    await credit.getByLabel(/Montant HT à créditer sur cette ligne/).fill('10,00');
    await credit.getByLabel(/^Motif/).fill('Heures facturées en trop');
    await credit.getByText(/L’avoir portera sur 10,00\s€ HT/).waitFor();
    await screenshot(page, 'credit-note-dialog');
    await checkAxe(session, 'the credit note dialog');
    await credit.getByRole('button', { name: 'Émettre l’avoir' }).click();
    await credit.waitFor({ state: 'detached' });
    const note = one<{ id: number; number: string; total_excl_vat_cents: number; credited_invoice_id: number }>(
      "SELECT id, number, total_excl_vat_cents, credited_invoice_id FROM invoices WHERE kind = 'credit_note' ORDER BY id DESC LIMIT 1",
    );
    assert.deepEqual([note.total_excl_vat_cents, note.credited_invoice_id], [1_000, invoice.id]);
    const rowOf = (number: string) => page.getByTestId('invoices').locator('tr', { has: page.locator('strong', { hasText: number }) });
    await rowOf(note.number).getByText(`avoir sur ${invoice.number}`).waitFor();
    await rowOf(note.number).getByRole('link', { name: `PDF — avoir ${note.number}` }).waitFor();
    await rowOf(invoice.number).getByText(`avoir(s) : ${note.number}`).waitFor();
    assertNoConsoleErrors(session);
    await session.close();
  });
});
