import { DateTime } from 'luxon';
import type { DemoExtension } from '../../db/demo';
import type { CostNature } from '../../db/schema/enums';
import { defaultConfig } from '../config';
import type { AppContext } from '../context';
import { poleZone } from '../pole/service';
import { costRepository } from '../costs/repository';
import { invoiceRepository } from '../invoices/repository';
import { ensurePole } from '../pole/repository';
import type { Clock } from '../shared/clock';
import { vatOf } from '../invoices/vat-lines';
import { closeMonth } from './service';
import { paymentRepository } from '../payments/repository';

/**
 * Demo costs and closed months: the real monthly costs of the demo pole's resources (shared staff at cost —
 * salary, social charges and expenses shown by nature with the employee's paid hours, C. trav. L8241-1 —,
 * accounting, van lease, rooms, the micro-entrepreneur's studio whose VAT she cannot recover…)
 * for the two previous months and the current one, allocation rules where none is set, and the two
 * previous months closed so that invoices exist right after `npm start`.
 */

type Rule = { rule: 'usage' | 'weights' | 'equal' | 'mixed' | 'rate'; fixedPercent?: number; rateCents?: number };

interface DemoCost {
  label: string;
  nature: CostNature;
  /** Amount for each of the three months (previous-but-one, previous, current), cents excl. VAT. */
  cents: [number, number, number];
  vatBp: number;
  recurring: boolean;
  /** Staff: the employee's paid hours that month (the salary entry carries them). */
  paidHours?: number;
}

const PLAN: Record<string, { rule: Rule; costs: DemoCost[] }> = {
  comms: {
    rule: { rule: 'mixed', fixedPercent: 40 },
    costs: [
      { label: 'Salaire brut de la chargée de communication', nature: 'salary', cents: [235_000, 235_000, 235_000], vatBp: 0, recurring: true, paidHours: 151.67 },
      { label: 'Cotisations patronales', nature: 'social_charges', cents: [101_050, 101_050, 101_050], vatBp: 0, recurring: true },
      { label: 'Indemnités kilométriques', nature: 'reimbursed_expenses', cents: [6_480, 9_230, 4_800], vatBp: 0, recurring: false },
    ],
  },
  sound: {
    rule: { rule: 'usage' },
    costs: [
      { label: 'Salaire brut du technicien son', nature: 'salary', cents: [218_000, 218_000, 218_000], vatBp: 0, recurring: true, paidHours: 151.67 },
      { label: 'Cotisations patronales', nature: 'social_charges', cents: [93_640, 93_640, 93_640], vatBp: 0, recurring: true },
      { label: 'Frais de repas en tournée', nature: 'reimbursed_expenses', cents: [5_760, 8_640, 3_840], vatBp: 2000, recurring: false },
    ],
  },
  accounting: {
    rule: { rule: 'usage' },
    costs: [
      { label: 'Abonnement au logiciel de comptabilité', nature: 'subscription', cents: [8_900, 8_900, 8_900], vatBp: 2000, recurring: true },
      { label: 'Honoraires de l’expert-comptable (forfait mensuel)', nature: 'other', cents: [72_000, 72_000, 72_000], vatBp: 2000, recurring: true },
    ],
  },
  van: {
    rule: { rule: 'rate', rateCents: 1_500 },
    costs: [
      { label: 'Location longue durée du camion', nature: 'rent_or_lease', cents: [64_000, 64_000, 64_000], vatBp: 2000, recurring: true },
      { label: 'Assurance flotte', nature: 'other', cents: [7_125, 7_125, 7_125], vatBp: 0, recurring: true },
      { label: 'Carburant', nature: 'other', cents: [11_840, 13_260, 9_900], vatBp: 2000, recurring: false },
    ],
  },
  pa: {
    rule: { rule: 'usage' },
    costs: [{ label: 'Maintenance et consommables de la sonorisation', nature: 'other', cents: [14_500, 14_500, 14_500], vatBp: 2000, recurring: true }],
  },
  laptops: {
    rule: { rule: 'usage' },
    costs: [
      { label: 'Location des ordinateurs portables', nature: 'rent_or_lease', cents: [18_600, 18_600, 18_600], vatBp: 2000, recurring: true },
      { label: 'Licences des logiciels de montage', nature: 'subscription', cents: [11_990, 11_990, 11_990], vatBp: 2000, recurring: true },
    ],
  },
  rehearsal: {
    rule: { rule: 'usage' },
    costs: [
      { label: 'Loyer de la salle de répétition (quote-part)', nature: 'rent_or_lease', cents: [95_000, 95_000, 95_000], vatBp: 0, recurring: true },
      { label: 'Électricité et chauffage', nature: 'other', cents: [14_000, 16_500, 18_000], vatBp: 2000, recurring: false },
    ],
  },
  meeting: {
    rule: { rule: 'equal' },
    costs: [{ label: 'Mise à disposition de la salle de réunion', nature: 'rent_or_lease', cents: [25_000, 25_000, 25_000], vatBp: 0, recurring: true }],
  },
  studio: {
    rule: { rule: 'usage' },
    costs: [
      { label: 'Loyer du studio', nature: 'rent_or_lease', cents: [42_000, 42_000, 42_000], vatBp: 2000, recurring: true },
      { label: 'Entretien des éclairages', nature: 'other', cents: [3_500, 5_200, 2_900], vatBp: 2000, recurring: false },
    ],
  },
};

