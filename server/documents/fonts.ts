import * as fontkit from 'fontkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BUNDLED_FONTS } from '../shared/paths';

/**
 * DejaVu Sans, embedded in every document (pdfkit's built-in Helvetica is not embedded and garbles
 * characters outside WinAnsi: œ, ’, €…). The TTF files are read and parsed once per process: parsing
 * per document costs ~15 ms per face, while handing pdfkit the already parsed fontkit font leaves only
 * the subsetting of the glyphs actually used.
 *
 * Sharing a parsed font across documents shares its glyph objects, and pdfkit writes a document's text
 * layer (ToUnicode) from `glyph.codePoints`, which fontkit fixes when it first creates the glyph. fontkit's
 * subsetter creates the components of composite glyphs (E in É, A in À) with no code points at all, so a
 * document with « É » used to strip E of its text for every later document of the process. Hence
 * `fixGlyphCodePoints`: a document's text layer depends on its own text only.
 */
export const FONT_REGULAR = 'DejaVuSans';
export const FONT_BOLD = 'DejaVuSans-Bold';

const fontDir = () => BUNDLED_FONTS ?? join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export interface Fonts {
  regular: fontkit.Font;
  bold: fontkit.Font;
}

let cache: Fonts | undefined;

/** The fonts every document shares (parsed once per process). */
export function loadFonts(): Fonts {
  return (cache ??= parseFonts(true));
}

/**
 * Freshly parsed fonts that nothing else touches: what pdfkit does when a document is given the font files.
 * The reference the shared path is proven identical to; too slow for serving documents.
 */
export function parseFonts(shared = false): Fonts {
  const dir = fontDir();
  const fonts = { regular: fontkit.create(readFileSync(join(dir, 'DejaVuSans.ttf'))), bold: fontkit.create(readFileSync(join(dir, 'DejaVuSans-Bold.ttf'))) };
  if (shared) {
    for (const font of [fonts.regular, fonts.bold]) {
      fixGlyphCodePoints(font);
      memoiseGlyphDecoding(font);
    }
  }
  return fonts;
}

interface GlyphObject {
  codePoints: number[];
}
interface FontInternals {
  _glyphs: Record<number, GlyphObject | undefined>;
  getGlyph(id: number, characters?: number[]): GlyphObject | null;
}

const sameCodePoints = (a: number[], b: number[]) => a.length === b.length && a.every((c, i) => c === b[i]);

/**
 * Makes a shared font's glyph objects carry the code points of the text that produced them, whatever other
 * documents did before: a glyph asked for without code points (the subsetter's composite components) is
 * handed out but not kept, and a kept glyph asked for with other code points (a ligature typed as « ﬁ » once
 * and shaped from « fi » later) comes as a variant carrying these code points. A document's glyphs then carry
 * what they would carry in a fresh process.
 */
function fixGlyphCodePoints(font: fontkit.Font): void {
  const f = font as unknown as FontInternals;
  if (typeof f.getGlyph !== 'function' || typeof f._glyphs !== 'object') return;
  const getGlyph = f.getGlyph.bind(f);
  const variants = new Map<string, GlyphObject>();
  f.getGlyph = (id: number, characters: number[] = []) => {
    const kept = f._glyphs[id];
    if (!kept) {
      const glyph = getGlyph(id, characters);
      if (characters.length === 0) delete f._glyphs[id];
      return glyph;
    }
    if (characters.length === 0 || sameCodePoints(kept.codePoints, characters)) return kept;
    const key = `${id}:${characters.join(',')}`;
    let variant = variants.get(key);
    if (!variant) {
      // The glyph's own class, as fontkit builds it: its flags (mark, ligature) follow the code points.
      const Glyph = kept.constructor as new (id: number, codePoints: number[], font: unknown) => GlyphObject;
      variant = new Glyph(id, characters, f);
      variants.set(key, variant);
    }
    return variant;
  };
  sharing.codePointsFixed += 1;
}

const decoded = new WeakMap<object, Map<number, unknown>>();
interface GlyphInternals {
  id: number;
  _font: { _variationProcessor?: unknown };
}

/**
 * Every document embeds a subset of the font, and fontkit's subsetter decodes each glyph's outline again for
 * every document (only to learn whether it is a composite). The decoded outline of a static (non-variable)
 * TrueType glyph never changes and is only read, so it is kept per font and glyph id. If a fontkit release
 * renames the method, this does nothing and the documents are only slower (the speed-up test says so).
 */
function memoiseGlyphDecoding(font: fontkit.Font): void {
  decoded.set(font, new Map());
  const proto = Object.getPrototypeOf(font.getGlyph(0)) as { _decode?: (this: GlyphInternals) => unknown; __memoised?: true };
  if (typeof proto._decode !== 'function') return;
  if (!proto.__memoised) {
    const original = proto._decode;
    proto._decode = function (this: GlyphInternals) {
      const memo = decoded.get(this._font);
      if (!memo || this._font._variationProcessor) return original.call(this);
      if (!memo.has(this.id)) {
        sharing.glyphDecodes += 1;
        memo.set(this.id, original.call(this));
      }
      return memo.get(this.id);
    };
    proto.__memoised = true;
  }
  sharing.decodeMemoised = true;
}

/** Words shaped once per process are kept up to about this many per face; then the cache starts afresh. */
const LAYOUT_CACHE_LIMIT = 50_000;
const layoutCaches = new Map<string, { runs: Record<string, unknown>; docs: number }>();

/**
 * pdfkit shapes text word by word through fontkit's OpenType engine (GSUB/GPOS), the bulk of a document's
 * cost, and caches the shaped words per document only. Documents repeat the same words (names, labels,
 * headers), so every document's embedded font of a face shares one process-wide cache. pdfkit only reads the
 * cached runs (already scaled to its 1000-unit space, the same for every document), and a run depends on its
 * word alone. Without the expected `layoutCache` property (another pdfkit release) this does nothing and the
 * documents are only slower: the speed-up test fails then.
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
  sharing.layoutCachesShared += 1;
}

/** What the sharing did in this process: read by the test that fails when a library upgrade disables it. */
export const sharing = { codePointsFixed: 0, decodeMemoised: false, glyphDecodes: 0, layoutCachesShared: 0 };
