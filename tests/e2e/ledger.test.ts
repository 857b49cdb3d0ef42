import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { pdfText } from '../helpers/pdf';
import { navigateTo, openSession, screenshot, seriousViolations, signIn, startPole, type Pole, type Session } from './harness';

/**
 * The payments ledger in a real browser on the demo pole (September and October 2026 closed, two thirds of
 * September's invoices paid): partial payments up to the open balance, settlements on open balances, account
 * statements and the versions of a closed month's documents (#11).
 */

const SEEDED_AT = '2026-11-18T10:00:00+01:00';
const TREASURER = 'admin@smac.demo.test';
const COORDINATOR = 'coordination@demo.test';

let pole: Pole;
const one = <T>(sql: string, ...params: unknown[]) => pole.store.sqlite.prepare(sql).get(...params) as T;

async function checkAxe(session: Session, label: string) {
  assert.deepEqual(await seriousViolations(session.page), [], `axe found serious or critical violations on ${label}`);
}

/** « 1 234,56 » as the page writes amounts (narrow no-break spaces), for an exact text match. */
const euros = (cents: number) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100);
const typed = (cents: number) => (cents / 100).toFixed(2).replace('.', ',');

/** An October invoice of Le Ferrailleur (the treasurer's structure) nothing was paid on yet. */
function openInvoiceOfSmac(skip = 0) {
  return one<{ id: number; number: string; total: number }>(
    `SELECT i.id, i.number, i.total_incl_vat_cents AS total FROM invoices i JOIN users u ON u.member_id = i.seller_member_id
      WHERE u.email = ? AND i.kind = 'invoice' AND i.month = '2026-10' AND i.total_incl_vat_cents > 100
        AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = i.id) ORDER BY i.id LIMIT 1 OFFSET ?`,
    TREASURER,
    skip,
  );
}

const rowOf = (page: Page, number: string) => page.getByTestId('invoices').locator('tr', { has: page.locator('strong', { hasText: number }) });

async function openPayments(page: Page, number: string) {
  await page.getByLabel('Rechercher').fill(number);
  await rowOf(page, number).getByRole('button', { name: `Paiements — ${number}` }).click();
  const dialog = page.getByRole('dialog', { name: `Paiements de la facture ${number}` });
  await dialog.getByTestId('payment-summary').waitFor();
  return dialog;
}

