import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The text of a PDF as poppler's pdftotext reads it (an independent reader), with no-break spaces turned
 * into plain spaces so that amounts compare as "1 234,56 €". Pages are separated by form feeds.
 */
export function pdfText(pdf: Buffer | Uint8Array, options: { layout?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'mutualise-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    const args = [...(options.layout === false ? [] : ['-layout']), '-enc', 'UTF-8', file, '-'];
    return execFileSync('pdftotext', args, { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Page count as pdfinfo reports it. */
export function pdfPages(pdf: Buffer | Uint8Array): number {
  const dir = mkdtempSync(join(tmpdir(), 'mutualise-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
