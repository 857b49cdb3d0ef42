import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { navigateTo, openSession, screenshot, seriousViolations, signIn, startPole, type Pole } from './harness';

// The demo pole on Wednesday 18 November 2026: September and October are closed.
const SEEDED_AT = '2026-11-18T10:00:00+01:00';
const COORDINATOR = 'coordination@demo.test';

describe('adjusting a closed month (real server, demo pole, Chromium)', () => {
  let pole: Pole;
  before(async () => {
    pole = await startPole(SEEDED_AT);
  });
  after(async () => {
    await pole?.close();
  });

  for (const [label, viewport] of [
    ['desktop', { width: 1366, height: 768 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`a late October cost: preview, confirm, the numbers issued (${label})`, async () => {
      // A resource whose October shares went to members other than its bearer, a bearer that is not a public body.
      const resource = pole.store.sqlite
        .prepare(
          `SELECT r.id, r.name FROM resources r JOIN members m ON m.id = r.bearer_member_id
            WHERE m.public_body = 0 AND r.kind <> 'staff'
              AND EXISTS (SELECT 1 FROM allocation_rows a WHERE a.month = '2026-10' AND a.resource_id = r.id AND a.member_id <> r.bearer_member_id AND a.share_cents > 0)
            ORDER BY r.id LIMIT 1`,
        )
        .get() as { id: number; name: string };
      const before = pole.store.sqlite.prepare('SELECT count(*) FROM invoices').pluck().get() as number;
      const session = await openSession(pole, viewport);
      const { page } = session;
      await signIn(page, pole.baseUrl, COORDINATOR);
      await navigateTo(page, 'Clôture');
      await page.getByTestId('closing-done').waitFor();
      await page.getByTestId('adjust-open').click();
      const panel = page.getByTestId('adjustment');
      await panel.getByLabel('Ressource').selectOption(String(resource.id));
      await panel.getByLabel('Libellé').fill('Facture reçue après la clôture');
      await panel.getByLabel('Montant HT (€)').fill('123,45');
      await panel.getByRole('button', { name: 'Prévisualiser' }).click();
      const preview = page.getByTestId('adjustment-preview');
      await preview.waitFor();
      const rows = await preview.locator('tbody tr').count();
      assert.ok(rows > 0, 'the documents to be issued are listed');
      const previewed = await preview.locator('tbody tr td:first-child').allTextContents();
      assert.equal(pole.store.sqlite.prepare('SELECT count(*) FROM invoices').pluck().get(), before, 'the preview issued nothing');
      assert.deepEqual(await seriousViolations(page), [], 'axe: the preview');
      await screenshot(page, `adjustment-preview-${label}`);
      await preview.getByRole('button', { name: 'Émettre' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Émettre' }).click();
      const issued = page.getByTestId('adjustment-issued');
      await issued.waitFor();
      assert.deepEqual(await issued.locator('tbody tr td:first-child').allTextContents(), previewed, 'the numbers previewed are the numbers issued');
      assert.equal(pole.store.sqlite.prepare('SELECT count(*) FROM invoices').pluck().get(), before + rows);
      await screenshot(page, `adjustment-issued-${label}`);
      assert.deepEqual(session.errors, []);
      await session.close();
    });
  }
});
