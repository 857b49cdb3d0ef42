import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openSession, screenshot, seriousViolations, signIn, startPole, visit, type Pole, type Session } from './harness';

const SEEDED_AT = '2026-11-18T10:00:00+01:00';
const COORDINATOR = 'coordination@demo.test';
const SMAC_ADMIN = 'admin@smac.demo.test';
let pole: Pole;
const one = <T>(sql: string, ...params: unknown[]) => pole.store.sqlite.prepare(sql).get(...params) as T;

async function checkAxe(session: Session, label: string) {
  assert.deepEqual(await seriousViolations(session.page), [], `axe found serious or critical violations on ${label}`);
}

/** Opens « Historique » of one object (its button names it) and returns the dialog's rows as text. */
async function historyRows(session: Session, buttonName: RegExp): Promise<string[]> {
  const { page } = session;
  await page.getByRole('button', { name: buttonName }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('history').or(dialog.getByText('Aucune modification enregistrée.')).first().waitFor();
  return dialog.locator('tbody tr').allInnerTexts();
}

async function closeDialog(session: Session) {
  await session.page.getByRole('dialog').getByRole('button', { name: 'Fermer' }).click();
}

/**
 * The history panels (#15): each object's page shows who changed it, when, from what to what, read from the audit
 * trail; a member_admin reads only its own structure's rows.
 */
describe('history panels (real server, demo pole, Chromium)', () => {
  before(async () => {
    pole = await startPole(SEEDED_AT);
  });
  after(async () => {
    await pole?.close();
  });

  it('a coordinator reads the history of a resource, a cost, a user and a closed month', async () => {
    const session = await openSession(pole, { width: 1366, height: 768 });
    const { page } = session;
    await signIn(page, pole.baseUrl, COORDINATOR);
    const room = one<{ id: number; capacity: number }>("SELECT id, capacity FROM resources WHERE name = 'Salle de réunion'");
    const patched = await page.request.patch(`${pole.baseUrl}/api/resources/${room.id}`, { data: { name: 'Salle du conseil' } });
    assert.equal(patched.status(), 200, await patched.text());

    await visit(page, `${pole.baseUrl}/admin/resources`);
    const rows = await historyRows(session, /^Historique d.*Salle du conseil$/);
    assert.ok(rows.some((r) => /Camille Durand/.test(r) && /name: Salle de réunion → Salle du conseil/.test(r)), rows.join('\n'));
    await screenshot(page, 'history-resource');
    await checkAxe(session, 'a resource’s history');
    await closeDialog(session);

    await visit(page, `${pole.baseUrl}/users`);
    assert.ok((await historyRows(session, /^Historique de Léa Martin$/)).some((r) => /user\.create/.test(r)));
    await closeDialog(session);

    await visit(page, `${pole.baseUrl}/closing`);
    assert.ok((await historyRows(session, /^Historique d.octobre 2026$/i)).some((r) => /closing\.create/.test(r)));
    await closeDialog(session);

    await visit(page, `${pole.baseUrl}/costs`);
    const cost = page.getByRole('button', { name: /^Historique / }).first();
    await cost.click();
    await page.getByRole('dialog').getByTestId('history').waitFor();
    assert.ok((await page.getByRole('dialog').locator('tbody tr').allInnerTexts()).some((r) => /cost\.create/.test(r)));
    assert.deepEqual(session.errors, []);
    await session.close();
  });

  it('a member_admin reads its own invoices’ history on a phone, and nothing of an invoice between two other structures', async () => {
    const session = await openSession(pole, { width: 390, height: 844 });
    const { page } = session;
    await signIn(page, pole.baseUrl, SMAC_ADMIN);
    const smac = one<{ member_id: number }>('SELECT member_id FROM users WHERE email = ?', SMAC_ADMIN).member_id;
    const foreign = one<{ id: number }>('SELECT id FROM invoices WHERE seller_member_id <> ? AND buyer_member_id <> ? ORDER BY id LIMIT 1', smac, smac);

    await visit(page, `${pole.baseUrl}/invoices`);
    const button = page.getByRole('button', { name: /^Historique de / }).first();
    const number = /^Historique de (.+)$/.exec((await button.getAttribute('aria-label')) ?? '')?.[1];
    const own = one<{ seller_member_id: number; buyer_member_id: number }>('SELECT seller_member_id, buyer_member_id FROM invoices WHERE number = ?', number);
    assert.ok(own.seller_member_id === smac || own.buyer_member_id === smac, `${number} is the structure’s own`);
    await button.click();
    await page.getByRole('dialog').getByTestId('history').waitFor();
    const rows = await page.getByRole('dialog').locator('tbody tr').allInnerTexts();
    assert.ok(rows.some((r) => /invoice\.create/.test(r)), rows.join('\n'));
    await screenshot(page, 'history-invoice-phone');
    await checkAxe(session, 'an invoice’s history on a phone');

    const theirs = await page.request.get(`${pole.baseUrl}/api/audit?objectType=invoice&objectId=${foreign.id}`);
    assert.equal(theirs.status(), 200);
    assert.deepEqual((await theirs.json()).items, [], 'another structures’ invoice has no history for this member_admin');
    assert.deepEqual(session.errors, []);
    await session.close();
  });
});
