import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { navigateTo, openSession, screenshot, seriousViolations, signIn, startPole, type Pole, type Session } from './harness';

// The demo pole on Wednesday 18 November 2026 at 10:00 in Paris: November open with its costs and bookings.
const SEEDED_AT = '2026-11-18T10:00:00+01:00';
const MEMBER = 'regie@smac.demo.test';
const COORDINATOR = 'coordination@demo.test';
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

let pole: Pole;
const one = <T>(sql: string, ...params: unknown[]) => pole.store.sqlite.prepare(sql).get(...params) as T;

async function checkAxe(session: Session, label: string) {
  assert.deepEqual(await seriousViolations(session.page), [], `axe found serious or critical violations on ${label}`);
}
const pageOverflow = (session: Session) => session.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
/** The elements sticking out on the right, to say what makes a page scroll sideways. */
const wideElements = (session: Session) =>
  session.page.evaluate<string[]>(
    `[...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 5).map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`,
  );

describe('month views (real server, demo pole, Chromium)', () => {
  before(async () => {
    pole = await startPole(SEEDED_AT);
  });
  after(async () => {
    await pole?.close();
  });

  it('the coordinator reads the allocation at 1366 px with the totals in view, and on a phone as cards', async () => {
    const session = await openSession(pole, DESKTOP);
    const { page } = session;
    await signIn(page, pole.baseUrl, COORDINATOR);
    await navigateTo(page, 'Répartition');
    const matrix = page.getByTestId('allocation-matrix');
    await matrix.waitFor();
    // The total column is on screen (sticky at the right edge of its box) without scrolling anything.
    const total = matrix.locator('thead th.total-col');
    const box = await total.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= DESKTOP.width, `the Total column is in view: ${JSON.stringify(box)}`);
    const onTop = await total.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const doc = (el as unknown as { ownerDocument: { elementFromPoint(x: number, y: number): unknown } }).ownerDocument;
      const hit = doc.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) as { closest(s: string): unknown } | null;
      return hit?.closest('th') === el;
    });
    assert.ok(onTop, 'nothing covers the Total header');
    // The basis is printed in the cell.
    assert.ok((await matrix.locator('td .basis').count()) > 0, 'each share says what decided it');
    assert.match((await matrix.locator('td .basis').first().textContent()) ?? '', /h sur|pondération|parts égales|tarif|porteur|fixe/);
    assert.ok(await matrix.getByRole('columnheader', { name: 'Total' }).isVisible());
    await page.getByTestId('utilisation').locator('svg[role=img]').first().waitFor();
    await page.getByTestId('cost-chart').locator('svg[role=img] rect').nth(11).waitFor();
    await screenshot(page, 'allocations-desktop');
    await checkAxe(session, 'the allocation page with its charts');
    await page.getByTestId('cost-chart').getByText('Voir les chiffres').click();
    assert.equal(await page.getByTestId('cost-chart').locator('tbody tr').count(), 12, 'the chart has its table of figures');

    await page.setViewportSize(PHONE);
    await page.locator('.matrix-cards').waitFor();
    assert.equal(await matrix.isVisible(), false, 'a phone gets cards, not the wide table');
    assert.ok((await pageOverflow(session)) <= 0, `no sideways scrolling of the page on a phone: ${(await wideElements(session)).join(', ')}`);
    await screenshot(page, 'allocations-phone');
    await checkAxe(session, 'the allocation cards on a phone');
    assert.deepEqual(session.errors, []);
    await session.close();
  });

  for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    it(`the coordinator reads one structure's current month as its users do, with its statement PDF (${label})`, async () => {
      const session = await openSession(pole, viewport);
      const { page } = session;
      const theatre = one<{ id: number; name: string }>("SELECT id, name FROM members WHERE name LIKE 'Compagnie du Théâtre%'");
      await signIn(page, pole.baseUrl, COORDINATOR);
      await navigateTo(page, 'Répartition');
      const statement = page.getByTestId('member-statement');
      await statement.waitFor();
      await statement.getByLabel('Structure').selectOption(String(theatre.id));
      await statement.getByRole('heading', { name: 'Relevé de Compagnie du Théâtre Éphémère : novembre 2026' }).waitFor();
      // The same figures as the allocation: each resource's share with its basis, the estimate their sum.
      const allocation = (await (await page.request.get(`${pole.baseUrl}/api/allocations?month=2026-11`)).json()) as { rows: { memberId: number; shareCents: number; usageMinutes: number }[] };
      const rows = allocation.rows.filter((r) => r.memberId === theatre.id && (r.shareCents !== 0 || r.usageMinutes > 0));
      const euros = (cents: number) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100).replace(/[\u00a0\u202f]/g, ' ');
      const total = rows.reduce((sum, r) => sum + r.shareCents, 0);
      const text = ((await statement.textContent()) ?? '').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');
      assert.ok(text.includes(`Coût estimé à ce jour : ${euros(total)} HT`), text);
      assert.equal(await statement.locator('.share-list li').count(), rows.length);
      assert.ok((await statement.locator('.share-basis').count()) === rows.length, 'each share says what decided it');
      const pdf = statement.getByRole('link', { name: /^Relevé \(PDF\)/ });
      assert.equal(await pdf.getAttribute('href'), `/api/statements/2026-11/${theatre.id}/pdf`);
      const file = await page.request.get(`${pole.baseUrl}/api/statements/2026-11/${theatre.id}/pdf`);
      assert.equal(file.status(), 200);
      assert.equal((await file.body()).subarray(0, 5).toString('latin1'), '%PDF-');
      assert.ok((await pageOverflow(session)) <= 0, `no sideways scrolling of the page: ${(await wideElements(session)).join(', ')}`);
      await statement.scrollIntoViewIfNeeded();
      await screenshot(page, `member-statement-${label}`);
      await checkAxe(session, `a structure's statement for the coordinator (${label})`);
      assert.deepEqual(session.errors, []);
      await session.close();
    });
  }

  it('a member sees « mon mois en cours » as a list with its estimate, its twelve months, and the cost of a rate-priced booking', async () => {
    const session = await openSession(pole, PHONE);
    const { page } = session;
    await signIn(page, pole.baseUrl, MEMBER);
    await navigateTo(page, 'Répartition');
    await page.getByRole('heading', { name: 'Mon mois en cours : novembre 2026' }).waitFor();
    const list = page.getByTestId('member-allocation');
    await list.waitFor();
    assert.match(((await list.textContent()) ?? '').replace(/\s+/g, ' '), /Coût estimé à ce jour : \d/);
    assert.equal(await page.getByTestId('allocation-matrix').count(), 0, 'a member gets its list, not a one-row matrix');
    await page.getByTestId('cost-chart').locator('svg[role=img]').waitFor();
    assert.ok((await pageOverflow(session)) <= 0, `no sideways scrolling on a phone: ${(await wideElements(session)).join(', ')}`);
    await screenshot(page, 'my-month-phone');
    await checkAxe(session, 'the member month view');

    const van = one<{ id: number }>("SELECT id FROM resources WHERE name = 'Camion 20 m³'").id;
    const rate = one<{ rate_cents: number | null }>('SELECT rate_cents FROM allocation_rules WHERE resource_id = ? ORDER BY from_month DESC LIMIT 1', van);
    await page.goto(`${pole.baseUrl}/resources/${van}`);
    await page.getByRole('button', { name: 'Nouvelle réservation' }).click();
    const estimate = page.getByTestId('booking-estimate');
    await estimate.waitFor();
    const start = Date.parse(`${await page.getByLabel('Début').inputValue()}:00+01:00`);
    const end = Date.parse(`${await page.getByLabel('Fin').inputValue()}:00+01:00`);
    const cents = Math.floor((rate.rate_cents! * ((end - start) / 60_000) * 2 + 60) / 120);
    const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100);
    assert.match(((await estimate.textContent()) ?? '').replace(/[\u00a0\u202f]/g, ' '), new RegExp(`^Coût estimé : ${euros.replace(/[\u00a0\u202f]/g, ' ')} HT`));
    await screenshot(page, 'booking-estimate');
    await checkAxe(session, 'the booking dialog with an estimate');
    assert.deepEqual(session.errors, []);
    await session.close();
  });
});
