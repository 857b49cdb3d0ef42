import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadFonts, sharing } from '../../server/documents/fonts';
import { PdfWriter, type PdfOptions } from '../../server/documents/layout';
import { pdfText } from '../helpers/pdf';

/**
 * The process-wide font sharing (fonts parsed once, glyph outlines decoded once, shaped words cached across
 * documents) must (1) change no byte of any document, whatever was rendered before it, and (2) keep
 * applying: a pdfkit or fontkit release that renames what it relies on silently turns it off, and this fails.
 */

/** A document touching what the sharing touches: composite capitals (É, À, Ê), the fi ligature, tables, blocks. */
async function sample(options: Partial<PdfOptions> = {}, words = 'FACTURE ÉTAT À PAYER'): Promise<Buffer> {
  const pdf = new PdfWriter({ title: `Élément À ${words}`, poleName: 'Pôle Échange', date: new Date(Date.UTC(2026, 10, 2)), ...options });
  pdf.title(`Écart À l’Être — ${words}`, 'Œuvre, cœur, « là », 1 234,56 €');
  pdf.blocks([
    { title: 'Vendeur (prestataire)', lines: ['Association Échelle', 'SIREN : 812345676', 'N° TVA : néant'] },
    { title: 'Acheteur (client)', lines: ['SCOP ARTÈRE', 'SIRET : 81234567600017', 'ÉCOLE ÀPART'] },
  ]);
  pdf.table(
    [
      { header: 'Désignation', width: 3 },
      { header: 'TVA', width: 1, align: 'right' },
      { header: 'Total HT', width: 1.4, align: 'right' },
    ],
    [['ÉQUIPEMENT — SALLE À LOUER', '0 %', '12,00 €'], ['Exonération de TVA, art. 261 B du CGI', '20 %', '1 234,56 €']],
  );
  pdf.paragraph('Bénéficiaire, définitif. Empreinte SHA-256 : ' + 'ab'.repeat(32));
  return pdf.finish();
}

describe('documents share fonts across a process', () => {
  it('change no byte: each document equals the same document rendered with fonts of its own, whatever came before', async () => {
    // First in this process: composites whose bases (E, A) appear in no text, only as the subset's components.
    const poison = new PdfWriter({ title: 'É', poleName: 'À' });
    poison.paragraph('ÉÀÈÊ éà \uFB01n'); // and the « ﬁ » ligature typed as one character
    await poison.finish();
    await sample({ provisional: true }, 'ÀÉÈÊ');
    for (const options of [{}, { provisional: true }] as Partial<PdfOptions>[]) {
      for (const words of ['FACTURE ÉTAT À PAYER', 'AVOIR', 'E A']) {
        const shared = await sample(options, words);
        const alone = await sample({ ...options, shareFonts: false }, words);
        assert.ok(shared.equals(alone), `same bytes for ${words}${options.provisional ? ' (provisional)' : ''}`);
        const text = pdfText(shared);
        assert.ok(text.includes(`Écart À l’Être — ${words}`) && text.includes('ÉQUIPEMENT — SALLE À LOUER') && text.includes('Exonération de TVA') && text.includes('Bénéficiaire, définitif'), text);
      }
    }
  });

  it('keeps applying: fonts parsed once, outlines decoded once, a repeated document shapes no word again', async () => {
    const fonts = loadFonts();
    assert.equal(loadFonts(), fonts, 'parsed once per process');
    assert.equal(sharing.codePointsFixed, 2, 'both faces have their glyph code points fixed');
    assert.ok(sharing.decodeMemoised, 'fontkit glyph decoding is memoised (TTFGlyph._decode found)');

    await sample({}, 'Répétition');
    const shaped = { count: 0 };
    const restore = [fonts.regular, fonts.bold].map((font) => {
      const original = font.layout;
      font.layout = function (this: typeof font, ...args: Parameters<typeof original>) {
        shaped.count += 1;
        return original.apply(this, args);
      };
      return () => {
        font.layout = original;
      };
    });
    try {
      const before = { shared: sharing.layoutCachesShared, decodes: sharing.glyphDecodes };
      await sample({}, 'Répétition');
      assert.equal(sharing.layoutCachesShared - before.shared, 2, 'each face’s embedded font got the shared word cache (pdfkit’s layoutCache)');
      assert.equal(shaped.count, 0, 'no word shaped again through fontkit');
      assert.equal(sharing.glyphDecodes, before.decodes, 'no glyph outline decoded again');
      await sample({ shareFonts: false }, 'Répétition');
      assert.ok(shaped.count === 0, 'fonts of its own do not touch the shared ones');
    } finally {
      restore.forEach((r) => r());
    }
  });
});
