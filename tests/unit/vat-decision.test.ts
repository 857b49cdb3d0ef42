import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import '../helpers/seed';
import type { AllocationRuleName, VatStatus } from '../../db/schema/enums';
import { decideVat, eligibleOn, OUTPUT_VAT_RATES, type VatCategory } from '../../server/vat/decision';

const T261B = 'Exonération de TVA, art. 261 B du CGI';
const T293B = 'TVA non applicable, art. 293 B du CGI';
const TOUT = 'Opération non soumise à la TVA';

type RuleClass = 'share' | 'rate';
type Row = [VatStatus, 'grouping' | 'other', 'eligible' | 'not eligible', RuleClass, VatCategory, number, string | null, string | null];

/**
 * Every combination, written by hand (resource output rate 20 %). "share" stands for each rule that bills an
 * exact share of the real cost (usage, weights, equal, mixed); "rate" bills a price.
 */
const TABLE: Row[] = [
  // seller status    seller      buyer            rule     cat  rate  exemption code          text
  ['assujetti',      'grouping', 'eligible',     'share', 'E', 0,  'VATEX-EU-132-1F',    T261B],
  ['assujetti',      'grouping', 'eligible',     'rate',  'S', 20, null,                 null],
  ['assujetti',      'grouping', 'not eligible', 'share', 'S', 20, null,                 null],
  ['assujetti',      'grouping', 'not eligible', 'rate',  'S', 20, null,                 null],
  ['assujetti',      'other',    'eligible',     'share', 'S', 20, null,                 null],
  ['assujetti',      'other',    'eligible',     'rate',  'S', 20, null,                 null],
  ['assujetti',      'other',    'not eligible', 'share', 'S', 20, null,                 null],
  ['assujetti',      'other',    'not eligible', 'rate',  'S', 20, null,                 null],
  ['franchise_293B', 'grouping', 'eligible',     'share', 'E', 0,  'VATEX-EU-132-1F',    T261B],
  ['franchise_293B', 'grouping', 'eligible',     'rate',  'E', 0,  'VATEX-FR-FRANCHISE', T293B],
  ['franchise_293B', 'grouping', 'not eligible', 'share', 'E', 0,  'VATEX-FR-FRANCHISE', T293B],
  ['franchise_293B', 'grouping', 'not eligible', 'rate',  'E', 0,  'VATEX-FR-FRANCHISE', T293B],
  ['franchise_293B', 'other',    'eligible',     'share', 'E', 0,  'VATEX-FR-FRANCHISE', T293B],
  ['franchise_293B', 'other',    'eligible',     'rate',  'E', 0,  'VATEX-FR-FRANCHISE', T293B],
  ['franchise_293B', 'other',    'not eligible', 'share', 'E', 0,  'VATEX-FR-FRANCHISE', T293B],
  ['franchise_293B', 'other',    'not eligible', 'rate',  'E', 0,  'VATEX-FR-FRANCHISE', T293B],
  ['non_assujetti',  'grouping', 'eligible',     'share', 'E', 0,  'VATEX-EU-132-1F',    T261B],
  ['non_assujetti',  'grouping', 'eligible',     'rate',  'O', 0,  'VATEX-EU-O',         TOUT],
  ['non_assujetti',  'grouping', 'not eligible', 'share', 'O', 0,  'VATEX-EU-O',         TOUT],
  ['non_assujetti',  'grouping', 'not eligible', 'rate',  'O', 0,  'VATEX-EU-O',         TOUT],
  ['non_assujetti',  'other',    'eligible',     'share', 'O', 0,  'VATEX-EU-O',         TOUT],
  ['non_assujetti',  'other',    'eligible',     'rate',  'O', 0,  'VATEX-EU-O',         TOUT],
  ['non_assujetti',  'other',    'not eligible', 'share', 'O', 0,  'VATEX-EU-O',         TOUT],
  ['non_assujetti',  'other',    'not eligible', 'rate',  'O', 0,  'VATEX-EU-O',         TOUT],
];

const RULES: Record<RuleClass, AllocationRuleName[]> = { share: ['usage', 'weights', 'equal', 'mixed'], rate: ['rate'] };
const GROUPING = 1;

describe('VAT decision per line', () => {
  it('matches the hand-written table for every seller status × grouping × buyer eligibility × rule', () => {
    let checked = 0;
    for (const [status, seller, buyer, ruleClass, vatCategory, vatRate, exemptionCode, exemptionText] of TABLE) {
      for (const rule of RULES[ruleClass]) {
        const got = decideVat({
          seller: { id: seller === 'grouping' ? GROUPING : 2, vatStatus: status },
          buyer: { id: 3, eligible261B: buyer === 'eligible' },
          groupingMemberId: GROUPING,
          resourceVatRate: 20,
          exactShare: rule !== 'rate',
        });
        assert.deepEqual(got, { vatCategory, vatRate, exemptionCode, exemptionText }, `${status} ${seller} → ${buyer} buyer, ${rule}`);
        checked++;
      }
    }
    assert.equal(checked, 3 * 2 * 2 * 5);
  });

  it('never exempts under 261 B without a grouping named, and taxes at the resource’s rate, never anything else', () => {
    assert.equal(decideVat({ seller: { id: 1, vatStatus: 'assujetti' }, buyer: { id: 3, eligible261B: true }, groupingMemberId: null, resourceVatRate: 5.5, exactShare: true }).vatRate, 5.5);
    assert.throws(() => decideVat({ seller: { id: 1, vatStatus: 'assujetti' }, buyer: { id: 3, eligible261B: false }, groupingMemberId: 1, resourceVatRate: 19.6, exactShare: true }), RangeError);
  });

  it('holds its invariants over any input (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<VatStatus>('assujetti', 'franchise_293B', 'non_assujetti'),
        fc.integer({ min: 1, max: 4 }),
        fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
        fc.boolean(),
        fc.constantFrom(...OUTPUT_VAT_RATES),
        fc.boolean(),
        (vatStatus, sellerId, groupingMemberId, eligible, resourceVatRate, exactShare) => {
          const d = decideVat({ seller: { id: sellerId, vatStatus }, buyer: { id: 9, eligible261B: eligible }, groupingMemberId, resourceVatRate, exactShare });
          if (d.vatCategory === 'S') {
            assert.equal(d.vatRate, resourceVatRate);
            assert.equal(d.exemptionText, null);
            assert.equal(vatStatus, 'assujetti', 'only a liable seller charges VAT');
          } else {
            assert.equal(d.vatRate, 0);
            assert.ok(d.exemptionText && d.exemptionCode, 'a zero rate always has its legal basis');
          }
          if (d.exemptionCode === 'VATEX-EU-132-1F') {
            assert.ok(exactShare, 'a price is never exempt under 261 B');
            assert.equal(sellerId, groupingMemberId, 'only the grouping exempts under 261 B');
            assert.ok(eligible, 'only towards an eligible buyer');
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('counts eligibility from the attestation date', () => {
    assert.equal(eligibleOn({ eligible261B: true, eligible261BSince: '2026-11-01' }, '2026-10-31'), false);
    assert.equal(eligibleOn({ eligible261B: true, eligible261BSince: '2026-10-31' }, '2026-10-31'), true);
    assert.equal(eligibleOn({ eligible261B: true, eligible261BSince: null }, '2026-10-31'), true);
    assert.equal(eligibleOn({ eligible261B: false, eligible261BSince: '2020-01-01' }, '2026-10-31'), false);
  });
});
