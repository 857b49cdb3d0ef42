import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isValidSiren, isValidSiret, luhnValid } from '../../server/members/siret';
import '../helpers/seed';

describe('SIREN / SIRET', () => {
  it('accepts real identifiers and refuses a wrong key', () => {
    assert.ok(isValidSiren('443061841'));
    assert.ok(isValidSiret('44306184100047'));
    assert.ok(!isValidSiret('44306184100048'));
    assert.ok(!isValidSiren('443061842'));
    assert.ok(!isValidSiret('4430618410004'));
    assert.ok(!isValidSiret('4430618410004a'));
  });

  it('follows La Poste’s exception (digits sum to a multiple of 5)', () => {
    assert.ok(isValidSiret('35600000000048'));
    assert.ok(isValidSiret('35600000049837'));
  });

  it('detects any single-digit typo', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{13}$/), fc.nat(13), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        const valid = [...'0123456789'].map((d) => body + d).find(luhnValid)!;
        const digits = [...valid];
        digits[pos] = String((Number(digits[pos]) + delta) % 10);
        return !luhnValid(digits.join(''));
      }),
    );
  });
});
