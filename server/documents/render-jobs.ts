import { renderIssuedDocument, type IssuedFiles, type SealedDocument } from './issued';
import { renderStatementPdf, type StatementData } from './statement';
import { renderSummaryPdf, type SummaryData } from './summary';

/**
 * What a render worker can be asked: plain data in (structured-clonable), bytes out. Rendering depends on
 * nothing else (no database, no clock), which is what makes it safe to run in another thread.
 */
export type RenderJob =
  | { kind: 'issued'; sealed: SealedDocument; poleName: string }
  | { kind: 'statement'; data: StatementData }
  | { kind: 'summary'; data: SummaryData };

export type RenderResult<J extends RenderJob> = J extends { kind: 'issued' } ? IssuedFiles : Buffer;

export async function runRenderJob<J extends RenderJob>(job: J): Promise<RenderResult<J>> {
  switch (job.kind) {
    case 'issued':
      return (await renderIssuedDocument(job.sealed, job.poleName)) as RenderResult<J>;
    case 'statement':
      return (await renderStatementPdf(job.data)) as RenderResult<J>;
    case 'summary':
      return (await renderSummaryPdf(job.data)) as RenderResult<J>;
  }
}
