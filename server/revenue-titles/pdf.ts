import { euros, frMonth } from '../documents/format';
import { PdfWriter } from '../documents/layout';
import type { RevenueTitles } from './service';

/** The « relevé pour émission de titres de recettes » of a public body for a month (one section per debtor). */
export async function renderRevenueTitlesPdf(data: RevenueTitles, poleName: string): Promise<Buffer> {
  const pdf = new PdfWriter({
    title: `Relevé pour émission de titres de recettes — ${data.issuer.name} — ${data.month}`,
    poleName,
    subject: `Titres de recettes ${data.month} — ${data.issuer.name}`,
    provisional: !data.final,
  });
  pdf.title('RELEVÉ POUR ÉMISSION DE TITRES DE RECETTES', `${data.issuer.name} — ${frMonth(data.month)}`);
  pdf.pairs([
    ['Collectivité créancière', data.issuer.name],
    ['SIRET', data.issuer.siret],
    ['Période', frMonth(data.month)],
    ['Total à recouvrer', euros(data.totalCents)],
  ]);
  pdf.paragraph(
    'Une entité publique ne facture pas dans une série de factures Mutualise : son comptable public émet un titre de recettes par débiteur, pour les montants ci-dessous (parts exactes des coûts réels mutualisés qu’elle supporte, hors champ de la TVA). Ces créances ne sont pas compensées avec d’autres dettes.',
    { size: 8.5, color: '#444444' },
  );
  if (data.debtors.length === 0) pdf.paragraph('Aucune somme due à la collectivité pour ce mois.');
  for (const d of data.debtors) {
    pdf.heading(`${d.name} — ${euros(d.totalCents)}`);
    pdf.paragraph(`SIRET ${d.siret} — ${d.address}`, { size: 8.5 });
    pdf.table(
      [
        { header: 'Objet', width: 6 },
        { header: 'Montant', width: 1.4, align: 'right' },
      ],
      [...d.lines.map((l) => [l.description, euros(l.totalExclVatCents)]), { cells: ['Total du titre', euros(d.totalCents)], bold: true }],
    );
  }
  return pdf.finish();
}
