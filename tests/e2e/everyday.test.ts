import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { autoCarryForward } from '../../server/costs/auto-carry';
import { insertBooking, insertResource } from '../helpers/closing';
import { navigateTo, openSession, screenshot, seriousViolations, signIn, startPole, visit, type Pole, type Session } from './harness';

// The demo pole on Wednesday 18 November 2026 at 10:00 in Paris: September and October closed, November open.
const SEEDED_AT = '2026-11-18T10:00:00+01:00';
const COORDINATOR = 'coordination@demo.test';
const SMAC_ADMIN = 'admin@smac.demo.test';
const SMAC_MEMBER = 'regie@smac.demo.test';
const VIEWPORTS = [
  ['desktop', { width: 1366, height: 768 }],
  ['phone', { width: 390, height: 844 }],
] as const;

let pole: Pole;
const one = <T>(sql: string, ...params: unknown[]) => pole.store.sqlite.prepare(sql).get(...params) as T;
const count = (sql: string, ...params: unknown[]) => one<{ n: number }>(sql, ...params).n;

async function checkAxe(session: Session, label: string) {
  assert.deepEqual(await seriousViolations(session.page), [], `axe found serious or critical violations on ${label}`);
}
const pageOverflow = (session: Session) => session.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

/**
 * The points of issue #19 that no other browser test walks, each on a desktop and on a phone: the direction of
 * money on invoices (7), one toast at a time (9), confirmations, the credit note's reason, recurring costs carried
 * by the server and « À venir » (15), the close's pre-flight (12) and « mon compte » (13).
 */
