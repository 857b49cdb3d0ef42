import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import { euros as eurosNbsp } from '../../server/documents/format';
import { renderMonthDocuments } from '../../server/documents/service';
import { buildTestApp, login, seedPole, TEST_SIRETS, type SeededPole, type TestApp } from '../helpers/app';
import { insertCost, insertResource, seedOctober } from '../helpers/closing';
import { pdfText } from '../helpers/pdf';

/** Amounts as pdftotext reads them back (no-break spaces become plain spaces). */
const euros = (cents: number) => eurosNbsp(cents).replace(/\u00a0/g, ' ');
/** Collapses the layout's runs of spaces and line breaks so that phrases can be searched. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

interface Invoice {
  id: number;
  number: string;
  kind: string;
  sellerMemberId: number;
  buyerMemberId: number;
  totalExclVatCents: number;
  totalVatCents: number;
  totalInclVatCents: number;
  seller: { siret: string; name: string };
  buyer: { siret: string; name: string };
  mentions: { vat: string | null };
  vatBreakdown: { vatRate: number; vatCents: number }[];
}

/**
 * October 2026 of the test pole (tests/helpers/closing.ts): A (the grouping, 261 B towards C) bears accounting, B (VAT-liable
 * SCOP) bears a technician at 20 % VAT. The clock is 16 Nov 2026, so October can be closed.
 */
