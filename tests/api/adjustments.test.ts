import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, dbFingerprint, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { insertBooking, insertCost, seedOctober } from '../helpers/closing';
import { validateEinvoices } from '../helpers/einvoice';
import { pdfText } from '../helpers/pdf';
import { euros as eurosNbsp } from '../../server/documents/format';
import { ok, refused, sendAs } from '../helpers/inject';

/**
 * Adjustments to a closed month (issue #11). The test pole (tests/helpers/closing.ts seedOctober): A bears the
 * accounting service (1 000 €, used A 2 h, B 3 h, C 5 h), B bears a shared technician (2 000 € salary + 800 €
 * charges, 8 paid hours, made available A 4 h, C 4 h). October is closed on 16 November, November on
 * 2 December; the late and corrected October costs come after that, on 3 December.
 */

interface Doc {
  id: number;
  number: string;
  kind: 'invoice' | 'credit_note';
  sellerMemberId: number;
  buyerMemberId: number;
  issueDate: string;
  month: string;
  totalExclVatCents: number;
  totalVatCents: number;
  totalInclVatCents: number;
  creditedInvoiceId: number | null;
  lines: { resourceId: number | null; nature: string | null; totalExclVatCents: number; creditedLine?: number; vatRate: number; vatCategory?: string }[];
  mentions: { costSharing: string | null; creditNote: string | null };
  hash: string;
}
interface Line {
  resourceId: number | null;
  costCents: number;
  invoicedNetCents: number;
  creditNotesCents: number;
  ownShareCents: number;
  keptByBearerCents: number;
  revenueTitlesCents: number;
  adjustmentsCents: number;
  differenceCents: number;
}

const euros = (cents: number) => eurosNbsp(cents).replace(/\u00a0/g, ' ');
const seqOf = (number: string) => Number(number.slice(-4));
const prefixOf = (number: string) => number.slice(0, 4);

