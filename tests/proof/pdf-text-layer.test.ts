import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../db/index';
import { seedDemo } from '../../db/demo';
import { defaultConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import { invoiceRepository } from '../../server/invoices/repository';
import { issueCreditNote } from '../../server/invoices/service';
import { manualClock } from '../../server/shared/clock';
import { pdfText } from '../helpers/pdf';

/**
 * Every document's text layer is the same whatever the process rendered before it: documents rendered in one
 * process after a month's export (and after each other) read, through pdftotext, exactly as the same documents
 * rendered alone in a fresh process; so do the PDFs inside the export ZIP. Fresh processes matter: whatever
 * the renderer shares across documents lives for the process.
 */
const NOW = '2026-11-16T10:00:00+01:00';
const exec = promisify(execFile);

describe('PDF text layer, whatever was rendered before', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mutualise-textlayer-'));
  const db = join(dir, 'demo.sqlite');
  const jobs: string[] = [];
  let exportPaths: Record<string, string> = {};

  const render = async (out: string, list: string[]) => {
    await exec(process.execPath, ['--import', 'tsx', 'tests/helpers/render-documents.ts', JSON.stringify({ db, now: NOW, out, jobs: list })], {
      env: { ...process.env, MUTUALISE_LOG_LEVEL: 'silent' },
      timeout: 120_000,
    });
  };

  before(async () => {
    const store = openStore(db);
    const clock = manualClock(NOW);
    await seedDemo(store, { clock });
    const ctx: AppContext = { store, db: store.db, sqlite: store.sqlite, clock, config: { ...defaultConfig, dbPath: db, demo: false } };
    const october = invoiceRepository(store.sqlite).list({ month: '2026-10', kind: 'invoice' });
    assert.ok(october.length >= 2, 'the demo closes October');
    const credited = october[1]!;
    const note = issueCreditNote(ctx, null, credited.id, { amountCents: Math.min(1234, credited.totalExclVatCents) });
    const member = october[0]!.buyerMemberId;
    jobs.push(`invoice:${october[0]!.id}`, `invoice:${credited.id}`, `invoice:${note.id}`);
    jobs.push(`statement:2026-10:${member}`, 'summary:2026-10', `statement:2026-11:${member}`, 'summary:2026-11');
    exportPaths = {
      [`invoice:${october[0]!.id}`]: `factures/${october[0]!.number}.pdf`,
      [`invoice:${credited.id}`]: `factures/${credited.number}.pdf`,
      [`invoice:${note.id}`]: `avoirs/${note.number}.pdf`,
      'summary:2026-10': 'synthese-2026-10.pdf',
    };
    store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the same after an export and after the other documents as alone in a fresh process', async () => {
    const together = join(dir, 'together');
    await render(together, ['export:2026-10', ...jobs, 'export:2026-10']);
    const alone = (job: string) => join(dir, 'alone', job.replaceAll(':', '_'));
    // Two fresh processes at a time: the machine is shared.
    for (let i = 0; i < jobs.length; i += 2) await Promise.all(jobs.slice(i, i + 2).map((job) => render(alone(job), [job])));

    for (const job of jobs) {
      const reference = pdfText(readFileSync(join(alone(job), `${job}.pdf`)));
      assert.match(reference, /[EA]/, `${job} has capitals to lose`);
      assert.equal(pdfText(readFileSync(join(together, `${job}.pdf`))), reference, `${job} after an export and other documents`);
    }
    const exported = join(together, 'export', 'mutualise-2026-10');
    const statements = readdirSync(join(exported, 'releves'));
    assert.ok(statements.length > 1);
    for (const [job, path] of Object.entries(exportPaths)) {
      assert.equal(pdfText(readFileSync(join(exported, path))), pdfText(readFileSync(join(alone(job), `${job}.pdf`))), `${path} inside the ZIP`);
    }
    const statementJob = jobs.find((j) => j.startsWith('statement:2026-10:'))!;
    const aloneStatement = pdfText(readFileSync(join(alone(statementJob), `${statementJob}.pdf`)));
    assert.ok(
      statements.some((f) => pdfText(readFileSync(join(exported, 'releves', f))) === aloneStatement),
      'the member’s statement inside the ZIP reads as alone',
    );
  });
});
