import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import '../helpers/seed';
import { checkVatNumber, splitAddress } from '../../server/members/rules';
import { ibanOf, isValidBic, isValidIban, vatKeyOf, vatNumberOf } from '../../server/members/vat-number';

describe('French VAT numbers', () => {
  it('derive their key from the SIREN: (12 + 3 × (SIREN mod 97)) mod 97', () => {
    assert.equal(vatNumberOf('542051180'), 'FR59542051180'); // a published number
    assert.equal(vatKeyOf('552081317'), '03', 'two digits, zero-padded');
    assert.equal(checkVatNumber('FR 59 542 051 180', '542051180', 'FR'), 'FR59542051180');
    assert.throws(() => checkVatNumber('FR58542051180', '542051180', 'FR'), (e: { code: string }) => e.code === 'member.vat_number_mismatch');
    assert.throws(() => checkVatNumber('FR59542051181', '542051180', 'FR'), (e: { code: string }) => e.code === 'member.vat_number_mismatch', 'another company’s number');
    assert.equal(checkVatNumber(null, '542051180', 'FR'), null);
  });
});

describe('IBAN (ISO 13616 mod 97)', () => {
  it('accepts valid IBANs and refuses a changed digit or a swap', () => {
    assert.ok(isValidIban('FR7630006000011234567890189'));
    assert.ok(isValidIban('GB82WEST12345698765432'));
    assert.ok(!isValidIban('FR7630006000011234567890188'));
    assert.ok(!isValidIban('FR7630006000011234567809189'));
    assert.ok(!isValidIban('FR76300060000112345678901'), 'a French IBAN has 27 characters');
    assert.ok(isValidBic('CCBPFRPPNAN') && isValidBic('TRPUFRP1') && !isValidBic('CCBP'));
  });

  it('detects any single changed digit (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{23}$/), fc.nat(22), fc.integer({ min: 1, max: 9 }), (bban, at, delta) => {
        const iban = ibanOf('FR', bban);
        assert.ok(isValidIban(iban));
        const i = 4 + at;
        const changed = iban.slice(0, i) + String((Number(iban[i]) + delta) % 10) + iban.slice(i + 1);
        assert.ok(!isValidIban(changed), `${changed} must fail`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('addresses typed on one line', () => {
  it('split into street, postal code and city, or stay whole', () => {
    assert.deepEqual(splitAddress('12 quai de la Fosse, 44000 Nantes'), { address: '12 quai de la Fosse', postalCode: '44000', city: 'Nantes' });
    assert.deepEqual(splitAddress('Bât. B, 3 rue X, 44800 Saint-Herblain'), { address: 'Bât. B, 3 rue X', postalCode: '44800', city: 'Saint-Herblain' });
    assert.deepEqual(splitAddress('Lieu-dit La Motte'), { address: 'Lieu-dit La Motte', postalCode: null, city: null });
  });
});
