import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FIRST_COORDINATOR, navigateTo, openSession, screenshot, seriousViolations, signIn, startPole, type Pole, type Session } from './harness';

const NOW = '2026-11-18T10:00:00+01:00';
let pole: Pole;
const one = <T>(sql: string, ...params: unknown[]) => pole.store.sqlite.prepare(sql).get(...params) as T;

async function checkAxe(session: Session, label: string) {
  assert.deepEqual(await seriousViolations(session.page), [], `axe found serious or critical violations on ${label}`);
}

const VIEWPORTS = [
  ['desktop', { width: 1366, height: 768 }],
  ['phone', { width: 390, height: 844 }],
] as const;

for (const [label, viewport] of VIEWPORTS)
describe(`starting a pole from nothing (real server, empty pole, Chromium, ${label})`, () => {
  before(async () => {
    pole = await startPole(NOW, { empty: true });
  });
  after(async () => {
    await pole?.close();
  });

  it('the first coordinator follows the checklist from an empty pole to a first booking', async () => {
    const session = await openSession(pole, viewport);
    const { page } = session;
    await signIn(page, pole.baseUrl, FIRST_COORDINATOR);
    const checklist = page.getByTestId('setup-checklist');
    await checklist.waitFor();
    assert.match((await checklist.textContent()) ?? '', /0 étape\(s\) faite\(s\) sur 6/);
    await page.getByText('Aucune ressource n’est encore proposée aux structures.').waitFor();
    await screenshot(page, `empty-pole-checklist-${label}`);
    await checkAxe(session, `the empty pole with its checklist (${label})`);

    // 1. The pole's name, time zone and (later) carrying structure, on its settings page.
    await checklist.getByRole('link', { name: 'Donner son nom au pôle et choisir son fuseau horaire' }).click();
    const settings = page.getByTestId('pole-settings');
    await settings.waitFor();
    await page.getByLabel('Nom du pôle').fill('Pôle Culture Estuaire');
    await page.getByLabel('Fuseau horaire').selectOption('Europe/Paris');
    await screenshot(page, `pole-settings-${label}`);
    await checkAxe(session, `the pole settings page (${label})`);
    await settings.getByRole('button', { name: 'Enregistrer' }).click();
    await page.locator('.brand-pole', { hasText: 'Pôle Culture Estuaire' }).waitFor({ state: 'attached' }); // hidden in a phone's top bar
    assert.equal(one<{ name: string }>('SELECT name FROM pole').name, 'Pôle Culture Estuaire');

    // 2. A resource needs a structure first: the page says so instead of a form that fails.
    await navigateTo(page, 'Gestion des ressources');
    await page.getByTestId('resources-need-member').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Nouvelle ressource' }).isDisabled(), true);
    await page.getByTestId('resources-need-member').getByRole('link', { name: 'Ajouter une structure' }).click();

    // 3. The first structure, its invoice prefix pre-filled from its name and editable.
    await page.getByRole('button', { name: /Nouvelle structure|Ajouter une structure/ }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Nom', { exact: true }).fill('La Fabrique à Sons');
    assert.equal(await dialog.getByLabel('Préfixe des factures').inputValue(), 'FABRIQ');
    await dialog.getByLabel('Préfixe des factures').fill('FAB');
    await dialog.getByLabel('SIRET').fill('73282932000074');
    await dialog.getByLabel('Adresse', { exact: true }).fill('3 rue des Olivettes');
    await dialog.getByLabel('Code postal').fill('44000');
    await dialog.getByLabel('Ville').fill('Nantes');
    await dialog.getByLabel('E-mail de facturation').fill('compta@fabrique.test');
    await screenshot(page, `first-member-dialog-${label}`);
    await checkAxe(session, `the structure dialog (${label})`);
    await dialog.getByRole('button', { name: 'Créer' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(one<{ invoice_prefix: string }>('SELECT invoice_prefix FROM members').invoice_prefix, 'FAB');

    // 4. The first resource (through the API, as the resource form is covered by client.test.ts), then the
    // checklist shows what is done and what is next.
    const member = one<{ id: number }>('SELECT id FROM members').id;
    const created = await page.request.post(`${pole.baseUrl}/api/resources`, {
      data: { name: 'Salle des Olivettes', kind: 'room', capacity: 1, bearerMemberId: member, openingHours: Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [['09:00', '18:00']]])) },
    });
    assert.equal(created.status(), 201, await created.text());
    const room = ((await created.json()) as { id: number }).id;
    await navigateTo(page, 'Ressources');
    await checklist.waitFor();
    assert.match((await checklist.textContent()) ?? '', /3 étape\(s\) faite\(s\) sur 6/);
    await screenshot(page, `checklist-half-done-${label}`);

    // 5. A first booking for the structure, from the free-slot list.
    await page.getByRole('link', { name: 'Salle des Olivettes' }).first().click();
    await page.getByTestId('next-slots').getByRole('button').first().click();
    await page.getByTestId('booking-form').getByRole('button', { name: 'Réserver' }).click();
    await page.getByText(/^Réservation enregistrée : Salle des Olivettes/).waitFor();
    assert.deepEqual(one('SELECT member_id AS m, resource_id AS r, status FROM bookings'), { m: member, r: room, status: 'confirmed' });
    assert.deepEqual(session.errors, []);
    await session.close();
  });
});
