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
    const regular = fontkit.create(readFileSync(join(dir, 'DejaVuSans.ttf')));
    const bold = fontkit.create(readFileSync(join(dir, 'DejaVuSans-Bold.ttf')));
    memoiseGlyphDecoding(regular);
    cache = { regular, bold };
  }
  return cache;
}

const decoded = new WeakMap<object, unknown>();
interface GlyphInternals {
  _font: { _variationProcessor?: unknown };
}

/**
 * Every document embeds a subset of the font, and fontkit's subsetter decodes each glyph's outline again for
 * every document (only to learn whether it is a composite). The decoded outline of a static (non-variable)
 * TrueType glyph never changes and is only read, so it is kept per glyph object. If a fontkit release
 * renames the method, this does nothing and the documents are only slower.
 */
function memoiseGlyphDecoding(font: fontkit.Font): void {
  const proto = Object.getPrototypeOf(font.getGlyph(0)) as { _decode?: (this: GlyphInternals) => unknown; __memoised?: true };
  if (typeof proto._decode !== 'function' || proto.__memoised) return;
  const original = proto._decode;
  proto._decode = function (this: GlyphInternals) {
    if (this._font._variationProcessor) return original.call(this);
    if (!decoded.has(this)) decoded.set(this, original.call(this));
    return decoded.get(this);
  };
  proto.__memoised = true;
}

/** Words shaped once per process are kept up to about this many per face; then the cache starts afresh. */
const LAYOUT_CACHE_LIMIT = 50_000;
const layoutCaches = new Map<string, { runs: Record<string, unknown>; docs: number }>();

/**
 * pdfkit shapes text word by word through fontkit's OpenType engine (GSUB/GPOS), the bulk of a document's
 * cost, and caches the shaped words per document only. Documents repeat the same words (names, labels,
 * headers), so every document's embedded font of a face shares one process-wide cache. pdfkit only reads the
 * cached runs (already scaled to its 1000-unit space, the same for every document). Without the expected
 * `layoutCache` property (another pdfkit release) this does nothing and the documents are only slower.
 */
export function shareLayoutCache(embeddedFont: unknown, face: string): void {
  const font = embeddedFont as { layoutCache?: Record<string, unknown> } | null;
  if (!font || typeof font.layoutCache !== 'object' || font.layoutCache === null) return;
  let shared = layoutCaches.get(face);
  if (!shared || (++shared.docs % 200 === 0 && Object.keys(shared.runs).length > LAYOUT_CACHE_LIMIT)) {
    shared = { runs: Object.create(null) as Record<string, unknown>, docs: 0 };
    layoutCaches.set(face, shared);
  }
  font.layoutCache = shared.runs;
}
