import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTable, median, ratio, round, summarize } from '../../scripts/bench/stats';

describe('bench statistics', () => {
  it('takes the middle value of an odd sample, whatever its order', () => {
    assert.equal(median([5, 1, 9, 3, 7]), 5);
    assert.equal(median([42]), 42);
  });

  it('averages the two middle values of an even sample', () => {
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it('does not reorder the caller’s array', () => {
    const sample = [3, 1, 2];
    median(sample);
    assert.deepEqual(sample, [3, 1, 2]);
  });

  it('refuses an empty or non-finite sample instead of answering NaN', () => {
    assert.throws(() => median([]), RangeError);
    assert.throws(() => median([1, Number.NaN, 3]), RangeError);
  });

  it('summarises a sample as median, min, max and count', () => {
    assert.deepEqual(summarize([10, 30, 20, 50, 40]), { median: 30, min: 10, max: 50, runs: 5 });
  });

  it('gives a ratio of value to baseline, and null when either is missing or the baseline is zero', () => {
    assert.equal(ratio(8_000, 10_000), 0.8);
    assert.equal(ratio(3, 1), 3);
    assert.equal(ratio(5, 0), null);
    assert.equal(ratio(null, 10), null);
    assert.equal(ratio(10, undefined), null);
    assert.equal(ratio(Number.NaN, 10), null);
  });

  it('rounds for the summary line and keeps null', () => {
    assert.equal(round(0.83456), 0.83);
    assert.equal(round(12.345, 1), 12.3);
    assert.equal(round(null), null);
  });

  it('pads table columns to their widest cell', () => {
    const lines = formatTable(['name', 'rps'], [['hello', '59000'], ['bare booking', '9000']]).split('\n');
    assert.equal(lines.length, 4);
    assert.equal(lines[2], 'hello         59000');
    assert.equal(lines[3], 'bare booking   9000');
  });
});
