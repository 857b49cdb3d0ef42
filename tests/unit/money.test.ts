import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allocate } from '../../server/shared/money';
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

  it('refuses fractional cents, negative or fractional weights and an all-zero key', () => {
    assert.throws(() => allocate(10.5, [1]), RangeError);
    assert.throws(() => allocate(10, [-1, 2]), RangeError);
    assert.throws(() => allocate(10, [0.5, 2]), RangeError);
    assert.throws(() => allocate(10, [0, 0]), RangeError);
    assert.throws(() => allocate(10, []), RangeError);
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
