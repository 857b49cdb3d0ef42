import type { members } from '../../db/schema/index';
import { euros, frDate, frNumber, hours, percent } from '../documents/format';
import { LEGAL_FORM_LABELS } from '../documents/labels';
import { PdfWriter } from '../documents/layout';
import type { AgreementRow, EmployeeRow } from './repository';

type Member = typeof members.$inferSelect;

export interface ConventionInput {
  poleName: string;
  agreement: AgreementRow;
  employee: EmployeeRow;
  lender: Member;
  user: Member;
}

const party = (m: Member) => [
  m.name,
  `${LEGAL_FORM_LABELS[m.legalForm]}, SIRET ${m.siret}`,
  [m.address, [m.postalCode, m.city].filter(Boolean).join(' ')].filter(Boolean).join(', '),
];

/**
 * The draft convention de mise à disposition (C. trav. L8241-2) generated from an agreement: the parties, the
 * employee and its qualification, the duration, the volume, how salary, charges and expenses are billed (at cost:
 * hours made available × the month's hourly cost), management fees or their absence, the employee's consent and
 * the amendment to the work contract. A draft to sign: the signed copy is uploaded and kept.
 */
export function renderConvention(input: ConventionInput): Promise<Buffer> {
  const { agreement: a, employee: e, lender, user } = input;
  const pdf = new PdfWriter({ title: 'Projet de convention de mise à disposition de personnel', poleName: input.poleName, date: new Date(a.createdAt) });
  pdf.title('Convention de mise à disposition de personnel', `Projet — prêt de main-d’œuvre à but non lucratif (art. L8241-1 et L8241-2 du Code du travail), convention n° ${a.id}`);

  pdf.heading('Article 1 — Parties');
  pdf.blocks([
    { title: 'L’employeur prêteur', lines: party(lender) },
    { title: 'L’entreprise utilisatrice', lines: party(user) },
  ]);

  pdf.heading('Article 2 — Salarié mis à disposition');
  pdf.pairs([
    ['Salarié', e.name],
    ['Qualification', e.qualification],
    ['Durée contractuelle du travail', `${frNumber(e.weeklyHoursHundredths / 100)} h par semaine`],
  ]);

  pdf.heading('Article 3 — Durée et volume de la mise à disposition');
  const volume =
    a.plannedMinutesPerMonth !== null ? `${hours(a.plannedMinutesPerMonth)} par mois (prévisionnel)` : `${percent((a.workingTimeShareBp ?? 0) / 100)} du temps de travail`;
  pdf.pairs([
    ['Durée', `du ${frDate(a.startDate)} au ${frDate(a.endDate)} inclus`],
    ['Volume prévu', volume],
  ]);
  pdf.paragraph(
    'Seul le temps réellement mis à disposition est facturé : le salarié déclare ses heures jour par jour, l’entreprise utilisatrice les approuve chaque mois.',
  );

  pdf.heading('Article 4 — Mode de détermination et de facturation des salaires, charges et frais');
  const billed = [
    `Salaire brut : ${a.billsSalary ? 'refacturé' : 'non refacturé'}`,
    `Charges sociales patronales : ${a.billsSocialCharges ? 'refacturées' : 'non refacturées'}`,
    `Frais professionnels remboursés au salarié : ${a.billsReimbursedExpenses ? 'refacturés' : 'non refacturés'}`,
  ];
  for (const line of billed) pdf.paragraph(`• ${line}`);
  pdf.paragraph(
    'Le prêt est à but non lucratif : le prêteur facture à l’entreprise utilisatrice les seuls salaires versés au salarié, les charges sociales afférentes et les frais professionnels remboursés au titre de la mise à disposition, à leur coût réel. Le montant facturé chaque mois est égal aux heures mises à disposition multipliées par le coût horaire du mois (salaire, charges et frais du bulletin de paie divisés par les heures payées du mois), détaillé par nature dans un relevé de mise à disposition joint à la facture ; le reste du coût demeure à la charge de l’employeur.',
  );
  const fees =
    a.managementFeesCents !== null
      ? `Frais de gestion convenus : ${euros(a.managementFeesCents)} par mois.`
      : a.managementFeesRateBp !== null
        ? `Frais de gestion convenus : ${percent(a.managementFeesRateBp / 100)} du coût refacturé.`
        : 'Aucun frais de gestion n’est facturé.';
  pdf.paragraph(fees);

  pdf.heading('Article 5 — Accord du salarié et avenant au contrat de travail');
  pdf.pairs([
    ['Accord écrit du salarié', a.consentDate ? `recueilli le ${frDate(a.consentDate)}` : 'à recueillir avant toute mise à disposition'],
    ['Avenant au contrat de travail', a.amendmentDate ? `signé le ${frDate(a.amendmentDate)}` : 'à signer avant toute mise à disposition'],
  ]);
  pdf.paragraph(
    'L’avenant précise le travail confié dans l’entreprise utilisatrice, les horaires et le lieu d’exécution du travail, ainsi que les caractéristiques particulières du poste. Le salarié peut refuser la mise à disposition sans sanction ni licenciement. Son contrat de travail avec le prêteur n’est ni rompu ni suspendu ; il continue d’appartenir au personnel du prêteur et conserve sa rémunération.',
  );

  pdf.heading('Article 6 — Conditions de travail');
  pdf.paragraph('Pendant la mise à disposition, l’entreprise utilisatrice est responsable des conditions d’exécution du travail (durée du travail, santé et sécurité au travail).');

  pdf.heading('Signatures');
  pdf.blocks([
    { title: `Pour ${lender.name}`, lines: ['Date :', 'Signature :'] },
    { title: `Pour ${user.name}`, lines: ['Date :', 'Signature :'] },
  ]);
  return pdf.finish();
}
