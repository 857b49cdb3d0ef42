import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../db/demo';
import { pdfText } from '../helpers/pdf';
import { navigateTo, openSession, screenshot, seriousViolations, signIn, startPole, visit, type Pole, type Session } from './harness';

/**
 * Shared staff in a real browser (issue #14) on the demo pole, Wednesday 18 November 2026: the coordinator records
 * an employee of Le Ferrailleur (its staff resource, its account, November's payroll) and its lending agreement
 * with the theatre company; the employee fills in the week of 9 November on a phone; the theatre's admin approves
 * the month; once November is over the coordinator closes it, and the theatre's relevé shows the approved hours.
 */
const SEEDED_AT = '2026-11-18T10:00:00+01:00';
const COORDINATOR = 'coordination@demo.test';
const THEATRE_ADMIN = 'admin@theatre.demo.test';
const STAFF = 'nadia@ferrailleur.demo.test';
const EMPLOYEE = 'Nadia Benali';
const LENDER = 'Le Ferrailleur — Scène de musiques actuelles';
const USER_MEMBER = 'Compagnie du Théâtre Éphémère';
const RESOURCE = 'Régisseuse partagée';
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

let pole: Pole;
let coordCookie: string;
let resourceId: number;
const ids: Record<'smac' | 'theatre', number> = { smac: 0, theatre: 0 };

async function api(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  const res = await pole.app.inject({ method, url, headers: { cookie: coordCookie }, ...(payload ? { payload } : {}) });
  assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function apiLogin() {
  const login = await pole.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: COORDINATOR, password: DEMO_PASSWORD } });
  coordCookie = String(login.headers['set-cookie']).split(';')[0]!;
}

async function checkAxe(session: Session, label: string) {
  assert.deepEqual(await seriousViolations(session.page), [], `axe found serious or critical violations on ${label}`);
}
const pageOverflow = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
const notice = (page: Page, text: string) => page.locator('.notices').getByText(text).waitFor();
async function download(page: Page, name: string | RegExp): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).first().click()]);
  return readFileSync((await file.path())!);
}