describe('web client: payments ledger, settlements, account statements, versions (Chromium)', () => {
  before(async () => {
    pole = await startPole(SEEDED_AT);
  });
  after(async () => {
    await pole?.close();
  });

  it('a treasurer records a partial payment, is refused past the balance, pays the rest and deletes a payment', async () => {
    const session = await openSession(pole);
    const { page } = session;
    const invoice = openInvoiceOfSmac();
    session.expect({ status: 422, path: `/api/invoices/${invoice.id}/payments` });
    await signIn(page, pole.baseUrl, TREASURER);
    await navigateTo(page, 'Factures et relevés');
    await page.getByRole('button', { name: 'Émises' }).click();
    const status = rowOf(page, invoice.number).locator('[data-status]');

    const dialog = await openPayments(page, invoice.number);
    assert.equal(await status.getAttribute('data-status'), 'open');
    const amount = dialog.getByLabel('Montant reçu TTC (€)');
    assert.equal(await amount.inputValue(), typed(invoice.total), 'the amount starts at the open balance');
    await dialog.getByText('Aucun paiement enregistré').waitFor();
    await checkAxe(session, 'the payments dialog');

    // A third now, by cheque.
    const part = Math.floor(invoice.total / 3);
    await amount.fill(typed(part));
    await dialog.getByLabel('Moyen de paiement').selectOption('cheque');
    await dialog.getByLabel('Référence (facultative)').fill('CHQ 0012345');
    await dialog.getByRole('button', { name: 'Enregistrer un paiement' }).click();
    await page.getByText(`Paiement partiel de ${euros(part)} enregistré sur la facture ${invoice.number}.`).waitFor();
    await dialog.getByTestId('payments').getByRole('cell', { name: 'CHQ 0012345' }).waitFor();
    await dialog.getByTestId('payments').getByRole('cell', { name: 'Chèque' }).waitFor();
    await dialog.getByTestId('open-cents').getByText(euros(invoice.total - part)).waitFor();
    assert.equal(await amount.inputValue(), typed(invoice.total - part), 'the amount follows the new open balance');
    assert.equal(await status.getAttribute('data-status'), 'partially_paid');
    await rowOf(page, invoice.number).getByText('Partiellement payée').waitFor();
    assert.equal(await rowOf(page, invoice.number).getByTestId('paid-open').textContent(), `payé ${euros(part)}, reste dû ${euros(invoice.total - part)}`);

    // One cent more than what is left: the server's 422, worded plainly, and nothing written.
    await amount.fill(typed(invoice.total - part + 1));
    await dialog.getByRole('button', { name: 'Enregistrer un paiement' }).click();
    await dialog.getByRole('alert').getByText(`Ce montant dépasse le reste dû de la facture (${euros(invoice.total - part)}) : enregistrez au plus ce reste.`).waitFor();
    await screenshot(page, 'payment-exceeds-balance');
    assert.equal(one<{ n: number }>('SELECT count(*) AS n FROM payments WHERE invoice_id = ?', invoice.id).n, 1);

    // The rest: paid.
    await amount.fill(typed(invoice.total - part));
    await dialog.getByRole('button', { name: 'Enregistrer un paiement' }).click();
    await page.getByText(`Paiement de ${euros(invoice.total - part)} enregistré : la facture ${invoice.number} est soldée.`).waitFor();
    await rowOf(page, invoice.number).locator('[data-status=paid]').waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Enregistrer un paiement' }).count(), 0, 'nothing left to record');
    assert.equal(one<{ s: number }>('SELECT sum(amount_cents) AS s FROM payments WHERE invoice_id = ? AND deleted_at IS NULL', invoice.id).s, invoice.total);
    await screenshot(page, 'payments-dialog-paid');

    // Deleting the cheque, after confirming: back to partly paid; the payment stays listed, struck through.
    await dialog.getByRole('button', { name: `Supprimer — paiement de ${euros(part)}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Confirmer' });
    await confirm.getByText(/Supprimer le paiement de .* Il ne comptera plus/).waitFor();
    await checkAxe(session, 'the payment deletion confirmation');
    await confirm.getByRole('button', { name: 'Supprimer' }).click();
    await page.getByText(`Paiement de ${euros(part)} supprimé.`).waitFor();
    await rowOf(page, invoice.number).locator('[data-status=partially_paid]').waitFor();
    await dialog.getByText(/supprimé le/).waitFor();
    const deleted = one<{ deleted_at: number | null }>("SELECT deleted_at FROM payments WHERE invoice_id = ? AND reference = 'CHQ 0012345'", invoice.id);
    assert.ok(deleted.deleted_at !== null, 'stamped deleted, not erased');
    await dialog.getByRole('button', { name: 'Fermer' }).first().click();

    // The status filter lists it among the partly paid invoices, not among the paid ones.
    await page.getByLabel('Statut').selectOption('paid');
    await rowOf(page, invoice.number).waitFor({ state: 'detached' });
    await page.getByLabel('Statut').selectOption('partially_paid');
    await rowOf(page, invoice.number).waitFor();
    await screenshot(page, 'invoices-partly-paid');
    assert.deepEqual(session.errors, []);
    await session.close();
  });

  it('a member downloads its account statement for a period: a PDF naming it', async () => {
    const session = await openSession(pole);
    const { page } = session;
    await signIn(page, pole.baseUrl, TREASURER);
    await navigateTo(page, 'Factures et relevés');
    const section = page.getByRole('region', { name: 'Relevé de compte' });
    await section.getByLabel('Du', { exact: true }).fill('2026-09-01');
    await section.getByLabel('Au', { exact: true }).fill('2026-11-18');
    const link = section.getByRole('link', { name: 'Télécharger le relevé de compte (PDF)' });
    const href = (await link.getAttribute('href'))!;
    const member = one<{ id: number; name: string }>('SELECT m.id, m.name FROM members m JOIN users u ON u.member_id = m.id WHERE u.email = ?', TREASURER);
    assert.equal(href, `/api/members/${member.id}/account.pdf?from=2026-09-01&to=2026-11-18`);
    const response = await page.request.get(`${pole.baseUrl}${href}`);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['content-type'], 'application/pdf');
    const text = pdfText(await response.body()).replace(/\s+/g, ' ');
    assert.ok(text.includes(member.name), `the statement names ${member.name}`);
    assert.match(text, /RELEVÉ DE COMPTE/);
    assert.match(text, /du 01\/09\/2026 au 18\/11\/2026/);
    // Who owes whom, for its own structure, with the export of the same table.
    const balances = page.getByTestId('balances');
    await balances.locator('tbody tr', { hasText: member.name }).first().waitFor();
    assert.equal(await balances.getByRole('link', { name: 'Exporter les soldes (CSV)' }).getAttribute('href'), '/api/balances.csv?asOf=2026-11-18');
    await checkAxe(session, 'the invoices page with the balances and the account statement');
    assert.deepEqual(session.errors, []);
    await session.close();
  });

  it('the coordinator records a planned transfer: the plan no longer lists it and its invoices are paid', async () => {
    const session = await openSession(pole);
    const { page } = session;
    await signIn(page, pole.baseUrl, COORDINATOR);
    await navigateTo(page, 'Règlements');
    await page.getByTestId('transfers').waitFor();
    await page.getByTestId('balances').waitFor();
    await page.getByText('n’est jamais compensée').waitFor();
    await checkAxe(session, 'the settlements page');
    await page.getByRole('button', { name: 'Multilatéral' }).click();
    await page.getByText('Multilatéral : les soldes sont compensés entre toutes les structures qui ont signé la convention').waitFor();
    await page.getByText('Aucune structure n’a signé la convention de compensation').waitFor();
    await page.getByRole('button', { name: 'Bilatéral' }).click();
    await page.getByText('Bilatéral (par défaut)').waitFor();

    const transfer = page.locator('[data-testid=transfer][data-basis=bilateral]').first();
    await transfer.waitFor();
    const [from, to] = [await transfer.getAttribute('data-from'), await transfer.getAttribute('data-to')];
    const pair = `[data-testid=transfer][data-from="${from}"][data-to="${to}"]`;
    const settled = one<{ ids: string }>(
      `SELECT group_concat(id) AS ids FROM invoices WHERE kind = 'invoice' AND ((seller_member_id = ? AND buyer_member_id = ?) OR (seller_member_id = ? AND buyer_member_id = ?))`,
      Number(from), Number(to), Number(to), Number(from),
    );
    await transfer.getByRole('button', { name: /^Enregistrer ce/ }).click();
    const dialog = page.getByRole('dialog', { name: /^Enregistrer un virement effectué/ });
    await dialog.getByText(/Confirmez que ce virement a bien été fait/).waitFor();
    await checkAxe(session, 'the transfer dialog');
    await screenshot(page, 'settlement-record-dialog');
    await dialog.getByRole('button', { name: 'Enregistrer ce virement' }).click();
    await page.getByText(/^Virement enregistré : \d+ paiement\(s\) inscrits sur les factures\.$/).waitFor();
    await page.locator(pair).waitFor({ state: 'detached' });
    const open = pole.store.sqlite
      .prepare(`SELECT i.id, i.total_incl_vat_cents - coalesce((SELECT sum(total_incl_vat_cents) FROM invoices c WHERE c.credited_invoice_id = i.id), 0)
                  - coalesce((SELECT sum(amount_cents) FROM payments p WHERE p.invoice_id = i.id AND p.deleted_at IS NULL), 0) AS open
                 FROM invoices i WHERE i.id IN (${settled.ids})`)
      .all() as { id: number; open: number }[];
    assert.deepEqual(open.filter((i) => i.open !== 0), [], 'every invoice between the two members is settled');
    await screenshot(page, 'settlements-after-transfer');
    assert.deepEqual(session.errors, []);
    await session.close();
  });

  it('a closed month lists its document versions, each downloadable', async () => {
    const session = await openSession(pole);
    const { page } = session;
    await signIn(page, pole.baseUrl, COORDINATOR);
    // The demo closes its months without the route, so October's v1 is frozen at its first download.
    assert.equal((await page.request.get(`${pole.baseUrl}/api/closings/2026-10/pdf`)).status(), 200);
    const invoice = one<{ id: number; number: string }>("SELECT id, number FROM invoices WHERE kind = 'invoice' AND month = '2026-10' ORDER BY id DESC LIMIT 1");
    const note = await page.evaluate(async (id) => {
      const response = await fetch(`/api/invoices/${id}/credit-note`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amountCents: 100, reason: 'Correction' }) });
      return (await response.json()) as { number: string };
    }, invoice.id);
    await navigateTo(page, 'Répartition');
    await page.getByRole('button', { name: 'Mois précédent' }).click();
    const versions = page.getByTestId('document-versions');
    const summary = (version: number) => versions.locator(`tr[data-version="${version}"]`, { hasText: 'Synthèse du pôle' });
    await summary(1).getByText('Premier téléchargement').waitFor();
    await summary(2).getByText(`Avoir ${note.number}`).waitFor();
    await versions.locator('tr', { hasText: 'Relevé' }).first().waitFor();
    await screenshot(page, 'document-versions');
    await checkAxe(session, 'the versions of a closed month');
    for (const version of [1, 2]) {
      const href = (await summary(version).getByRole('link').getAttribute('href'))!;
      assert.equal(href, `/api/closings/2026-10/versions/${version}/pdf`);
      const response = await page.request.get(`${pole.baseUrl}${href}`);
      assert.equal(response.headers()['content-type'], 'application/pdf');
    }
    assert.deepEqual(session.errors, []);
    await session.close();
  });

  it('on a phone, the buyer sees the payments but may not record any', async () => {
    const session = await openSession(pole, { width: 390, height: 844 });
    const { page } = session;
    const invoice = one<{ number: string; buyer: string }>(
      `SELECT i.number, (SELECT email FROM users WHERE member_id = i.buyer_member_id AND role = 'member_admin' LIMIT 1) AS buyer
         FROM invoices i JOIN payments p ON p.invoice_id = i.id WHERE i.kind = 'invoice' AND p.deleted_at IS NULL
           AND EXISTS (SELECT 1 FROM users WHERE member_id = i.buyer_member_id AND role = 'member_admin') ORDER BY i.id LIMIT 1`,
    );
    await signIn(page, pole.baseUrl, invoice.buyer);
    await navigateTo(page, 'Factures et relevés');
    await page.locator('#invoice-month').selectOption('');
    const dialog = await openPayments(page, invoice.number);
    await dialog.getByTestId('payments').waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Enregistrer un paiement' }).count(), 0);
    assert.equal(await dialog.getByRole('button', { name: /^Supprimer/ }).count(), 0);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px on a phone`);
    await screenshot(page, 'phone-payments-dialog');
    await checkAxe(session, 'the payments dialog on a phone');
    assert.deepEqual(session.errors, []);
    await session.close();
  });
});