describe('adjustments to a closed month', () => {
  let dir: string;
  let db: string;
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let res: { accounting: number; technician: number };
  const send = sendAs(() => t.app);
  const post = (url: string, payload: unknown) => send('POST', url, coord, payload);
  const get = (url: string) => send('GET', url, coord);
  const docsOf = async (month: string) => ok(await get(`/api/invoices?month=${month}`)).items as Doc[];
  const reconciliation = async (month: string) => ok(await get(`/api/closings/${month}`)).reconciliation as { resources: Line[]; total: Line };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mutualise-adjust-'));
    db = join(dir, 'pole.sqlite');
    t = await buildTestApp({ dbPath: db, now: '2026-11-16T10:00:00+01:00' });
    pole = await seedPole(t.store);
    res = seedOctober(t.store, pole);
    coord = await login(t.app, pole.coordinator);
    ok(await post('/api/closings', { month: '2026-10' }), 201);
    // November: the accounting service again (B 4 h, C 6 h), 500 €.
    const u = pole.userIds[pole.coordinator]!;
    insertBooking(t.store, { resourceId: res.accounting, memberId: pole.memberB, userId: u, start: '2026-11-03T09:00:00+01:00', end: '2026-11-03T13:00:00+01:00' });
    insertBooking(t.store, { resourceId: res.accounting, memberId: pole.memberC, userId: u, start: '2026-11-04T09:00:00+01:00', end: '2026-11-04T15:00:00+01:00' });
    insertCost(t.store, { resourceId: res.accounting, month: '2026-11', amountCents: 50_000, nature: 'subscription' });
    t.clock.set('2026-12-02T10:00:00+01:00');
    coord = await login(t.app, pole.coordinator);
    ok(await post('/api/closings', { month: '2026-11' }), 201);
    t.clock.set('2026-12-03T10:00:00+01:00');
    coord = await login(t.app, pole.coordinator);
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const lateAccounting = () => ({ resourceId: res.accounting, costs: [{ label: 'Honoraires de septembre reçus en retard', nature: 'subscription', amountCents: 20_000 }] });

  it('previews exactly what it then issues, and the preview writes nothing', async () => {
    const before = dbFingerprint(t.store);
    const preview = ok(await post('/api/closings/2026-10/adjustments/preview', lateAccounting()));
    assert.deepEqual(ok(await post('/api/closings/2026-10/adjustments/preview', lateAccounting())), preview, 'repeatable');
    assert.equal(dbFingerprint(t.store), before, 'a preview writes nothing');
    assert.equal(preview.id, null);
    assert.ok(preview.documents.length > 0);
    assert.ok(preview.documents.every((d: { id: unknown }) => d.id === null));
    (t as unknown as { preview: unknown }).preview = preview;
  });

  it('late October cost numbered after November: exactly its shares, as supplementary invoices of October', async () => {
    const preview = (t as unknown as { preview: { documents: Doc[] } }).preview;
    const november = await docsOf('2026-11');
    const octoberBefore = await docsOf('2026-10');
    const issued = ok(await post('/api/closings/2026-10/adjustments', lateAccounting()), 201);
    assert.ok(Number.isInteger(issued.id));
    const docs = issued.documents as Doc[];
    // What the preview showed, to the number and hash.
    assert.deepEqual(
      docs.map((d) => [d.number, d.hash, d.totalInclVatCents]),
      preview.documents.map((d) => [d.number, d.hash, d.totalInclVatCents]),
    );
    // 200 € by usage (A 2 h, B 3 h, C 5 h): A keeps its own 40 €, B is billed 60 € + 20 % VAT, C 100 € under 261 B.
    assert.deepEqual(
      docs.map((d) => [d.kind, d.sellerMemberId, d.buyerMemberId, d.totalExclVatCents, d.totalVatCents]),
      [
        ['invoice', pole.memberA, pole.memberB, 6_000, 1_200],
        ['invoice', pole.memberA, pole.memberC, 10_000, 0],
      ],
    );
    const lastNovember = Math.max(...november.filter((d) => prefixOf(d.number) === 'ALPH').map((d) => seqOf(d.number)));
    assert.deepEqual(
      docs.map((d) => d.number),
      [lastNovember + 1, lastNovember + 2].map((s) => `ALPH-2026-${String(s).padStart(4, '0')}`),
      'numbered in the current series, right after November’s',
    );
    for (const d of docs) {
      assert.equal(d.month, '2026-10', 'they bill October');
      assert.equal(d.issueDate, '2026-12-03');
      assert.match(d.mentions.costSharing!, /^Régularisation d’octobre 2026 : facture complémentaire/);
      assert.ok(d.lines.every((l) => l.resourceId === res.accounting && l.nature === 'subscription'));
    }
    const octoberAfter = await docsOf('2026-10');
    assert.equal(octoberAfter.length, octoberBefore.length + 2);
    const closed = ok(await get('/api/closings/2026-10'));
    assert.equal(closed.adjustments.length, 1);
    assert.equal(closed.adjustments[0].costDeltaCents, 20_000);
    assert.deepEqual(closed.adjustments[0].documents.map((d: { number: string }) => d.number), docs.map((d) => d.number));
  });

  it('a corrected (lower) amount issues credit notes that name their lines, and only those', async () => {
    const salary = t.store.sqlite.prepare("SELECT id FROM costs WHERE resource_id = ? AND month = '2026-10' AND nature = 'salary'").pluck().get(res.technician) as number;
    const body = { resourceId: res.technician, costs: [{ costId: salary, amountCents: 160_000 }], reason: 'Bulletin de paie rectifié' };
    const adjustment = ok(await post('/api/closings/2026-10/adjustments', body), 201);
    const notes = adjustment.documents as Doc[];
    // 2 400 € over 8 h made available (A 4 h, C 4 h): each share loses 200 € of salary; the charges stay.
    assert.deepEqual(
      notes.map((d) => [d.kind, d.sellerMemberId, d.buyerMemberId, d.totalExclVatCents, d.totalVatCents]),
      [
        ['credit_note', pole.memberB, pole.memberA, 20_000, 4_000],
        ['credit_note', pole.memberB, pole.memberC, 20_000, 4_000],
      ],
    );
    const october = await docsOf('2026-10');
    for (const note of notes) {
      const invoice = october.find((d) => d.id === note.creditedInvoiceId)!;
      assert.equal(invoice.kind, 'invoice');
      assert.equal(note.lines.length, 1, 'one line named, none spread over the charges');
      const line = note.lines[0]!;
      assert.equal(invoice.lines[line.creditedLine!]!.nature, 'salary');
      assert.equal(line.nature, 'salary');
      assert.match(note.mentions.creditNote!, new RegExp(`^Avoir sur la facture n° ${invoice.number} du 16/11/2026, à déduire de son montant\\. Régularisation d’octobre 2026\\. Motif : Bulletin de paie rectifié$`));
    }
    assert.deepEqual(adjustment.deltas.map((d: { deltaCents: number }) => d.deltaCents), [-20_000, -20_000]);
    assert.equal(adjustment.costBeforeCents - adjustment.costAfterCents, 40_000);
  });

  it('a corrected share on an issued invoice: a supplement up, a credit note naming its line down', async () => {
    const october = await docsOf('2026-10');
    const aToC = october.find((d) => d.kind === 'invoice' && d.sellerMemberId === pole.memberA && d.buyerMemberId === pole.memberC && !d.mentions.costSharing?.startsWith('Régularisation'))!;
    assert.equal(aToC.lines[0]!.totalExclVatCents, 50_000);
    const down = ok(await post('/api/closings/2026-10/adjustments', { invoiceId: aToC.id, lines: [{ line: 0, amountCents: 45_000 }] }), 201);
    assert.deepEqual(down.documents.map((d: Doc) => [d.kind, d.creditedInvoiceId, d.totalExclVatCents, d.lines[0]!.creditedLine]), [['credit_note', aToC.id, 5_000, 0]]);
    const up = ok(await post('/api/closings/2026-10/adjustments', { invoiceId: aToC.id, lines: [{ line: 0, amountCents: 47_000 }] }), 201);
    assert.deepEqual(up.documents.map((d: Doc) => [d.kind, d.totalExclVatCents, d.lines[0]!.vatCategory, d.lines[0]!.resourceId]), [['invoice', 2_000, 'E', res.accounting]]);
    refused(await post('/api/closings/2026-10/adjustments', { invoiceId: aToC.id, lines: [{ line: 0, amountCents: 47_000 }] }), 422, 'adjustment.nothing_to_adjust');
  });

  it('the month still reconciles to the cent, per resource and in total, the adjustments netted out', async () => {
    const r = await reconciliation('2026-10');
    const october = await docsOf('2026-10');
    const adjusting = new Set((ok(await get('/api/closings/2026-10')).adjustments as { documents: { id: number }[] }[]).flatMap((a) => a.documents.map((d) => d.id)));
    const net = october.filter((d) => adjusting.has(d.id)).reduce((a, d) => a + (d.kind === 'credit_note' ? -1 : 1) * d.totalExclVatCents, 0);
    assert.equal(r.total.adjustmentsCents, net);
    assert.notEqual(net, 0);
    for (const l of [...r.resources, r.total]) {
      assert.equal(l.differenceCents, 0, `resource ${l.resourceId}`);
      assert.equal(l.invoicedNetCents + l.creditNotesCents + l.ownShareCents + l.keptByBearerCents + l.revenueTitlesCents - l.adjustmentsCents, l.costCents);
    }
    // The pole summary (its latest version) ends with the same figures.
    const text = pdfText((await get('/api/closings/2026-10/pdf')).rawPayload).replace(/\s+/g, ' ');
    const t0 = r.total;
    const total = `Total ${[t0.costCents, t0.invoicedNetCents, t0.creditNotesCents, t0.ownShareCents, t0.keptByBearerCents, t0.revenueTitlesCents, t0.adjustmentsCents, t0.differenceCents].map(euros).join(' ')}`;
    assert.ok(text.includes(total), `${total}\n${text}`);
    // The pole summary got a new version for each adjustment.
    const versions = ok(await get('/api/closings/2026-10/versions')) as { kind: string; version: number; reason: string }[] | { items: unknown[] };
    const list = (Array.isArray(versions) ? versions : versions.items) as { kind: string; version: number; reason: string }[];
    const summaries = list.filter((v) => v.kind === 'summary');
    assert.ok(summaries.filter((v) => v.reason === 'adjustment').length >= 4, JSON.stringify(summaries));
  });

  it('npm run verify passes on the database file after the adjustments; every document is frozen, its Factur-X valid', async () => {
    const integrity = ok(await get('/api/integrity'));
    assert.equal(integrity.ok, true, JSON.stringify(integrity.problems));
    const verify = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify.ts'], { env: { ...process.env, MUTUALISE_DB: db }, encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stderr);
    assert.match(verify.stdout, /^OK: /);
    const adjusting = (ok(await get('/api/closings/2026-10')).adjustments as { documents: { id: number; number: string }[] }[]).flatMap((a) => a.documents);
    const files = [];
    for (const d of adjusting) {
      const pdf = await get(`/api/invoices/${d.id}/pdf`);
      assert.equal(pdf.statusCode, 200);
      files.push({ name: `${d.number}.pdf`, body: pdf.rawPayload });
    }
    const results = validateEinvoices(files);
    for (const [name, v] of results) assert.ok(v.ok, `${name}: ${v.problems.join('; ')}`);
    const frozen = t.store.sqlite.prepare("SELECT count(*) FROM issued_documents WHERE frozen_how = 'issue' AND invoice_id IN (SELECT invoice_id FROM adjustment_documents)").pluck().get();
    assert.equal(frozen, adjusting.length);
  });

  it('mails the documents to each structure’s billing address, as the close does', () => {
    const mails = t.store.sqlite.prepare("SELECT to_address AS toAddress, payload FROM outbox WHERE message_id LIKE '<adjustment.%' ORDER BY id").all() as { toAddress: string; payload: string }[];
    assert.ok(mails.some((m) => m.toAddress === 'compta@bravo.test'));
    const first = JSON.parse(mails[0]!.payload) as { adjustment: string; month: string };
    assert.equal(first.adjustment, 'Régularisation d’octobre 2026');
    assert.equal(first.month, '2026-10');
  });

  it('refuses bad input with a clear 4xx and writes nothing', async () => {
    const invoice = (await docsOf('2026-10')).find((d) => d.kind === 'invoice')!;
    const note = (await docsOf('2026-10')).find((d) => d.kind === 'credit_note')!;
    const salary = t.store.sqlite.prepare("SELECT id FROM costs WHERE resource_id = ? AND month = '2026-10' AND nature = 'salary'").pluck().get(res.technician) as number;
    const cases: [string, unknown, number, string][] = [
      ['2026-12', lateAccounting(), 409, 'adjustment.month_not_closed'],
      ['2026-10', { resourceId: 9999, costs: lateAccounting().costs }, 404, 'resource.not_found'],
      ['2026-10', { invoiceId: 9999, lines: [{ line: 0, amountCents: 1 }] }, 404, 'invoice.not_found'],
      // The salary was corrected to 1 600 € above: the same amount again changes nothing.
      ['2026-10', { resourceId: res.technician, costs: [{ costId: salary, amountCents: 160_000 }] }, 422, 'adjustment.nothing_to_adjust'],
      ['2026-10', { resourceId: res.technician, costs: [{ costId: 9999, amountCents: 1 }] }, 404, 'cost.not_found'],
      ['2026-10', { resourceId: res.accounting, costs: [{ label: 'Frais', nature: 'management_fees', amountCents: 100 }] }, 422, 'cost.nature_not_allowed'],
      ['2026-10', { resourceId: res.accounting, costs: [{ amountCents: 100 }] }, 400, 'adjustment.cost_incomplete'],
      ['2026-10', { resourceId: res.accounting, costs: [{ label: 'Rien', nature: 'other', amountCents: 0 }] }, 422, 'adjustment.invalid_amount'],
      ['2026-10', { ...lateAccounting(), invoiceId: invoice.id }, 400, 'adjustment.ambiguous'],
      ['2026-10', {}, 400, 'adjustment.ambiguous'],
      ['2026-10', { resourceId: res.accounting }, 400, 'adjustment.incomplete'],
      ['2026-10', { invoiceId: invoice.id, lines: [{ line: 0, amountCents: 1 }, { line: 0, amountCents: 2 }] }, 400, 'adjustment.duplicate_line'],
      ['2026-10', { invoiceId: invoice.id, lines: [{ line: 99, amountCents: 1 }] }, 422, 'adjustment.unknown_line'],
      ['2026-10', { invoiceId: note.id, lines: [{ line: 0, amountCents: 1 }] }, 422, 'adjustment.not_an_invoice'],
      ['2026-11', { invoiceId: invoice.id, lines: [{ line: 0, amountCents: 1 }] }, 422, 'adjustment.other_month'],
      ['2026-10', { resourceId: res.accounting, costs: [{ label: 'x', nature: 'other', amountCents: -5 }] }, 400, 'validation.failed'],
      ['2026-13', lateAccounting(), 400, 'validation.failed'],
    ];
    // One fingerprint around them all (the stored PDFs make it slow): a write by any would show.
    const before = dbFingerprint(t.store);
    for (const [month, body, status, code] of cases) {
      for (const path of ['adjustments', 'adjustments/preview']) {
        const res = await post(`/api/closings/${month}/${path}`, body);
        assert.equal(res.statusCode, status, `${path} ${JSON.stringify(body)}: ${res.body}`);
        if (code !== 'validation.failed') assert.equal(res.json().error.code, code, res.body);
      }
    }
    assert.equal(dbFingerprint(t.store), before, 'no refused request wrote anything');
  });

  it('is all or nothing: a failure after the documents are written leaves no number used', async () => {
    const preview = ok(await post('/api/closings/2026-10/adjustments/preview', lateAccounting()));
    const before = dbFingerprint(t.store);
    // The last write of the transaction fails (as a crash before the commit would).
    t.store.sqlite.exec("CREATE TEMP TRIGGER adjustment_fails BEFORE INSERT ON adjustment_documents BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    try {
      const failed = await post('/api/closings/2026-10/adjustments', lateAccounting());
      assert.equal(failed.statusCode, 500);
    } finally {
      t.store.sqlite.exec('DROP TRIGGER adjustment_fails');
    }
    assert.equal(dbFingerprint(t.store), before, 'no document, counter, adjustment or mail was left behind');
    const issued = ok(await post('/api/closings/2026-10/adjustments', lateAccounting()), 201);
    assert.deepEqual(issued.documents.map((d: Doc) => d.number), preview.documents.map((d: Doc) => d.number), 'the numbers the failed attempt would have used are the next ones: no gap');
    assert.equal(ok(await get('/api/integrity')).ok, true);
  });

  it('is for coordinators only', async () => {
    const cookies = [await login(t.app, pole.userA), await login(t.app, pole.adminB)];
    const before = dbFingerprint(t.store);
    for (const cookie of cookies) {
      for (const path of ['adjustments', 'adjustments/preview']) {
        refused(await send('POST', `/api/closings/2026-10/${path}`, cookie, lateAccounting()), 403, 'access.forbidden');
      }
    }
    assert.equal(dbFingerprint(t.store), before);
  });
});
