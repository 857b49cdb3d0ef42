/** The client's money input: what a form shows (centsInput) reads back to the same cents (parseCents), never through floats. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import '../helpers/seed';
import { centsInput, parseCents } from '../../client/src/lib/money';

describe('client money input', () => {
  it('reads back every amount it shows, to the cent', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000_000_00 }), (cents) => parseCents(centsInput(cents)) === cents));
  });

  it('reads French and English writing, spaces and the euro sign', () => {
    assert.equal(parseCents('1 234,56'), 123456);
    assert.equal(parseCents('1234.5'), 123450);
    assert.equal(parseCents('12 €'), 1200);
    assert.equal(parseCents('0,07'), 7);
    assert.equal(parseCents('1,00'), 100);
    assert.equal(parseCents('4,35'), 435);
  });

  it('refuses what is not an amount in cents', () => {
    for (const text of ['', ',', '1,005', '-3', '1e3', 'abc', '1.2.3', '12,3,4']) assert.equal(parseCents(text), null, text);
  });

  it('shows cents with two decimals and a comma', () => {
    assert.equal(centsInput(123456), '1234,56');
    assert.equal(centsInput(5), '0,05');
    assert.equal(centsInput(-250), '-2,50');
  });
});
