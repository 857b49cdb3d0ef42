import PDFDocument from 'pdfkit';
import { FONT_BOLD, FONT_REGULAR, loadFonts, parseFonts, shareLayoutCache } from './fonts';

/**
 * A small layout layer over pdfkit shared by every document: A4 portrait, DejaVu embedded, the pole's name
 * and the document's title on every page, "Page X / Y" at the bottom (pages are buffered so the total is
 * known), an optional PROVISOIRE watermark, and a table that breaks across pages repeating its header.
 */

export type Align = 'left' | 'right' | 'center';

export interface Column {
  header: string;
  /** Relative width: the columns share the text width in proportion. */
  width: number;
  align?: Align;
}

export type Row = string[] | { cells: string[]; bold?: boolean; fill?: string };

export interface PdfOptions {
  /** Title in the metadata and in every page's running header. */
  title: string;
  poleName: string;
  subject?: string;
  /** Prints PROVISOIRE across every page (open month). */
  provisional?: boolean;
  /** The document's own date (metadata), so that the same input gives the same file. */
  date?: Date;
  /**
   * false: fonts parsed for this document alone and no cache shared with other documents, as plain pdfkit
   * does. Only the proof that sharing changes no byte uses it: it costs ~30 ms a document.
   */
  shareFonts?: boolean;
  /** pdfkit's PDF version and subset, for a PDF/A document (Factur-X: server/einvoice/pdfa.ts). */
  pdfa?: { pdfVersion: '1.7'; subset: 'PDF/A-3b' };
  /** Runs on the pdfkit document just before it ends (e.g. to embed a file and its XMP). */
  beforeEnd?: (doc: PDFKit.PDFDocument) => void;
}

const MARGIN = { top: 62, bottom: 56, left: 50, right: 50 };
const GREY = '#555555';
const LIGHT = '#f0f0f0';
const RULE = '#999999';
const CELL_PAD_X = 4;
const CELL_PAD_Y = 3;