describe('everyday trust: money direction, toasts, confirmations, pre-flight (real server, demo pole, Chromium)', () => {
  before(async () => {
    pole = await startPole(SEEDED_AT);
  });
  after(async () => {
    await pole?.close();
  });

  for (const [label, viewport] of VIEWPORTS) {
    it(`(7) a structure sees what it owes apart from what it is owed, and its net balance (${label})`, async () => {
      const session = await openSession(pole, viewport);
      const { page } = session;
      const smac = one<{ member_id: number }>('SELECT member_id FROM users WHERE email = ?', SMAC_ADMIN).member_id;
      await signIn(page, pole.baseUrl, SMAC_ADMIN);
      await navigateTo(page, 'Factures et relevés');
      const balance = page.getByTestId('balance');
      await balance.waitFor();
      // The open amounts as the server counts them (total − credit notes − payments), on each side.
      const listed = (await (await page.request.get(`${pole.baseUrl}/api/invoices`)).json()) as {
        items: { kind: string; sellerMemberId: number; buyerMemberId: number; openCents: number }[];
      };
      const open = (side: 'buyerMemberId' | 'sellerMemberId') =>
        listed.items.filter((i) => i.kind === 'invoice' && i[side] === smac).reduce((sum, i) => sum + Math.abs(i.openCents), 0);
      const euros = (cents: number) => plain(new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100));
      const text = plain(await balance.textContent());
      assert.ok(text.includes(`À payer (factures reçues)${euros(open('buyerMemberId'))}`), text);
      assert.ok(text.includes(`À encaisser (factures émises)${euros(open('sellerMemberId'))}`), text);
      const net = open('sellerMemberId') - open('buyerMemberId');
      assert.ok(text.includes(`${net >= 0 ? 'Solde net en votre faveur' : 'Solde net à votre charge'}${euros(Math.abs(net))}`), text);

      // October (the latest month with invoices) in each direction: the badges say which, the counts are the database's.
      const october = (side: string) => count(`SELECT count(*) AS n FROM invoices WHERE month = '2026-10' AND kind = 'invoice' AND ${side} = ?`, smac);
      const list = page.getByTestId('invoices');
      await page.getByRole('button', { name: 'Reçues', exact: true }).click();
      await list.locator('.direction-out').first().waitFor();
      assert.equal(await list.locator('.direction-out').count(), october('buyer_member_id'));
      assert.equal(await list.locator('.direction-in').count(), 0, 'received only');
      await screenshot(page, `invoices-received-${label}`);
      await checkAxe(session, `the received invoices (${label})`);
      await page.getByRole('button', { name: 'Émises', exact: true }).click();
      await list.locator('.direction-in').first().waitFor();
      assert.equal(await list.locator('.direction-in').count(), october('seller_member_id'));
      assert.equal(await list.locator('.direction-out').count(), 0, 'issued only');
      assert.ok((await pageOverflow(session)) <= 0, 'no sideways scrolling of the page');
      await screenshot(page, `invoices-issued-${label}`);
      assert.deepEqual(session.errors, []);
      await session.close();
    });

    it(`(9, 15) deactivating asks first; one toast at a time, gone on the next page (${label})`, async () => {
      const session = await openSession(pole, viewport);
      const { page } = session;
      const user = one<{ id: number; email: string; name: string }>("SELECT id, email, name FROM users WHERE email = 'production@theatre.demo.test'");
      const active = () => one<{ active: number }>('SELECT active FROM users WHERE id = ?', user.id).active;
      await signIn(page, pole.baseUrl, COORDINATOR);
      await navigateTo(page, 'Utilisateurs');
      const row = page.locator('tr', { hasText: user.email });
      await row.getByRole('button', { name: 'Désactiver' }).click();
      const confirm = page.getByRole('dialog');
      await confirm.getByText(`Désactiver le compte de ${user.name} ?`, { exact: false }).waitFor();
      await screenshot(page, `deactivate-confirm-${label}`);
      await checkAxe(session, `the deactivation confirmation (${label})`);
      await confirm.getByRole('button', { name: 'Annuler' }).click();
      await confirm.waitFor({ state: 'hidden' });
      assert.equal(active(), 1, 'cancelled: still active');

      await row.getByRole('button', { name: 'Désactiver' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Désactiver' }).click();
      await page.getByText('Compte désactivé : ses sessions sont fermées.').waitFor();
      assert.equal(active(), 0);
      await row.getByRole('button', { name: 'Réactiver' }).click();
      await page.locator('.notice', { hasText: /réactivé/i }).waitFor();
      assert.equal(active(), 1);
      // The second message replaced the first: never a pile of toasts.
      assert.equal(await page.locator('.notices .notice').count(), 1);
      await screenshot(page, `one-toast-${label}`);
      await navigateTo(page, 'Structures');
      assert.equal(await page.locator('.notices .notice').count(), 0, 'the toast does not follow to another page');
      assert.deepEqual(session.errors, []);
      await session.close();
    });

    it(`(15) a credit note is refused without its reason, and nothing is issued (${label})`, async () => {
      const session = await openSession(pole, viewport);
      const { page } = session;
      const invoice = one<{ number: string }>("SELECT number FROM invoices WHERE kind = 'invoice' AND month = '2026-10' ORDER BY id LIMIT 1");
      const notes = () => count("SELECT count(*) AS n FROM invoices WHERE kind = 'credit_note'");
      const before = notes();
      await signIn(page, pole.baseUrl, COORDINATOR);
      await navigateTo(page, 'Factures et relevés');
      await page.getByRole('button', { name: `Émettre un avoir — ${invoice.number}` }).click();
      const credit = page.getByRole('dialog', { name: `Émettre un avoir sur la facture ${invoice.number}` });
      // Empty, the browser itself stops the form; blank words, the page says why.
      await credit.getByRole('button', { name: 'Émettre l’avoir' }).click();
      assert.equal(await credit.getByLabel(/^Motif/).evaluate((el) => (el as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing), true);
      await credit.getByLabel(/^Motif/).fill('   ok   ');
      await credit.getByRole('button', { name: 'Émettre l’avoir' }).click();
      await credit.getByText('Indiquez le motif de l’avoir : il figure sur le document.').waitFor();
      await screenshot(page, `credit-note-reason-${label}`);
      await checkAxe(session, `the credit note without a reason (${label})`);
      assert.equal(notes(), before, 'no credit note without a reason');
      await page.keyboard.press('Escape');
      assert.deepEqual(session.errors, []);
      await session.close();
    });

    it(`(15) « À venir » lists what has not ended, not yesterday’s booking (${label})`, async () => {
      const session = await openSession(pole, viewport);
      const { page } = session;
      const room = one<{ id: number }>("SELECT id FROM resources WHERE name = 'Salle de réunion'").id;
      const user = one<{ id: number; member_id: number }>('SELECT id, member_id FROM users WHERE email = ?', SMAC_MEMBER);
      const note = `Réunion d’hier (${label})`;
      const yesterday = insertBooking(pole.store, { resourceId: room, memberId: user.member_id, userId: user.id, start: '2026-11-17T16:00:00+01:00', end: '2026-11-17T17:00:00+01:00' });
      pole.store.sqlite.prepare('UPDATE bookings SET note = ? WHERE id = ?').run(note, yesterday);
      await signIn(page, pole.baseUrl, SMAC_MEMBER);
      await navigateTo(page, 'Réservations');
      assert.equal(await page.getByRole('button', { name: 'À venir' }).getAttribute('aria-pressed'), 'true');
      await page.locator('main tbody tr').first().waitFor();
      assert.equal(await page.getByText(note).count(), 0, 'yesterday is not « à venir »');
      await page.getByRole('button', { name: 'Passées' }).click();
      await page.getByText(note).first().waitFor();
      await screenshot(page, `bookings-past-${label}`);
      await checkAxe(session, `the past bookings (${label})`);
      assert.deepEqual(session.errors, []);
      await session.close();
    });

    it(`(13) « mon compte »: name, language, notification preferences and signed-in browsers (${label})`, async () => {
      const session = await openSession(pole, viewport);
      const { page } = session;
      await signIn(page, pole.baseUrl, SMAC_MEMBER);
      await visit(page, `${pole.baseUrl}/account`);
      await page.getByRole('heading', { name: 'Mon compte' }).waitFor();
      await page.getByTestId('my-sessions').locator('tbody tr').first().waitFor();
      assert.ok((await pageOverflow(session)) <= 0, 'no sideways scrolling of the page');
      await screenshot(page, `my-account-${label}`);
      await checkAxe(session, `« mon compte » (${label})`);
      assert.deepEqual(session.errors, []);
      await session.close();
    });
  }

  it('(15) recurring costs are carried by the server at month start, and the costs page says so (desktop and phone)', async () => {
    const run = autoCarryForward(pole.app.ctx);
    assert.equal(run?.month, '2026-11', 'November’s run: the first pass of the server');
    for (const [label, viewport] of VIEWPORTS) {
      const session = await openSession(pole, viewport);
      const { page } = session;
      await signIn(page, pole.baseUrl, COORDINATOR);
      await navigateTo(page, 'Coûts');
      await page.getByRole('button', { name: 'Mois suivant', exact: true }).click(); // opens on October, closed
      const log = page.getByTestId('auto-carry');
      await log.waitFor();
      assert.match(plain(await log.textContent()), run!.costIds.length ? /^Reporté automatiquement le .+ : \d+ coût\(s\) récurrent\(s\) d’octobre 2026\.$/ : /^Report automatique du .+ : aucun coût récurrent d’octobre 2026 à reporter\.$/);
      await screenshot(page, `costs-auto-carry-${label}`);
      await checkAxe(session, `the costs page with its carry log (${label})`);
      assert.deepEqual(session.errors, []);
      await session.close();
    }
  });

  it('(12) the close waits for each warning category to be confirmed (desktop and phone)', async () => {
    // Early December: November has ended and is open; a van booked in November has no cost entered.
    pole.clock.set('2026-12-02T10:00:00+01:00');
    const user = one<{ id: number; member_id: number }>('SELECT id, member_id FROM users WHERE email = ?', SMAC_MEMBER);
    const trailer = insertResource(pole.store, { name: 'Remorque plateau', kind: 'equipment', bearerMemberId: user.member_id });
    insertBooking(pole.store, { resourceId: trailer, memberId: user.member_id, userId: user.id, start: '2026-11-10T09:00:00+01:00', end: '2026-11-10T12:00:00+01:00' });
    for (const [label, viewport] of VIEWPORTS) {
      const session = await openSession(pole, viewport);
      const { page } = session;
      await signIn(page, pole.baseUrl, COORDINATOR);
      await navigateTo(page, 'Clôture');
      await page.getByRole('button', { name: 'Prévisualiser la clôture' }).click();
      const preflight = page.getByTestId('preflight');
      await preflight.waitFor();
      const noCost = preflight.locator('[data-category=noCost]');
      assert.match(plain(await noCost.textContent()), /ressource\(s\) réservée\(s\) ce mois sans aucun coût saisi.*Remorque plateau/);
      const close = page.getByTestId('closing-preview').getByRole('button', { name: 'Clôturer novembre 2026' });
      const boxes = await preflight.getByRole('checkbox').all();
      assert.ok(boxes.length >= 1);
      for (const box of boxes) {
        assert.equal(await close.isDisabled(), true, 'not before every category is confirmed');
        await box.check();
      }
      assert.equal(await close.isDisabled(), false, 'once all are confirmed');
      await screenshot(page, `close-preflight-${label}`);
      await checkAxe(session, `the close pre-flight (${label})`);
      assert.equal(count("SELECT count(*) AS n FROM closings WHERE month = '2026-11'"), 0, 'nothing closed by a preview');
      assert.deepEqual(session.errors, []);
      await session.close();
    }
  });
});
