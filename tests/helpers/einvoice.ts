import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared Factur-X validation kit (XSD + EN 16931 and BR-FR schematrons, validate.mjs) as a platform would
 * apply it. In CI, shared/ sits beside the clone (../shared); on a developer machine it may only be at
 * /work/shared. Files are validated in ONE run of validate.mjs (SaxonJS loads the rule sets once per run).
 */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EINVOICE_KIT = [resolve(REPO_ROOT, '..', 'shared', 'einvoice'), '/work/shared/einvoice'].find((dir) => existsSync(join(dir, 'validate.mjs')));

export interface Validation {
  file: string;
  ok: boolean;
  problems: string[];
}

/** Validates the given buffers (named `*.xml` or `*.pdf`), in one run; results in the input's order, keyed by name. */
export function validateEinvoices(files: { name: string; body: Buffer | Uint8Array }[]): Map<string, Validation> {
  if (!EINVOICE_KIT) throw new Error('Factur-X kit not found at ../shared/einvoice or /work/shared/einvoice');
  const dir = mkdtempSync(join(tmpdir(), 'mutualise-einvoice-'));
  try {
    const paths = files.map((f, i) => {
      const path = join(dir, `${String(i).padStart(3, '0')}-${f.name.replace(/[^\w.-]/g, '_')}`);
      writeFileSync(path, f.body);
      return path;
    });
    let stdout: string;
    try {
      stdout = execFileSync(process.execPath, [join(EINVOICE_KIT, 'validate.mjs'), '--json', ...paths], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
    } catch (err) {
      const e = err as { status?: number; stdout?: string; stderr?: string };
      if (e.status !== 1 || !e.stdout) throw new Error(`validate.mjs failed to run (${e.status}): ${e.stderr ?? ''}`, { cause: err });
      stdout = e.stdout;
    }
    const results = stdout.trim().split('\n').map((l) => JSON.parse(l) as Validation);
    if (results.length !== files.length) throw new Error(`validate.mjs answered for ${results.length} of ${files.length} files`);
    return new Map(files.map((f, i) => [f.name, results[i]!]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a poppler tool on a PDF buffer and returns its output. */
export function poppler(tool: 'pdffonts' | 'pdfdetach' | 'pdfinfo', pdf: Buffer | Uint8Array, args: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'mutualise-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return execFileSync(tool, [...args, file], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The embedded factur-x.xml of a PDF, as poppler's pdfdetach extracts it (null when there is none). */
export function embeddedXml(pdf: Buffer | Uint8Array): Buffer | null {
  const dir = mkdtempSync(join(tmpdir(), 'mutualise-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    const out = join(dir, 'out.xml');
    try {
      execFileSync('pdfdetach', ['-savefile', 'factur-x.xml', '-o', out, file], { stdio: 'pipe' });
    } catch {
      return null;
    }
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fonts pdffonts lists, with whether each is embedded. */
export function pdfFonts(pdf: Buffer | Uint8Array): { name: string; embedded: boolean }[] {
  return poppler('pdffonts', pdf)
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      // name type… encoding emb sub uni object ID: emb is the 5th column from the end.
      return { name: cols[0]!, embedded: cols[cols.length - 5] === 'yes' };
    });
}
