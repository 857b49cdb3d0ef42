import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { parse } from 'csv-parse/sync';
import { entriesOf, parseFec } from '../helpers/fec';
import { navigateTo, openSession, screenshot, seriousViolations, signIn, startPole, type Pole } from './harness';

const SEEDED_AT = '2026-11-18T10:00:00+01:00';

async function download(page: Page, name: string | RegExp): Promise<{ filename: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).first().click()]);
  return { filename: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
}

/** « Comptabilité » and the « Exporter » buttons in a real browser on the demo pole. */
describe('web client: accounting page and exports (Chromium)', () => {
  let pole: Pole;
  before(async () => {
    pole = await startPole(SEEDED_AT);
  });
  after(async () => {
    await pole?.close();
  });

  it('a member admin downloads its FEC file, changes its bank account and gets it in the next file', async () => {
    const session = await openSession(pole);
    const { page } = session;
    await signIn(page, pole.baseUrl, 'admin@smac.demo.test');
    await navigateTo(page, 'Comptabilité');
    await page.getByLabel('Du', { exact: true }).fill('2026-09-01');
    await page.getByLabel('Au', { exact: true }).fill('2026-11-30');
    await page.getByRole('heading', { name: 'Plan de comptes' }).waitFor();
    await screenshot(page, 'accounting');
    assert.deepEqual(await seriousViolations(page), []);

    const first = await download(page, 'Écritures (FEC)');
    assert.equal(first.filename, '423456789FEC20261130.txt');
    const rows = parseFec(first.text);
    entriesOf(rows);
    assert.ok(rows.some((r) => r.JournalCode === 'VT') && rows.some((r) => r.JournalCode === 'AC'));

    await page.getByLabel('Banque', { exact: true }).fill('5121');
    await page.getByLabel('Code du journal des ventes', { exact: true }).fill('vte');
    await page.getByLabel('Préfixe des comptes auxiliaires fournisseurs', { exact: true }).fill('FRN');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Plan de comptes enregistré.').waitFor();
    const second = parseFec((await download(page, 'Écritures (FEC)')).text);
    const bank = second.filter((r) => r.JournalCode === 'BQ' && !['411', '401'].includes(r.CompteNum));
    assert.ok(bank.length > 0, 'the demo has payments in the period');
    assert.ok(bank.every((r) => r.CompteNum === '5121'), 'the next file uses the new bank account');
    assert.ok(second.some((r) => r.JournalCode === 'VTE') && !second.some((r) => r.JournalCode === 'VT'), 'and the new sales journal code');
    const suppliers = second.filter((r) => r.CompteNum.startsWith('401') && r.CompAuxNum !== '');
    assert.ok(suppliers.length > 0 && suppliers.every((r) => /^FRN\d{9}$/.test(r.CompAuxNum)), 'and the new supplier prefix');
    await page.getByRole('link', { name: '423456789FEC20261130.txt' }).first().waitFor();

    await navigateTo(page, 'Factures et relevés');
    const csv = await download(page, 'Exporter (CSV)');
    const table = parse(csv.text, { bom: true, columns: true, delimiter: ';' }) as Record<string, string>[];
    assert.ok(table.length > 0);
    assert.ok(table.every((r) => r['SIREN émetteur'] === '423456789' || r['SIREN destinataire'] === '423456789'), 'only its own documents');
    assert.deepEqual(session.errors, []);
    await session.close();
  });

  it('a coordinator picks any member; allocations export from the dashboard', async () => {
    const session = await openSession(pole);
    const { page } = session;
    await signIn(page, pole.baseUrl, 'coordination@demo.test');
    await navigateTo(page, 'Comptabilité');
    await page.getByLabel('Structure', { exact: true }).selectOption({ label: 'Radio Prun’ — radio associative' });
    await page.getByText('plan comptable des associations').waitFor();
    const file = await download(page, 'Écritures (FEC)');
    assert.equal(file.filename, `398765438FEC${SEEDED_AT.slice(0, 10).replaceAll('-', '')}.txt`);
    entriesOf(parseFec(file.text));

    await navigateTo(page, 'Répartition');
    await page.getByRole('button', { name: 'Mois précédent' }).click();
    const xlsx = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Exporter (Excel)' }).click()]);
    assert.match(xlsx[0].suggestedFilename(), /^repartition-2026-10\.xlsx$/);
    assert.deepEqual(session.errors, []);
    await session.close();
  });
});
