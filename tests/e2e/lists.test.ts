import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { navigateTo, openSession, screenshot, seriousViolations, signIn, startPole, type Pole, type Session } from './harness';

// The demo pole on Wednesday 18 November 2026 at 10:00 in Paris: September and October closed, November open.
const SEEDED_AT = '2026-11-18T10:00:00+01:00';
const COORDINATOR = 'coordination@demo.test';
const VIEWPORTS = [
  ['desktop', { width: 1366, height: 768 }],
  ['phone', { width: 390, height: 844 }],
] as const;

let pole: Pole;
const all = <T>(sql: string, ...params: unknown[]) => pole.store.sqlite.prepare(sql).all(...params) as T[];
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();
const euros = (cents: number) => plain(new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100));

async function checkAxe(session: Session, label: string) {
  assert.deepEqual(await seriousViolations(session.page), [], `axe found serious or critical violations on ${label}`);
}
const pageOverflow = (session: Session) => session.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
const pageHeight = (session: Session) => session.page.evaluate<number>('document.documentElement.scrollHeight');

/** The rows under each group heading of a grouped table: its data-group key, heading text and rows' data-key. */
async function groupsOf(session: Session, testId: string) {
  return session.page.getByTestId(testId).locator('tbody.table-group').evaluateAll((bodies) =>
    bodies.map((body) => ({
      key: body.getAttribute('data-group') ?? '',
      heading: body.querySelector('th[scope=rowgroup]')?.textContent ?? '',
      rows: Array.from(body.querySelectorAll('tr[data-key]')).map((tr) => tr.getAttribute('data-key') ?? ''),
    })),
  );
}

/**
 * On a phone, each stacked cell of a list card shows its label on a line of its own and the value below it at the
 * cell's full width (not in a narrow column beside the label, not wrapped under it), inside the cell. The actions
 * cell has no label: its buttons name themselves.
 */
async function cardCellProblems(session: Session, testId: string): Promise<string[]> {
  return session.page.getByTestId(testId).locator('tbody td[data-label]:not(.actions)').evaluateAll((cells) => {
    const problems: string[] = [];
    for (const td of cells) {
      const box = td.getBoundingClientRect();
      if (box.height === 0) continue; // an empty cell, hidden
      const style = getComputedStyle(td);
      const label = getComputedStyle(td, '::before');
      const range = document.createRange();
      range.selectNodeContents(td);
      const value = range.getBoundingClientRect();
      if (value.width === 0) continue;
      const contentLeft = box.left + parseFloat(style.paddingLeft);
      const name = `${td.getAttribute('data-label')} « ${(td.textContent ?? '').slice(0, 30)} »`;
      if (label.content === 'none' || label.display !== 'block') problems.push(`${name}: label not shown as its own line (${label.display})`);
      if (value.top < box.top + parseFloat(style.paddingTop) + parseFloat(label.fontSize) * 0.9) problems.push(`${name}: value not below its label`);
      if (Math.abs(value.left - contentLeft) > 1.5) problems.push(`${name}: value starts ${Math.round(value.left - contentLeft)}px right of the cell's edge`);
      if (value.right > box.right + 0.5 || value.bottom > box.bottom + 0.5) problems.push(`${name}: value spills out of its cell`);
    }
    return problems;
  });
}