describe('documents', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  beforeEach(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    seedOctober(t.store, pole);
    coord = await login(t.app, pole.coordinator);
  });
  afterEach(() => t.close());

  const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
  const close = async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().invoices as Invoice[];
  };
  const pdfOf = async (url: string, cookie: string) => {
    const res = await get(url, cookie);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(res.rawPayload.subarray(0, 5).toString(), '%PDF-');
    return pdfText(res.rawPayload);
  };

  it('prints an invoice with its number, both parties’ SIRET, the VAT mention and French totals', async () => {
    const invoices = await close();
    // A is the pole's grouping and C an eligible association: their invoice is exempt under 261 B.
    const exempt = invoices.find((i) => i.sellerMemberId === pole.memberA && i.buyerMemberId === pole.memberC)!;
    const text = await pdfOf(`/api/invoices/${exempt.id}/pdf`, coord);
    const f = flat(text);
    assert.ok(f.includes(`FACTURE N° ${exempt.number}`));
    assert.ok(text.includes(TEST_SIRETS[0]!) && text.includes(TEST_SIRETS[2]!), 'seller and buyer SIRET');
    assert.match(f, /Exonérée .*\(261 B\)/, `the line shows its exemption: ${f}`);
    assert.ok(!/TVA 0[,.]?0*\s*%/.test(f) && !/\b0,00 %/.test(f), 'never « TVA 0 % »');
    assert.equal(exempt.seller.siret, TEST_SIRETS[0]);
    assert.ok(f.includes('Exonération de TVA, art. 261 B du CGI'), 'the 261 B mention');
    assert.ok(f.includes(`Total TTC — net à payer ${euros(exempt.totalInclVatCents)}`), f);
    assert.ok(text.includes(euros(exempt.totalExclVatCents)));
    for (const words of ['Comptabilité mutualisée', 'Période de la prestation', 'Date d’échéance', 'Pénalités de retard', 'Indemnité forfaitaire', 'Prestations de services', 'Pôle de test']) {
      assert.ok(f.includes(words), `finds “${words}”`);
    }
    assert.match(f, /du 01\/10\/2026 au 31\/10\/2026/);
    assert.match(text, /Page 1 \/ 1/);

    // B is liable to VAT: 20 % on its invoice to A, amounts in French format.
    const taxed = invoices.find((i) => i.sellerMemberId === pole.memberB && i.buyerMemberId === pole.memberA)!;
    assert.ok(taxed.totalVatCents > 0);
    const ft = flat(await pdfOf(`/api/invoices/${taxed.id}/pdf`, coord));
    assert.ok(ft.includes(`TVA 20 % sur ${euros(taxed.totalExclVatCents)} ${euros(taxed.totalVatCents)}`), ft);
    assert.ok(ft.includes(euros(taxed.totalInclVatCents)));
    assert.ok(ft.includes('N° TVA intracommunautaire : FR03552081317'));
    assert.ok(!ft.includes('art. 261 B du CGI Pénalités'), 'no exemption mention on a taxed invoice');
    assert.ok(ft.includes('charges sociales') && ft.includes('salaires'), 'staff lent at cost: salary and charges shown apart');
  });

  it('prints a credit note citing its invoice, and refuses other structures’ documents', async () => {
    const invoices = await close();
    const toB = invoices.find((i) => i.sellerMemberId === pole.memberA && i.buyerMemberId === pole.memberB)!;
    const toC = invoices.find((i) => i.sellerMemberId === pole.memberA && i.buyerMemberId === pole.memberC)!;
    const credit = await t.app.inject({ method: 'POST', url: `/api/invoices/${toB.id}/credit-note`, headers: { cookie: coord }, payload: { amountCents: 1234 } });
    assert.equal(credit.statusCode, 201, credit.body);
    const note = credit.json() as Invoice;
    const f = flat(await pdfOf(`/api/invoices/${note.id}/pdf`, coord));
    assert.ok(f.includes(`AVOIR N° ${note.number}`));
    assert.ok(f.includes(`Facture d’origine ${toB.number}`));
    assert.ok(f.includes(euros(1234)));

    const userB = await login(t.app, pole.userB);
    assert.equal((await get(`/api/invoices/${toB.id}/pdf`, userB)).statusCode, 200, 'B is the buyer');
    const other = await get(`/api/invoices/${toC.id}/pdf`, userB);
    assert.equal(other.statusCode, 404, 'A → C is none of B’s business');
    assert.equal(other.json().error.code, 'invoice.not_found');
    assert.equal((await get('/api/invoices/99999/pdf', coord)).statusCode, 404);
    assert.equal((await get('/api/invoices/abc/pdf', coord)).statusCode, 400);
    assert.equal((await t.app.inject({ url: `/api/invoices/${toB.id}/pdf` })).statusCode, 401);
  });

  it('a statement shows the same shares as the allocation API, provisional while open then final', async () => {
    const userB = await login(t.app, pole.userB);
    const check = async (final: boolean) => {
      const alloc = await get('/api/allocations?month=2026-10', userB);
      assert.equal(alloc.statusCode, 200);
      const rows = (alloc.json().rows as { memberId: number; resourceId: number; shareCents: number; usageMinutes: number }[]).filter((r) => r.memberId === pole.memberB);
      assert.ok(rows.length > 0);
      const text = await pdfOf(`/api/statements/2026-10/${pole.memberB}/pdf`, userB);
      const f = flat(text);
      assert.equal(/PROVISOIRE/.test(text), !final, final ? 'a closed month is final' : 'an open month is marked provisional');
      assert.ok(f.includes('Association Bravo'));
      for (const row of rows) assert.ok(f.includes(euros(row.shareCents)), `share ${euros(row.shareCents)} of resource ${row.resourceId}`);
      const total = rows.reduce((a, r) => a + r.shareCents, 0);
      assert.ok(f.includes(`part totale du membre ${euros(total)}`), f);
      return f;
    };
    const open = await check(false);
    assert.ok(open.includes('elles seront émises à la clôture'));
    const invoices = await close();
    const final = await check(true);
    // B issues its technician invoices and receives accounting's; the net position matches the settlement.
    for (const i of invoices.filter((i) => i.sellerMemberId === pole.memberB || i.buyerMemberId === pole.memberB)) {
      assert.ok(final.includes(i.number), `lists ${i.number}`);
    }
    const settlement = (await get('/api/settlements?month=2026-10', userB)).json();
    const position = settlement.positions.find((p: { memberId: number }) => p.memberId === pole.memberB);
    assert.ok(final.includes(`Position nette (TTC) ${euros(position.netCents)}`), final);

    // Another structure's statement: 404; a coordinator gets any.
    const refused = await get(`/api/statements/2026-10/${pole.memberA}/pdf`, userB);
    assert.equal(refused.statusCode, 404);
    assert.equal((await get(`/api/statements/2026-10/${pole.memberA}/pdf`, coord)).statusCode, 200);
    assert.equal((await get(`/api/statements/2026-13/${pole.memberB}/pdf`, userB)).statusCode, 400);
    assert.equal((await get('/api/statements/2026-10/99999/pdf', coord)).statusCode, 404);
  });

  it('prints an allocation note in French on the bearer’s statement and the pole summary', async () => {
    // C bears a room with a cost and no booking at all: the usage rule falls back to the weights.
    const room = insertResource(t.store, { name: 'Salle de répétition', kind: 'room', bearerMemberId: pole.memberC });
    insertCost(t.store, { resourceId: room, month: '2026-10', amountCents: 60_000, nature: 'rent_or_lease', label: 'Loyer' });
    const note = 'Aucun usage ce mois : réparti selon les pondérations';
    const statement = () => pdfOf(`/api/statements/2026-10/${pole.memberC}/pdf`, coord).then((text) => flat(text));
    assert.ok((await statement()).includes(note), 'provisional statement');
    await close();
    const final = await statement();
    // Under the resource it concerns, in the table of the charges C bears (the cell wraps, so the line follows the amounts).
    assert.match(final, new RegExp(`Charges portées par la structure .* Salle de répétition 600,00 € 300,00 € 300,00 € 0,00 € ${note} Factures émises`), final);
    assert.ok(!/No usage|split by/.test(final), 'no English left');
    // The summary's resource cell wraps beside other columns: read it in content order (no layout).
    const summary = await get('/api/closings/2026-10/pdf', coord);
    assert.ok(flat(pdfText(summary.rawPayload, { layout: false })).includes(`Salle de répétition ${note} Association Charlie`), 'pole summary');

    // A snapshot written before notes were structured prints its sentence as it is (guard lifted to stand for it).
    // The route serves the version stored at the close, so the statement is rendered again as a month closed
    // before versions existed would be on first use.
    t.store.sqlite.exec('DROP TRIGGER allocation_resources_frozen_update');
    t.store.sqlite.prepare("UPDATE allocation_resources SET note = 'Ancienne note libre' WHERE resource_id = ?").run(room);
    const ctx = { store: t.store, db: t.store.db, sqlite: t.store.sqlite, clock: t.clock, config: {} as never };
    const [again] = await renderMonthDocuments(ctx, '2026-10', { summary: false, memberIds: [pole.memberC] });
    assert.match(flat(pdfText(again!.file.body)), /Salle de répétition 600,00 € 300,00 € 300,00 € 0,00 € Ancienne note libre Factures émises/);
  });

  it('the pole summary carries the matrix, costs, utilisation and the settlement plan; coordinators only', async () => {
    const before = flat(await pdfOf('/api/closings/2026-10/pdf', coord));
    assert.ok(before.includes('SYNTHÈSE PROVISOIRE'));
    assert.ok(before.includes('Simulation d’après les factures'), 'an ended open month shows what a close would settle');
    await close();
    const text = await pdfOf('/api/closings/2026-10/pdf', coord);
    const f = flat(text);
    assert.ok(!text.includes('PROVISOIRE'));
    for (const words of ['Coût par ressource', 'Matrice de répartition', 'Utilisation des ressources', 'Plan de règlement', 'Technicien son partagé']) {
      assert.ok(f.includes(words), words);
    }
    assert.ok(f.includes(`Total ${'10 h'} ${euros(100_000)}`) || f.includes(euros(100_000)), 'accounting cost');
    assert.ok(f.includes(euros(380_000)), 'total cost of the month');
    const settlement = (await get('/api/settlements?month=2026-10', coord)).json();
    assert.ok(settlement.transfers.length > 0);
    for (const tr of settlement.transfers) assert.ok(f.includes(euros(tr.amountCents)), `transfer ${euros(tr.amountCents)}`);
    // A member's statement shows the same plan, in the same table.
    const payer = settlement.transfers[0];
    const statement = flat(await pdfOf(`/api/statements/2026-10/${payer.fromMemberId}/pdf`, coord));
    assert.ok(statement.includes('Payeur Bénéficiaire Montant'), 'statement transfer table');
    assert.ok(statement.includes(euros(payer.amountCents)), 'statement transfer amount');
    assert.equal((await get('/api/closings/2026-10/pdf', await login(t.app, pole.adminA))).statusCode, 403);
  });

  it('exports a closed month as one ZIP of every PDF with a manifest', async () => {
    const open = await get('/api/closings/2026-10/export.zip', coord);
    assert.equal(open.statusCode, 409);
    assert.equal(open.json().error.code, 'export.month_open');
    const invoices = await close();
    const res = await get('/api/closings/2026-10/export.zip', coord);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/zip');
    assert.match(String(res.headers['content-disposition']), /attachment; filename="mutualise-2026-10\.zip"/);
    const files = unzipSync(res.rawPayload);
    const names = Object.keys(files).sort();
    for (const i of invoices) {
      assert.ok(names.includes(`mutualise-2026-10/factures/${i.number}.pdf`), i.number);
      assert.ok(names.includes(`mutualise-2026-10/factures/${i.number}.xml`), `${i.number}: its Factur-X XML beside it`);
    }
    assert.ok(names.includes('mutualise-2026-10/synthese-2026-10.pdf'));
    assert.equal(names.filter((n) => n.includes('/releves/')).length, 3, 'one statement per member');
    const manifest = JSON.parse(new TextDecoder().decode(files['mutualise-2026-10/manifest.json']));
    assert.equal(manifest.integrity.ok, true);
    assert.equal(manifest.files.length, names.length - 1);
    for (const entry of manifest.files) {
      const body = files[entry.path]!;
      assert.equal(Buffer.from(body.subarray(0, 5)).toString(), entry.path.endsWith('.xml') ? '<?xml' : '%PDF-');
      assert.equal(createHash('sha256').update(body).digest('hex'), entry.sha256);
    }
    const one = pdfText(files[`mutualise-2026-10/factures/${invoices[0]!.number}.pdf`]!);
    assert.ok(one.includes(invoices[0]!.number));
    assert.equal((await get('/api/closings/2026-10/export.zip', await login(t.app, pole.userA))).statusCode, 403);
  });
});
