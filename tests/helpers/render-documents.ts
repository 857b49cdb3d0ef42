/**
 * Child process of the text-layer proof: renders documents of a database file, in the order given, in this one
 * process, and writes each PDF into a directory. Each job is `export:<month>` (every PDF of the month's ZIP,
 * under export/<path in the ZIP>), `invoice:<id>`, `statement:<month>:<memberId>` or `summary:<month>`.
 * Usage: node --import tsx tests/helpers/render-documents.ts '<json {db, now, out, jobs}>'
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { openStore } from '../../db/index';
import { defaultConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import { exportMonth } from '../../server/documents/export';
import { invoicePdf } from '../../server/documents/service';
import { currentStatementPdf, currentSummaryPdf } from '../../server/documents/versions';
import type { Actor } from '../../server/shared/actor';
import { manualClock } from '../../server/shared/clock';

const { db, now, out, jobs } = JSON.parse(process.argv[2] ?? '{}') as { db: string; now: string; out: string; jobs: string[] };
const store = openStore(db);
const ctx: AppContext = { store, db: store.db, sqlite: store.sqlite, clock: manualClock(now), config: { ...defaultConfig, dbPath: db, demo: false } };
const coordinator: Actor = { userId: 0, role: 'coordinator', memberId: null, email: 'proof@test', name: 'proof', sessionId: 'proof' };

const save = (name: string, body: Buffer | Uint8Array) => {
  const path = join(out, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, body);
};

for (const job of jobs) {
  const [kind, a, b] = job.split(':');
  if (kind === 'export') {
    const zip = await exportMonth(ctx, a!);
    for (const [path, body] of Object.entries(unzipSync(zip.body))) if (path.endsWith('.pdf')) save(`export/${path}`, body);
  } else if (kind === 'invoice') save(`${job}.pdf`, (await invoicePdf(ctx, coordinator, Number(a))).body);
  else if (kind === 'statement') save(`${job}.pdf`, (await currentStatementPdf(ctx, coordinator, a!, Number(b))).body);
  else if (kind === 'summary') save(`${job}.pdf`, (await currentSummaryPdf(ctx, a!)).body);
  else throw new Error(`unknown job ${job}`);
}
store.close();