const fixedClock = (ms: number): Clock => ({ now: () => ms });

export const closingDemo: DemoExtension = (store, ids, clock, log) => {
  const ctx: AppContext = { store, db: store.db, sqlite: store.sqlite, clock, config: defaultConfig };
  ensurePole(ctx);
  const zone = poleZone(ctx);
  const current = DateTime.fromMillis(clock.now(), { zone }).startOf('month');
  const months = [current.minus({ months: 2 }), current.minus({ months: 1 }), current];
  const costs = costRepository(store.sqlite);
  const now = clock.now();

  store.sqlite.transaction(() => {
    const hasRule = store.sqlite.prepare('SELECT 1 FROM allocation_rules WHERE resource_id = ?').pluck();
    const insertRule = store.sqlite.prepare(
      'INSERT INTO allocation_rules (resource_id, from_month, rule, weights, fixed_percent, rate_cents, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?)',
    );
    for (const [key, plan] of Object.entries(PLAN)) {
      const resourceId = ids.resources[key];
      if (resourceId === undefined) continue;
      if (hasRule.get(resourceId) === undefined) {
        insertRule.run(resourceId, months[0]!.toFormat('yyyy-MM'), plan.rule.rule, plan.rule.fixedPercent ?? null, plan.rule.rateCents ?? null, now);
      }
      // A recurring cost of the next months is the previous month's carried forward (as the server does on the 1st).
      const previous = new Map<(typeof plan.costs)[number], number>();
      months.forEach((month, i) => {
        for (const c of plan.costs) {
          const id = costs.insert(
            {
              resourceId,
              month: month.toFormat('yyyy-MM'),
              label: c.label,
              amountCents: c.cents[i]!,
              vatRateBp: c.vatBp,
              inputVatCents: vatOf(c.cents[i]!, c.vatBp),
              paidHoursHundredths: c.paidHours === undefined ? null : Math.round(c.paidHours * 100),
              nature: c.nature,
              recurring: c.recurring,
              carriedFromId: c.recurring ? (previous.get(c) ?? null) : null,
            },
            ids.users['coordination@demo.test'] ?? null,
            now,
          );
          previous.set(c, id);
        }
      });
    }
  })();

  // The previous-but-one month was closed on the 5th of the next; the previous month is closed now.
  const closings: [DateTime, Clock][] = [
    [months[0]!, fixedClock(Math.min(now, months[1]!.set({ day: 5, hour: 10 }).toMillis()))],
    [months[1]!, clock],
  ];
  const coordinator = ids.users['coordination@demo.test'];
  for (const [month, at] of closings) {
    const result = closeMonth(
      { ...ctx, clock: at },
      {
        month: month.toFormat('yyyy-MM'),
        actor: coordinator === undefined ? null : { userId: coordinator, role: 'coordinator', memberId: null, email: 'coordination@demo.test', name: 'Camille Durand', sessionId: 'demo' },
      },
    );
    log(`Closed ${result.month}: ${result.invoices.length} invoices issued.`);
  }
  // Two thirds of the older month's invoices are paid by transfer, ten days or so after issue (never after
  // today); one in four of those in two instalments, a week apart.
  const invoices = invoiceRepository(store.sqlite);
  const payments = paymentRepository(store.sqlite);
  const today = DateTime.fromMillis(now, { zone }).toISODate()!;
  const day = (issueDate: string, days: number) => {
    const d = DateTime.fromISO(issueDate).plus({ days }).toISODate()!;
    return d < today ? d : today;
  };
  store.sqlite.transaction(() => {
    invoices.list({ month: months[0]!.toFormat('yyyy-MM'), kind: 'invoice' }).forEach((inv, i) => {
      if (i % 3 === 2) return;
      const pay = (amountCents: number, paidOn: string) =>
        payments.insert({ invoiceId: inv.id, amountCents, paidOn, method: 'transfer', reference: `VIR ${inv.number}`, settlementId: null, recordedAt: now, recordedByUserId: coordinator ?? null });
      const first = i % 4 === 0 && inv.totalInclVatCents > 1 ? Math.floor(inv.totalInclVatCents / 2) : inv.totalInclVatCents;
      pay(first, day(inv.issueDate, 10 + i));
      if (first < inv.totalInclVatCents) pay(inv.totalInclVatCents - first, day(inv.issueDate, 17 + i));
    });
  })();
};
