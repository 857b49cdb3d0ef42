import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allocate, assertCents, formatEuros } from '../../server/shared/money';
import '../helpers/seed';

describe('allocate (largest remainder)', () => {
  it('splits 100.00 € 1:1:1 into 33.34 / 33.33 / 33.33, the extra cent to the first in the stated order', () => {
    assert.deepEqual(allocate(10_000, [1, 1, 1]), [3334, 3333, 3333]);
  });

  it('gives leftover cents to the largest remainders, ties to the lower index', () => {
    assert.deepEqual(allocate(100, [1, 2]), [33, 67]); // 33.33 / 66.67: the larger remainder (.67) gets the cent
    assert.deepEqual(allocate(5, [1, 1, 1, 1]), [2, 1, 1, 1]);
    assert.deepEqual(allocate(2, [1, 1, 1]), [1, 1, 0]);
    assert.deepEqual(allocate(0, [3, 4]), [0, 0]);
    assert.deepEqual(allocate(1000, [0, 1, 0]), [0, 1000, 0]);
  });

  it('refuses fractional cents, negative or fractional weights and an all-zero key, each with its own message', () => {
    assert.throws(() => allocate(10.5, [1]), { name: 'RangeError', message: 'total must be a whole number of cents, got 10.5' });
    assert.throws(() => allocate(10, [-1, 2]), { name: 'RangeError', message: 'weights must be non-negative integers, got -1' });
    assert.throws(() => allocate(10, [0.5, 2]), { name: 'RangeError', message: 'weights must be non-negative integers, got 0.5' });
    assert.throws(() => allocate(10, [0, 0]), { name: 'RangeError', message: 'allocate needs at least one positive weight' });
    assert.throws(() => allocate(10, []), { name: 'RangeError', message: 'allocate needs at least one weight' });
    assert.throws(() => assertCents(Number.NaN), { message: 'amount must be a whole number of cents, got NaN' });
    assert.equal(assertCents(-42), -42);
  });

  it('splits a negative total (a credit) as the mirror of the positive one', () => {
    assert.deepEqual(allocate(-100, [1, 2]), [-33, -67]);
    assert.deepEqual(allocate(-10_000, [1, 1, 1]), [-3334, -3333, -3333]);
  });

  it('orders leftover cents by remainder, not by weight: 3 cents 1:4 → 1 / 2', () => {
    // 0.6 and 2.4: the smaller weight has the larger remainder.
    assert.deepEqual(allocate(3, [1, 4]), [1, 2]);
    assert.deepEqual(allocate(1, [5, 5, 5]), [1, 0, 0], 'a three-way tie goes to the lowest index');
    assert.deepEqual(allocate(2, [3, 3, 3, 1]), [1, 1, 0, 0]);
  });

  it('writes euros the French way, or in another locale', () => {
    assert.equal(formatEuros(123_456).replace(/\s/g, ' '), '1 234,56 €');
    assert.equal(formatEuros(-5), '-0,05\u00a0€');
    assert.equal(formatEuros(123_456, 'en-GB'), '€1,234.56');
  });

  const key = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 20 }).filter((w) => w.some((x) => x > 0));
  const total = fc.integer({ min: 0, max: 1_000_000_000_00 });

  it('always sums exactly to the total, never gives a negative part, and is deterministic', () => {
    fc.assert(
      fc.property(total, key, (t, w) => {
        const parts = allocate(t, w);
        assert.equal(parts.reduce((a, p) => a + p, 0), t);
        assert.ok(parts.every((p) => Number.isSafeInteger(p) && p >= 0));
        assert.deepEqual(allocate(t, w), parts);
      }),
    );
  });

  it('gives each part its exact share rounded down or up by less than one cent, and nothing to a zero weight', () => {
    fc.assert(
      fc.property(total, key, (t, w) => {
        const parts = allocate(t, w);
        const sum = w.reduce((a, x) => a + x, 0);
        parts.forEach((p, i) => {
          const exact = (t * w[i]!) / sum;
          assert.ok(Math.abs(p - exact) < 1 + 1e-6, `part ${p} vs exact ${exact}`);
          if (w[i] === 0) assert.equal(p, 0);
        });
      }),
    );
  });

  it('is monotonic in the weights: a larger weight never gets fewer cents', () => {
    fc.assert(
      fc.property(total, key, (t, w) => {
        const parts = allocate(t, w);
        for (let i = 0; i < w.length; i++) for (let j = 0; j < w.length; j++) if (w[i]! > w[j]!) assert.ok(parts[i]! >= parts[j]!);
      }),
    );
  });
});
