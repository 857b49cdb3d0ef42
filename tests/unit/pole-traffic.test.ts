import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rng } from '../../scripts/bench/fixtures';
import { ceiling, closeRate, percentile, poissonArrivals, poleRates, POLE_MONTH, stepHolds } from '../../scripts/bench/pole-traffic';

describe('load scenario arithmetic (scripts/bench/pole-traffic.ts)', () => {
  it('one pole’s busiest hour: feeds every 15 minutes per user, interactive traffic at 3× an average working hour', () => {
    const r = poleRates();
    assert.equal(r.feed, 11 / 900);
    assert.equal(r.book, (110 / (22 * 10 * 3600)) * 3);
    assert.equal(r.availability, 10 * r.book);
    assert.equal(r.list, 5 * r.book);
    assert.equal(closeRate(), 1 / POLE_MONTH.closingSeconds);
  });

  it('Poisson arrivals stay in the window, ascending, at about the asked rate', () => {
    const at = poissonArrivals(50, 100, rng(1));
    assert.ok(at.every((t, i) => t >= 0 && t < 100_000 && (i === 0 || t >= at[i - 1]!)));
    assert.ok(Math.abs(at.length - 5000) < 300, String(at.length));
    assert.deepEqual(poissonArrivals(0, 10, rng(1)), []);
  });

  it('nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(percentile(xs, 0.99), 99);
    assert.equal(percentile(xs, 0.5), 50);
    assert.equal(percentile([7], 0.99), 7);
    assert.equal(percentile([], 0.99), null);
  });

  it('the ceiling is the last multiplier that held with every lower one holding', () => {
    const step = (multiplier: number, p99Ms: number | null, failedShare = 0, answeredShare = 1) => ({ multiplier, p99Ms, failedShare, answeredShare });
    assert.equal(stepHolds(step(1, 100), 100), true);
    assert.equal(stepHolds(step(1, 100.1), 100), false);
    assert.equal(stepHolds(step(1, 5, 0.02), 100), false);
    assert.equal(stepHolds(step(1, 5, 0, 0.9), 100), false);
    assert.equal(stepHolds(step(1, null), 100), false);
    assert.equal(ceiling([step(1000, 20), step(10, 5), step(100, 8), step(2000, 150), step(4000, 50)], 100), 1000);
    assert.equal(ceiling([step(10, 500), step(100, 5)], 100), 0);
  });
});