/** #19 point 14: costs under their resource, invoices under their month, readable cards on a phone. */
describe('long lists: grouped, paged and readable on a phone (real server, demo pole, Chromium)', () => {
  before(async () => {
    pole = await startPole(SEEDED_AT);
  });
  after(async () => {
    await pole?.close();
  });

  for (const [label, viewport] of VIEWPORTS) {
    it(`the month's costs come under their resource, with its count and sum; the total is the database's (${label})`, async () => {
      const session = await openSession(pole, viewport);
      await signIn(session.page, pole.baseUrl, COORDINATOR);
      await navigateTo(session.page, 'Coûts'); // opens on October
      await session.page.getByTestId('costs').waitFor();
      const expected = all<{ resourceId: number; name: string; ids: string; n: number; cents: number }>(
        `SELECT c.resource_id AS resourceId, r.name, group_concat(c.id) AS ids, count(*) AS n, sum(c.amount_cents) AS cents
         FROM costs c JOIN resources r ON r.id = c.resource_id WHERE c.month = '2026-10' GROUP BY c.resource_id ORDER BY r.name`,
      );
      assert.ok(expected.length > 3, 'the demo has October costs on several resources');
      const groups = await groupsOf(session, 'costs');
      assert.deepEqual(
        groups.map((g) => g.key),
        expected.map((e) => String(e.resourceId)),
        'one group per resource, in name order, none twice',
      );
      for (const [i, g] of groups.entries()) {
        const e = expected[i]!;
        assert.deepEqual(g.rows.toSorted(), e.ids.split(',').toSorted(), `${e.name}: its own costs, each once`);
        assert.equal(plain(g.heading), `${e.name}${e.n} coût(s), ${euros(e.cents)} HT`);
      }
      const total = expected.reduce((sum, e) => sum + e.cents, 0);
      assert.ok(plain(await session.page.getByTestId('costs').locator('tfoot').textContent()).includes(euros(total)));
      assert.ok((await pageOverflow(session)) <= 0, 'no sideways scrolling of the page');
      if (label === 'phone') assert.deepEqual(await cardCellProblems(session, 'costs'), []);
      console.log(`costs page (${label}): ${expected.reduce((n, e) => n + e.n, 0)} costs under ${groups.length} headings, ${await pageHeight(session)} px tall`);
      await screenshot(session.page, `lists-costs-${label}`);
      await checkAxe(session, `the grouped costs (${label})`);
      assert.deepEqual(session.errors, []);
      await session.close();
    });

    it(`every month's invoices: under each month's heading, newest month first, 30 at a time (${label})`, async () => {
      const session = await openSession(pole, viewport);
      const { page } = session;
      await signIn(page, pole.baseUrl, COORDINATOR);
      await navigateTo(page, 'Factures et relevés');
      await page.getByTestId('invoices').waitFor();
      const oneMonth = await pageHeight(session);
      assert.equal(await page.getByTestId('invoices').locator('tbody.table-group').count(), 0, 'one month shown: no headings');
      await page.locator('#invoice-month').selectOption({ label: 'Tous les mois' });
      await page.getByTestId('invoices').locator('tbody.table-group').first().waitFor();
      const monthOf = new Map(all<{ id: number; month: string }>("SELECT id, coalesce(month, substr(period_start, 1, 7)) AS month FROM invoices").map((r) => [String(r.id), r.month]));
      const groups = await groupsOf(session, 'invoices');
      const months = groups.map((g) => g.key);
      assert.ok(months.length > 1, 'the demo has invoices in several months');
      assert.deepEqual(months, [...new Set(months)].sort().reverse(), 'each month once, newest first');
      const shown = groups.flatMap((g) => g.rows);
      assert.equal(shown.length, 30, 'the first 30 documents, then « Afficher plus »');
      assert.equal(new Set(shown).size, shown.length, 'no document twice');
      for (const g of groups) {
        for (const id of g.rows) assert.equal(monthOf.get(id), g.key, `invoice ${id} under its own month`);
        assert.match(plain(g.heading), /^(Septembre|Octobre|Novembre) 2026$/);
      }
      const allMonths = await pageHeight(session);
      assert.ok((await pageOverflow(session)) <= 0, 'no sideways scrolling of the page');
      if (label === 'phone') assert.deepEqual(await cardCellProblems(session, 'invoices'), []);
      console.log(`invoices page (${label}): ${oneMonth} px for the latest month, ${allMonths} px for the first 30 of all months under ${groups.length} headings`);
      await screenshot(page, `lists-invoices-all-months-${label}`);
      await checkAxe(session, `the invoices of every month (${label})`);
      await page.getByRole('button', { name: 'Afficher plus' }).click();
      await page.getByTestId('invoices').locator('tr[data-key]').nth(30).waitFor();
      const more = (await groupsOf(session, 'invoices')).flatMap((g) => g.rows);
      assert.deepEqual(more.slice(0, 30), shown, 'the next ones come after the first 30');
      assert.equal(new Set(more).size, more.length, 'no document twice after « Afficher plus »');
      assert.deepEqual(session.errors, []);
      await session.close();
    });
  }

  it('bookings on a phone: readable cards, with who booked each', async () => {
    const session = await openSession(pole, { width: 390, height: 844 });
    const { page } = session;
    await signIn(page, pole.baseUrl, COORDINATOR);
    await navigateTo(page, 'Réservations');
    await page.getByTestId('bookings').locator('tr[data-key]').first().waitFor();
    assert.ok(await page.getByTestId('bookings').locator('td[data-label="Réservé par"]').count() > 0);
    assert.deepEqual(await cardCellProblems(session, 'bookings'), []);
    assert.ok((await pageOverflow(session)) <= 0, 'no sideways scrolling of the page');
    console.log(`bookings page (phone): ${await pageHeight(session)} px tall`);
    await screenshot(page, 'lists-bookings-phone');
    await checkAxe(session, 'the bookings on a phone');
    assert.deepEqual(session.errors, []);
    await session.close();
  });
});
