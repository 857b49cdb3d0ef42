// fontkit (pdfkit's own font engine) ships no types; the documents need only these.
declare module 'fontkit' {
  export interface Path {
    translate(x: number, y: number): Path;
    toSVG(): string;
  }
  export interface Glyph {
    path: Path;
  }
  export interface GlyphRun {
    glyphs: Glyph[];
    positions: { xAdvance: number; xOffset: number; yOffset: number }[];
  }
  export interface Font {
    layout(text: string, features?: unknown): GlyphRun;
    getGlyph(id: number): Glyph;
    postscriptName: string;
    unitsPerEm: number;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