export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;

  constructor(readonly options: PdfOptions) {
    const share = options.shareFonts ?? true;
    const fonts = share ? loadFonts() : parseFonts();
    const date = options.date ?? new Date(0);
    this.doc = new PDFDocument({
      // The default font is DejaVu itself, so pdfkit never parses Helvetica's metrics for nothing.
      font: fonts.regular as unknown as string,
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      lang: 'fr-FR',
      displayTitle: true,
      ...options.pdfa,
      info: {
        Title: options.title,
        Author: options.poleName,
        Subject: options.subject ?? options.title,
        Creator: 'Mutualise',
        Producer: 'Mutualise (pdfkit)',
        CreationDate: date,
        ModDate: date,
      },
    });
    // Already parsed fontkit fonts: pdfkit accepts any object with `layout` (PDFFontFactory.open).
    this.doc.registerFont(FONT_REGULAR, fonts.regular as unknown as PDFKit.Mixins.PDFFontSource);
    this.doc.registerFont(FONT_BOLD, fonts.bold as unknown as PDFKit.Mixins.PDFFontSource);
    if (share) for (const face of [FONT_BOLD, FONT_REGULAR]) shareLayoutCache((this.doc.font(face) as unknown as { _font: unknown })._font, face);
    this.doc.fontSize(9.5).fillColor('black');
    this.done = new Promise((resolve, reject) => {
      this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
  }

  get left(): number {
    return this.doc.page.margins.left;
  }
  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }
  get y(): number {
    return this.doc.y;
  }

  /** Starts a new page when fewer than `height` points are left on this one. */
  ensureSpace(height: number): this {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
    return this;
  }

  /**
   * Height of `text` in the current font within `width`. A single line that fits is measured by its width
   * alone: pdfkit's line wrapper, which heightOfString runs, costs far more than one width.
   */
  measure(text: string, width: number): number {
    if (!text.includes('\n') && this.doc.widthOfString(text) <= width) return this.doc.currentLineHeight(true);
    return this.doc.heightOfString(text, { width });
  }

  /** Writes `text` at (x, y) within `width`; a single line that fits is placed directly, without the wrapper. */
  write(text: string, x: number, y: number, width: number, align: Align = 'left'): void {
    if (!text.includes('\n')) {
      const w = this.doc.widthOfString(text);
      if (w <= width) {
        const dx = align === 'right' ? width - w : align === 'center' ? (width - w) / 2 : 0;
        this.doc.text(text, x + dx, y, { lineBreak: false });
        return;
      }
    }
    this.doc.text(text, x, y, { width, align });
  }

  space(points = 8): this {
    this.doc.y += points;
    return this;
  }

  font(bold: boolean, size: number): this {
    this.doc.font(bold ? FONT_BOLD : FONT_REGULAR).fontSize(size);
    return this;
  }

  title(text: string, subtitle?: string): this {
    this.font(true, 16).doc.fillColor('black').text(text, this.left, this.doc.y, { width: this.width });
    if (subtitle) this.font(false, 10).doc.fillColor(GREY).text(subtitle, { width: this.width }).fillColor('black');
    return this.font(false, 9.5).space(10);
  }

  heading(text: string): this {
    this.ensureSpace(40).space(4);
    this.font(true, 11.5).doc.fillColor('black').text(text, this.left, this.doc.y, { width: this.width });
    const y = this.doc.y + 1;
    this.doc.moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(0.5).strokeColor(RULE).stroke();
    return this.font(false, 9.5).space(5);
  }

  paragraph(text: string, options: { bold?: boolean; size?: number; color?: string; align?: Align } = {}): this {
    this.font(options.bold ?? false, options.size ?? 9.5);
    this.ensureSpace(this.doc.heightOfString(text, { width: this.width }) + 2);
    this.doc.fillColor(options.color ?? 'black').text(text, this.left, this.doc.y, { width: this.width, align: options.align ?? 'left' });
    this.doc.fillColor('black');
    return this.font(false, 9.5);
  }

  /**
   * Text blocks side by side (e.g. seller and buyer), each a list of lines whose first is bold. The cursor
   * ends below the tallest block.
   */
  blocks(blocks: { title?: string; lines: string[] }[], options: { size?: number } = {}): this {
    const size = options.size ?? 9.5;
    const gap = 16;
    const w = (this.width - gap * (blocks.length - 1)) / blocks.length;
    const measure = (b: { title?: string; lines: string[] }) => {
      let h = 0;
      if (b.title) h += this.font(true, size - 1).measure(b.title.toUpperCase(), w) + 2;
      b.lines.forEach((line, i) => (h += this.font(i === 0, size).measure(line, w)));
      return h;
    };
    const height = Math.max(...blocks.map(measure));
    this.ensureSpace(height + 4);
    const top = this.doc.y;
    blocks.forEach((b, i) => {
      const x = this.left + i * (w + gap);
      let y = top;
      if (b.title) {
        const title = b.title.toUpperCase();
        this.font(true, size - 1).doc.fillColor(GREY);
        const h = this.measure(title, w);
        this.write(title, x, y, w);
        y += h + 2;
        this.doc.fillColor('black');
      }
      b.lines.forEach((line, j) => {
        this.font(j === 0, size);
        const h = this.measure(line, w);
        this.write(line, x, y, w);
        y += h;
      });
    });
    this.doc.x = this.left;
    this.doc.y = top + height;
    return this.font(false, 9.5).space(8);
  }

  /** Label / value pairs in two aligned columns; `labelShare` is the labels' share of the width. */
  pairs(pairs: [string, string][], options: { labelShare?: number; bold?: boolean } = {}): this {
    const share = options.labelShare ?? 0.35;
    return this.table(
      [
        { header: '', width: share },
        { header: '', width: 1 - share },
      ],
      pairs.map(([k, v]) => ({ cells: [k, v], bold: options.bold ?? false })),
      { header: false, zebra: false, rules: false, size: 9 },
    );
  }

  /**
   * A table over the text width. Rows taller than what is left on the page move to the next page, where
   * the header row is drawn again. Cells wrap; numbers align right when their column says so.
   */
  table(columns: Column[], rows: Row[], options: { header?: boolean; zebra?: boolean; rules?: boolean; size?: number } = {}): this {
    const size = options.size ?? 8.5;
    const showHeader = options.header ?? true;
    const total = columns.reduce((a, c) => a + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.width);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((a, w) => a + w, 0));
    const doc = this.doc;

    const rowHeight = (cells: string[], bold: boolean) => {
      this.font(bold, size);
      let h = 0;
      cells.forEach((cell, i) => {
        if (cell) h = Math.max(h, this.measure(cell, widths[i]! - 2 * CELL_PAD_X));
      });
      return Math.max(h, size * 1.2) + 2 * CELL_PAD_Y;
    };
    const drawRow = (cells: string[], bold: boolean, fill: string | undefined) => {
      const h = rowHeight(cells, bold);
      const y = doc.y;
      if (fill) doc.rect(this.left, y, this.width, h).fill(fill).fillColor('black');
      this.font(bold, size);
      cells.forEach((cell, i) => {
        if (cell) this.write(cell, xs[i]! + CELL_PAD_X, y + CELL_PAD_Y, widths[i]! - 2 * CELL_PAD_X, columns[i]!.align ?? 'left');
      });
      doc.x = this.left;
      doc.y = y + h;
    };
    const headerCells = columns.map((c) => c.header);
    const drawHeader = () => {
      if (!showHeader) return;
      drawRow(headerCells, true, LIGHT);
      doc.moveTo(this.left, doc.y).lineTo(this.left + this.width, doc.y).lineWidth(0.6).strokeColor(RULE).stroke();
    };

    const headerHeight = showHeader ? rowHeight(headerCells, true) : 0;
    const normalised = rows.map((r) => (Array.isArray(r) ? { cells: r } : r));
    // Keep the header with at least the first row.
    this.ensureSpace(headerHeight + (normalised[0] ? rowHeight(normalised[0].cells, normalised[0].bold ?? false) : 0));
    drawHeader();
    normalised.forEach((row, index) => {
      const h = rowHeight(row.cells, row.bold ?? false);
      if (doc.y + h > this.bottom) {
        doc.addPage();
        drawHeader();
      }
      const fill = row.fill ?? ((options.zebra ?? true) && index % 2 === 1 ? '#fafafa' : undefined);
      drawRow(row.cells, row.bold ?? false, fill);
      if (options.rules ?? true) {
        doc.moveTo(this.left, doc.y).lineTo(this.left + this.width, doc.y).lineWidth(0.25).strokeColor('#cccccc').stroke();
      }
    });
    this.font(false, 9.5);
    return this.space(8);
  }

  /** Running header, page numbers and watermark on every page, then the bytes. */
  async finish(): Promise<Buffer> {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const { margins } = doc.page;
      const saved = { top: margins.top, bottom: margins.bottom };
      // Writing in the margins must not trigger pdfkit's automatic page break.
      margins.top = 0;
      margins.bottom = 0;
      const width = doc.page.width - margins.left - margins.right;
      if (this.options.provisional) this.watermark();
      doc.font(FONT_REGULAR).fontSize(8).fillColor(GREY);
      doc.text(this.options.poleName, margins.left, 28, { width: width / 2, align: 'left', lineBreak: false, ellipsis: true });
      doc.text(this.options.title, margins.left + width / 2, 28, { width: width / 2, align: 'right', lineBreak: false, ellipsis: true });
      doc.moveTo(margins.left, 42).lineTo(margins.left + width, 42).lineWidth(0.4).strokeColor(RULE).stroke();
      if (this.options.provisional) {
        doc.font(FONT_BOLD).fillColor('#b00020');
        doc.text(PROVISIONAL_BANNER, margins.left, 46, { width, align: 'center', lineBreak: false, ellipsis: true });
        doc.font(FONT_REGULAR).fillColor(GREY);
      }
      doc.text(`Page ${i - range.start + 1} / ${range.count}`, margins.left, doc.page.height - 36, { width, align: 'center', lineBreak: false });
      doc.fillColor('black');
      margins.top = saved.top;
      margins.bottom = saved.bottom;
    }
    this.options.beforeEnd?.(doc);
    doc.end();
    return this.done;
  }

  /**
   * PROVISOIRE across the page, drawn as glyph outlines rather than text: a text extractor (or a screen
   * reader) then reads the page's content undisturbed, and the banner in the header says it in words.
   */
  private watermark(): void {
    const doc = this.doc;
    const { path, width, height } = watermarkPath();
    const scale = (doc.page.width * 0.75) / width;
    doc.save();
    doc.translate(doc.page.width / 2, doc.page.height / 2).rotate(-35).scale(scale, -scale).translate(-width / 2, -height / 2);
    doc.path(path).fillColor('#cc2233').fillOpacity(0.12).fill();
    doc.restore();
    doc.fillOpacity(1);
  }
}

export const PROVISIONAL_BANNER = 'DOCUMENT PROVISOIRE — mois non clôturé, les montants peuvent encore changer';

let watermarkCache: { path: string; width: number; height: number } | undefined;
/** The outline of "PROVISOIRE" in DejaVu Sans Bold, in font units, computed once. */
function watermarkPath() {
  if (!watermarkCache) {
    const font = loadFonts().bold;
    const run = font.layout('PROVISOIRE');
    let x = 0;
    const parts: string[] = [];
    run.glyphs.forEach((glyph, i) => {
      const pos = run.positions[i]!;
      parts.push(glyph.path.translate(x + pos.xOffset, pos.yOffset).toSVG());
      x += pos.xAdvance;
    });
    watermarkCache = { path: parts.join(' '), width: x, height: font.unitsPerEm * 0.73 };
  }
  return watermarkCache;
}
