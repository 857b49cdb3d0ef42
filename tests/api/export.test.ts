import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import { openStore } from '../../db/index';
import { defaultConfig } from '../../server/config';
import { closeMonth } from '../../server/closing/service';
import { exportMonth, type ExportProgress } from '../../server/documents/export';
import { ensurePole } from '../../server/pole/repository';
import { manualClock } from '../../server/shared/clock';
import { seedPole } from '../helpers/app';
import { seedOctober } from '../helpers/closing';
import { embeddedXml } from '../helpers/einvoice';
import { pdfText } from '../helpers/pdf';

/** `npm run export` on a database file, as an operator runs it (a child process, like `npm run export -- …`). */
describe('export of a closed month', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mutualise-export-'));
  const db = join(dir, 'pole.sqlite');
  let invoiceNumbers: string[] = [];

  before(async () => {
    const store = openStore(db);
    ensurePole(store);
    const pole = await seedPole(store);
    seedOctober(store, pole);
    const ctx = { store, db: store.db, sqlite: store.sqlite, clock: manualClock('2026-11-16T10:00:00+01:00'), config: { ...defaultConfig, dbPath: db } };
    invoiceNumbers = closeMonth(ctx, { month: '2026-10', actor: null }).invoices.map((i) => i.number);
    // The same export in-process reports its progress file by file.
    const seen: ExportProgress[] = [];
    const zip = await exportMonth(ctx, '2026-10', (p) => seen.push(p));
    assert.deepEqual(seen.map((p) => p.done), Array.from({ length: zip.files }, (_, i) => i + 1));
    assert.ok(seen.every((p) => p.total === zip.files));
    store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/export.ts', ...args], {
      encoding: 'utf8',
      env: { ...process.env, MUTUALISE_DB: db, NO_COLOR: '1' },
      timeout: 60_000,
    });

  it('writes the ZIP (and the PDFs with --pdfs), reporting progress file by file', () => {
    const out = join(dir, 'out');
    const res = run('--month', '2026-10', '--out', out, '--pdfs');
    assert.equal(res.status, 0, res.stderr);
    const zipPath = join(out, 'mutualise-2026-10.zip');
    assert.ok(res.stdout.includes(zipPath));
    const files = unzipSync(readFileSync(zipPath));
    const pdfs = Object.keys(files).filter((f) => f.endsWith('.pdf'));
    assert.equal(pdfs.length, 1 + 3 + invoiceNumbers.length, 'summary, three statements, every invoice');
    // Not a terminal: one progress line per file, numbered up to the total.
    const lines = res.stderr.split('\n').filter((l) => /^\[\s*\d+\/\d+\]/.test(l));
    assert.equal(lines.length, pdfs.length);
    assert.match(lines.at(-1)!, new RegExp(`^\\[${pdfs.length}/${pdfs.length}\\] `));
    for (const number of invoiceNumbers) {
      const loose = join(out, 'mutualise-2026-10', 'factures', `${number}.pdf`);
      assert.ok(existsSync(loose), loose);
      assert.ok(pdfText(readFileSync(loose)).includes(number));
      // The Factur-X XML beside the PDF: the very file the PDF carries, listed in the manifest.
      const xml = files[`mutualise-2026-10/factures/${number}.xml`];
      assert.ok(xml, `${number}.xml`);
      assert.ok(embeddedXml(readFileSync(loose))?.equals(Buffer.from(xml)), `${number}: the XML beside it is the embedded one`);
    }
    const manifest = JSON.parse(new TextDecoder().decode(files['mutualise-2026-10/manifest.json'])) as { files: { path: string }[] };
    assert.equal(manifest.files.filter((f) => f.path.endsWith('.xml')).length, invoiceNumbers.length);
    assert.match(res.stdout, new RegExp(`${pdfs.length} PDF\\(s\\) and ${invoiceNumbers.length} Factur-X XML`));
  });

  it('refuses an open month (exit 3) and a malformed one (exit 2), writing nothing', () => {
    const out = join(dir, 'refused');
    const open = run('--month', '2026-11', '--out', out);
    assert.equal(open.status, 3);
    assert.match(open.stderr, /export\.month_open/);
    const bad = run('--month', '2026-13', '--out', out);
    assert.equal(bad.status, 2);
    assert.ok(!existsSync(out));
  });
});
