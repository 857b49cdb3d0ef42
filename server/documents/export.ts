import { createHash } from 'node:crypto';
import { zipSync, type Zippable } from 'fflate';
import { isMonthClosed } from '../closing/freeze';
import { assertMonth } from '../shared/time';
import { checkIntegrity } from '../closing/integrity';
import type { AppContext } from '../context';
import { ciiXml, facturxSource } from '../einvoice/facturx';
import { invoiceRepository } from '../invoices/repository';
import { conflict } from '../shared/errors';
import { frozenDocument } from './frozen';
import { involvedMembers, monthContext, statementName, type RenderedFile } from './service';
import { latestMonthDocument } from './versions';
import { renderStaffStatement, staffStatementData } from '../staff/releve';

export interface ExportProgress {
  done: number;
  total: number;
  file: string;
}

interface ExportJob {
  path: string;
  /** The file at `path`, and any file that comes with it (an invoice's XML beside its PDF). */
  render: () => Promise<Buffer | { path: string; body: Buffer }[]>;
}

const stored = async (body: Promise<Buffer | undefined>): Promise<Buffer> => {
  const b = await body;
  if (!b) throw new Error('a closed month has stored versions of its documents');
  return b;
};

/**
 * Every document of a closed month in one ZIP, as stored: the latest version of the pole summary and of each
 * member's statement, each invoice and credit note as its frozen PDF (Factur-X when the parties allow) with
 * its CII XML beside it (same name, .xml), an invoice billing an employee's time with its relevé de mise à
 * disposition beside it, and a manifest (SHA-256 of every file, the integrity check of the
 * invoice chains). Data is read in one snapshot; files come one after the other, yielding between them.
 */
export async function exportMonth(ctx: AppContext, month: string, onProgress?: (p: ExportProgress) => void): Promise<RenderedFile & { files: number; einvoiceXmls: number }> {
  assertMonth(month);
  const { jobs, generatedAt, integrity, root } = ctx.sqlite.transaction(() => {
    if (!isMonthClosed(ctx.sqlite, month)) throw conflict('export.month_open', `${month} is not closed: only a closed month can be exported`, { month });
    const m = monthContext(ctx, month);
    const root = `mutualise-${month}`;
    const repo = invoiceRepository(ctx.sqlite);
    const jobs: ExportJob[] = [{ path: `${root}/synthese-${month}.pdf`, render: () => stored(latestMonthDocument(ctx, month, 'summary', 0)) }];
    for (const id of involvedMembers(m)) {
      jobs.push({ path: `${root}/releves/${statementName(month, m.members.get(id)!)}`, render: () => stored(latestMonthDocument(ctx, month, 'statement', id)) });
    }
    for (const record of m.invoices) {
      const path = `${root}/${record.kind === 'credit_note' ? 'avoirs' : 'factures'}/${record.number}`;
      const source = facturxSource(record, (i) => repo.find(i));
      // An invoice billing an employee's time comes with its relevé de mise à disposition (same name, -releve-mise-a-disposition.pdf).
      const releve = record.kind === 'invoice' ? staffStatementData(ctx, record) : null;
      jobs.push({
        path: `${path}.pdf`,
        render: async () => {
          const frozen = await frozenDocument(ctx, record.id);
          return [
            { path: `${path}.pdf`, body: frozen.pdf },
            { path: `${path}.xml`, body: frozen.xml ?? ciiXml(source) },
            ...(releve ? [{ path: `${path}-releve-mise-a-disposition.pdf`, body: await renderStaffStatement(releve) }] : []),
          ];
        },
      });
    }
    return { jobs, generatedAt: m.now, integrity: checkIntegrity(ctx), root };
  })();

  const zip: Zippable = {};
  const manifest: { path: string; bytes: number; sha256: string }[] = [];
  const mtime = new Date(generatedAt);
  let xmls = 0;
  for (const [i, job] of jobs.entries()) {
    const rendered = await job.render();
    for (const { path, body } of Buffer.isBuffer(rendered) ? [{ path: job.path, body: rendered }] : rendered) {
      // PDFs are already compressed: store them as they are; XML compresses well.
      zip[path] = [body, { level: path.endsWith('.xml') ? 6 : 0, mtime }];
      manifest.push({ path, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') });
      if (path.endsWith('.xml')) xmls++;
    }
    onProgress?.({ done: i + 1, total: jobs.length, file: job.path });
    await new Promise((resolve) => setImmediate(resolve));
  }
  const manifestJson = JSON.stringify({ month, generatedAt: new Date(generatedAt).toISOString(), integrity, files: manifest }, null, 2);
  zip[`${root}/manifest.json`] = [new TextEncoder().encode(manifestJson), { level: 6, mtime }];
  const body = Buffer.from(zipSync(zip));
  return { filename: `${root}.zip`, contentType: 'application/zip', body, files: jobs.length, einvoiceXmls: xmls };
}