describe('shared staff: employee, agreement, timesheet on a phone, approval, close and relevé (real server, Chromium)', () => {
  before(async () => {
    pole = await startPole(SEEDED_AT);
    await apiLogin();
    const members = (await api('GET', '/api/members')).items as { id: number; name: string }[];
    ids.smac = members.find((m) => m.name === LENDER)!.id;
    ids.theatre = members.find((m) => m.name === USER_MEMBER)!.id;
    // The demo has no employee of its own: a staff resource and the employee's account, as a coordinator makes them.
    resourceId = (await api('POST', '/api/resources', { name: RESOURCE, kind: 'staff', category: 'Emploi partagé', capacity: 1, bearerMemberId: ids.smac, granularityMinutes: 30 })).id;
    await api('POST', '/api/users', { email: STAFF, name: EMPLOYEE, role: 'staff', memberId: ids.smac, password: DEMO_PASSWORD });
  });
  after(async () => {
    await pole?.close();
  });

  it('the coordinator records the employee, its November payroll and its agreement, gets the draft convention and files the signed one', async () => {
    const session = await openSession(pole, DESKTOP);
    const { page } = session;
    await signIn(page, pole.baseUrl, COORDINATOR);
    await navigateTo(page, 'Salariés partagés');
    await page.getByRole('button', { name: 'Nouveau salarié' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Nom').fill(EMPLOYEE);
    await dialog.getByLabel('Qualification').fill('Régisseuse son et lumière');
    await dialog.getByLabel('Employeur').selectOption({ label: LENDER });
    await dialog.getByLabel('Heures par semaine').fill('35');
    await dialog.getByLabel('Ressource « personnel partagé »').selectOption({ label: RESOURCE });
    await dialog.getByLabel('Compte du salarié').selectOption({ label: `${EMPLOYEE} (${STAFF})` });
    await dialog.getByRole('button', { name: 'Créer' }).click();
    await notice(page, 'Salarié enregistré.');
    const row = page.getByTestId('employees').getByRole('row', { name: new RegExp(EMPLOYEE) });
    assert.match((await row.textContent()) ?? '', /Le Ferrailleur.*35.*Régisseuse partagée.*nadia@ferrailleur/);

    // November's payroll: it becomes the resource's costs, hours × hourly cost are billed from it.
    await row.getByRole('button', { name: `Paie de ${EMPLOYEE}` }).click();
    const payroll = page.getByTestId('payroll-form');
    await payroll.getByRole('button', { name: 'Mois suivant' }).click();
    await payroll.locator('[data-month="2026-11"]').waitFor();
    await payroll.getByLabel('Salaire brut (€)').fill('2 150,00');
    await payroll.getByLabel('Charges patronales (€)').fill('860,50');
    await payroll.getByLabel('Frais professionnels remboursés (€)').fill('0');
    await payroll.getByLabel('Heures payées').fill('151,67');
    await payroll.getByRole('button', { name: 'Enregistrer' }).click();
    await notice(page, `Paie de novembre 2026 enregistrée pour ${EMPLOYEE}.`);
    await payroll.getByRole('cell', { name: 'Novembre 2026' }).waitFor();
    await screenshot(page, 'staff-payroll-desktop');
    await checkAxe(session, 'the payroll dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Annuler' }).click();
    await screenshot(page, 'staff-employees-desktop');
    await checkAxe(session, 'the employees page');

    await navigateTo(page, 'Conventions de mise à disposition');
    await page.getByRole('button', { name: 'Nouvelle convention' }).click();
    const form = page.getByTestId('agreement-form');
    await form.getByLabel('Salarié', { exact: true }).selectOption({ label: EMPLOYEE });
    await form.getByLabel('Structure utilisatrice').selectOption({ label: USER_MEMBER });
    await form.getByLabel('Début').fill('2026-01-01');
    await form.getByLabel('Fin').fill('2026-12-31');
    await form.getByLabel('Heures par mois').fill('40');
    await form.getByLabel('Accord du salarié, le').fill('2025-12-15');
    await form.getByLabel('Avenant au contrat de travail, le').fill('2025-12-20');
    await form.getByRole('button', { name: 'Créer' }).click();
    await notice(page, 'Convention enregistrée.');
    const agreement = page.getByTestId('agreements').getByRole('row', { name: new RegExp(EMPLOYEE) });
    assert.match((await agreement.textContent()) ?? '', /Le Ferrailleur.*Compagnie du Théâtre Éphémère.*40 h par mois.*En vigueur.*Exemplaire signé non déposé/);

    const draft = await download(page, /Projet \(PDF\)/);
    const text = pdfText(draft).replace(/\s+/g, ' ');
    for (const clause of [EMPLOYEE, 'Régisseuse son et lumière', 'Le Ferrailleur', 'Compagnie du Théâtre Éphémère']) assert.ok(text.includes(clause), `the draft convention names ${clause}`);
    // The signed copy is filed from a file chooser (here, the draft itself stands for the scanned signed copy).
    await agreement.locator('input[type=file]').setInputFiles({ name: 'convention-signee.pdf', mimeType: 'application/pdf', buffer: draft });
    await notice(page, `Convention signée de ${EMPLOYEE} déposée.`);
    await agreement.getByText('Exemplaire signé déposé le 18/11/2026').waitFor();
    assert.deepEqual(await download(page, /Signée \(PDF\)/), draft, 'the signed copy comes back byte for byte');
    await screenshot(page, 'staff-agreements-desktop');
    await checkAxe(session, 'the agreements page');
    assert.deepEqual(session.errors, []);
    await session.close();
  });

  it('the employee, signed in on a phone, lands on its timesheet and nothing else, and fills in the week of 9 November', async () => {
    // The theatre booked her on Monday 9 and Tuesday 10: the timesheet starts from these bookings.
    await api('POST', '/api/bookings', { resourceId, memberId: ids.theatre, start: '2026-11-09T09:00:00+01:00', end: '2026-11-09T12:00:00+01:00' });
    await api('POST', '/api/bookings', { resourceId, memberId: ids.theatre, start: '2026-11-10T14:00:00+01:00', end: '2026-11-10T17:00:00+01:00' });

    const session = await openSession(pole, PHONE);
    const { page } = session;
    await signIn(page, pole.baseUrl, STAFF);
    await page.getByRole('heading', { name: 'Mes feuilles de temps' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/timesheet');
    await page.getByRole('button', { name: 'Menu' }).click();
    assert.deepEqual(await page.getByRole('navigation').getByRole('link').allTextContents(), ['Mes feuilles de temps'], 'an employee’s account sees its timesheet only');
    await page.getByRole('button', { name: 'Menu' }).click();

    const grid = page.getByTestId('timesheet');
    await grid.getByText('la grille reprend les réservations confirmées').waitFor();
    await grid.getByRole('button', { name: 'Semaine précédente' }).click();
    await grid.getByTestId('week-label').getByText('Semaine du lun. 9 nov. au dim. 15 nov.').waitFor();
    const cell = (column: string, day: string) => grid.getByLabel(`${column}, ${day}`, { exact: true });
    const monday = cell(USER_MEMBER, 'lundi 9 novembre');
    assert.equal(await monday.inputValue(), '3:00', 'pre-filled from the booking');
    assert.equal(await cell(USER_MEMBER, 'mardi 10 novembre').inputValue(), '3:00');
    // Keyboard: Tab reaches the cells; the down arrow goes to the next day, the right arrow to the next column.
    await monday.focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string } } }).document.activeElement.getAttribute('aria-label')), `${USER_MEMBER}, mardi 10 novembre`);
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string } } }).document.activeElement.getAttribute('aria-label')), 'Pour l’employeur, mardi 10 novembre');

    await monday.fill('3,5');
    await cell(USER_MEMBER, 'mercredi 11 novembre').fill('2');
    await cell('Pour l’employeur', 'jeudi 12 novembre').fill('4 h');
    await cell('Absence', 'vendredi 13 novembre').fill('7:00');
    await cell('Absence', 'samedi 14 novembre').fill('beaucoup');
    await grid.getByRole('button', { name: 'Enregistrer la feuille de temps' }).click();
    await grid.getByText('1 case(s) illisible(s)').waitFor();
    await cell('Absence', 'samedi 14 novembre').fill('');
    assert.equal(await grid.getByTestId('month-total').textContent(), '19 h 30');
    assert.ok((await pageOverflow(page)) <= 0, 'no sideways scrolling on a phone');
    await screenshot(page, 'staff-timesheet-phone');
    await checkAxe(session, 'the timesheet on a phone');
    await grid.getByRole('button', { name: 'Enregistrer la feuille de temps' }).click();
    await notice(page, 'Feuille de temps enregistrée.');
    await grid.getByText('la grille reprend les réservations confirmées').waitFor({ state: 'detached' });
    await page.getByTestId('schedule').getByText(USER_MEMBER).first().waitFor();

    const sheet = await api('GET', `/api/employees/${(await api('GET', '/api/employees')).items[0].id}/timesheets/2026-11`);
    assert.deepEqual(sheet.totals, { madeAvailable: [{ memberId: ids.theatre, minutes: 510 }], ownMinutes: 240, absenceMinutes: 420, totalMinutes: 1170 });
    // Any other page is refused to an employee's account, even typed in the address bar.
    await page.goto(`${pole.baseUrl}/resources`);
    await page.getByText('Cette page n’existe pas.').waitFor();
    assert.deepEqual(session.errors, []);
    await session.close();
  });

  it('the theatre’s admin disputes a day, then approves its month', async () => {
    const session = await openSession(pole, DESKTOP);
    const { page } = session;
    await signIn(page, pole.baseUrl, THEATRE_ADMIN);
    await navigateTo(page, 'Validation des heures');
    await page.getByRole('button', { name: 'Mois suivant' }).click();
    const card = page.getByTestId('timesheet-approval');
    await card.getByText('8 h 30 en novembre 2026').waitFor();
    await card.getByRole('button', { name: 'Contester des jours' }).click();
    await card.getByLabel('Commentaire pour le 09/11/2026').fill('Fin à 12 h, pas 12 h 30');
    await card.getByRole('button', { name: 'Envoyer la contestation' }).click();
    await notice(page, `Contestation envoyée pour ${EMPLOYEE} (novembre 2026).`);
    await card.getByText('Fin à 12 h, pas 12 h 30').waitFor();
    await screenshot(page, 'staff-approval-desktop');
    await checkAxe(session, 'the hours approval page');
    await card.getByRole('button', { name: 'Valider le mois' }).click();
    await notice(page, `Heures de ${EMPLOYEE} validées pour novembre 2026.`);
    await card.getByRole('button', { name: 'Valider le mois' }).waitFor({ state: 'detached' });
    assert.equal(await card.locator('p .badge').textContent(), 'Validé');
    assert.deepEqual(session.errors, []);
    await session.close();
  });

  it('once November is closed, the theatre’s invoice comes with a relevé of the approved hours', async () => {
    pole.clock.set('2026-12-01T09:00:00+01:00');
    await apiLogin(); // the earlier session has been idle for two weeks
    const closed = await api('POST', '/api/closings', { month: '2026-11' });
    const invoice = (closed.invoices as { id: number; number: string; sellerMemberId: number; buyerMemberId: number; lines: { resourceId: number | null; totalExclVatCents: number }[] }[]).find(
      (i) => i.sellerMemberId === ids.smac && i.buyerMemberId === ids.theatre && i.lines.some((l) => l.resourceId === resourceId),
    );
    assert.ok(invoice, 'Le Ferrailleur invoices the theatre for her hours');

    const session = await openSession(pole, DESKTOP);
    const { page } = session;
    await signIn(page, pole.baseUrl, THEATRE_ADMIN);
    await visit(page, `${pole.baseUrl}/invoices`);
    const row = page.getByTestId('invoices').getByRole('row', { name: new RegExp(invoice.number) });
    const releve = pdfText(await (async () => {
      const [file] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: /Relevé de mise à disposition/ }).click()]);
      return readFileSync((await file.path())!);
    })()).replace(/\s+/g, ' ');
    // Spaces compared loosely: pdftotext may or may not see the one between « 3 » and « h ».
    const bare = releve.replace(/\s/g, '');
    for (const text of ['Relevé de mise à disposition de personnel', EMPLOYEE, '09/11/2026 3 h 30', '10/11/2026 3 h', '11/11/2026 2 h', 'Total 8 h 30', invoice.number]) {
      assert.ok(bare.includes(text.replace(/\s/g, '')), `the relevé shows « ${text} »: ${releve.slice(0, 600)}`);
    }
    assert.ok(!bare.includes('12/11/2026') && !bare.includes('13/11/2026'), 'own hours and absences are not billed to the theatre');
    assert.deepEqual(session.errors, []);
    await session.close();
  });

  it('an allowance set in the resource form shows what is left on the catalogue, the calendar and the booking form', async () => {
    const coordinator = await openSession(pole, DESKTOP);
    await signIn(coordinator.page, pole.baseUrl, COORDINATOR);
    await navigateTo(coordinator.page, 'Gestion des ressources');
    await coordinator.page.getByRole('button', { name: 'Modifier Comptabilité mutualisée' }).click();
    const fields = coordinator.page.getByTestId('allowance-fields');
    await fields.getByLabel('Chaque structure a un forfait d’heures par mois').check();
    await fields.getByLabel('Heures incluses par structure et par mois').fill('10');
    await fields.getByLabel('Au-delà du forfait').selectOption('hard');
    await fields.getByLabel(LENDER).fill('12,5');
    await screenshot(coordinator.page, 'staff-allowance-form-desktop');
    await checkAxe(coordinator, 'the resource form with its allowance');
    await coordinator.page.getByRole('dialog').getByRole('button', { name: 'Enregistrer' }).click();
    await notice(coordinator.page, 'Ressource enregistrée.');
    const accounting = ((await api('GET', '/api/resources')).items as { id: number; name: string; allowance: unknown }[]).find((r) => r.name === 'Comptabilité mutualisée')!;
    assert.deepEqual(accounting.allowance, { minutesPerMonth: 600, limit: 'hard', members: [{ memberId: ids.smac, minutesPerMonth: 750 }] });
    assert.deepEqual(coordinator.errors, []);
    await coordinator.close();

    const session = await openSession(pole, PHONE);
    const { page } = session;
    await signIn(page, pole.baseUrl, 'regie@smac.demo.test');
    const card = page.locator('.resource-card', { hasText: 'Comptabilité mutualisée' });
    const left = (await card.getByTestId('allowance').textContent()) ?? '';
    assert.match(left, /^Reste .+ sur 12 h 30 en (novembre|décembre) 2026Au-delà, la réservation est refusée\.$/, 'Le Ferrailleur has its own 12 h 30');
    await card.getByRole('link', { name: 'Comptabilité mutualisée', exact: true }).click();
    await page.getByTestId('calendar-allowance').getByText(/sur 12 h 30 en (novembre|décembre) 2026/).waitFor();
    await page.getByRole('button', { name: 'Nouvelle réservation' }).click();
    await page.getByTestId('booking-allowance').getByText(/sur 12 h 30 en (novembre|décembre) 2026/).waitFor();
    assert.ok((await pageOverflow(page)) <= 0, 'no sideways scrolling on a phone');
    await checkAxe(session, 'the booking form with the allowance');
    assert.deepEqual(session.errors, []);
    await session.close();
  });
});
