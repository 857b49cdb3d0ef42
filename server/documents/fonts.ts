import * as fontkit from 'fontkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * DejaVu Sans, embedded in every document (pdfkit's built-in Helvetica is not embedded and garbles
 * characters outside WinAnsi: œ, ’, €…). The TTF files are read and parsed once per process: parsing
 * per document costs ~15 ms per face, while handing pdfkit the already parsed fontkit font leaves only
 * the subsetting of the glyphs actually used.
 */
export const FONT_REGULAR = 'DejaVuSans';
export const FONT_BOLD = 'DejaVuSans-Bold';

const fontDir = () => join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

let cache: { regular: fontkit.Font; bold: fontkit.Font } | undefined;

export function loadFonts(): { regular: fontkit.Font; bold: fontkit.Font } {
  if (!cache) {
    const dir = fontDir();
    cache = {
      regular: fontkit.create(readFileSync(join(dir, 'DejaVuSans.ttf'))),
      bold: fontkit.create(readFileSync(join(dir, 'DejaVuSans-Bold.ttf'))),
    };
  }
  return cache;
}
