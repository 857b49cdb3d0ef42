import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { expandRecurrence, MAX_OCCURRENCES, type ExpandResult } from '../../server/bookings/recurrence';

const PARIS = 'Europe/Paris';
const ms = (iso: string) => Date.parse(iso);
const local = (t: number) => DateTime.fromMillis(t, { zone: PARIS }).toISO({ suppressMilliseconds: true });

function occurrences(result: ExpandResult) {
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.occurrences;
}

describe('recurrence', () => {
  it('weekly occurrences keep 09:00–11:00 local across the end of DST (offset +02:00 → +01:00)', () => {
    const occ = occurrences(expandRecurrence(ms('2026-10-14T09:00:00+02:00'), ms('2026-10-14T11:00:00+02:00'), { freq: 'weekly', count: 4 }, PARIS));
    assert.deepEqual(
      occ.map((o) => [local(o.start), local(o.end)]),
      [
        ['2026-10-14T09:00:00+02:00', '2026-10-14T11:00:00+02:00'],
        ['2026-10-21T09:00:00+02:00', '2026-10-21T11:00:00+02:00'],
        ['2026-10-28T09:00:00+01:00', '2026-10-28T11:00:00+01:00'],
        ['2026-11-04T09:00:00+01:00', '2026-11-04T11:00:00+01:00'],
      ],
    );
    assert.equal(occ[2]!.start - occ[1]!.start, 7 * 24 * 3_600_000 + 3_600_000, 'the week holding the change lasts 169 hours');
  });

  it('daily through the 23-hour day keeps the wall clock; a night booking on it is one hour shorter', () => {
    const occ = occurrences(
      expandRecurrence(ms('2026-03-28T01:00:00+01:00'), ms('2026-03-28T04:00:00+01:00'), { freq: 'daily', until: '2026-03-30' }, PARIS),
    );
    assert.deepEqual(
      occ.map((o) => [local(o.start), local(o.end), (o.end - o.start) / 3_600_000]),
      [
        ['2026-03-28T01:00:00+01:00', '2026-03-28T04:00:00+01:00', 3],
        ['2026-03-29T01:00:00+01:00', '2026-03-29T04:00:00+02:00', 2],
        ['2026-03-30T01:00:00+02:00', '2026-03-30T04:00:00+02:00', 3],
      ],
    );
  });

  it('until is a local date, inclusive; interval skips periods', () => {
    const occ = occurrences(
      expandRecurrence(ms('2026-11-16T18:00:00+01:00'), ms('2026-11-16T20:00:00+01:00'), { freq: 'daily', interval: 2, until: '2026-11-22' }, PARIS),
    );
    assert.deepEqual(
      occ.map((o) => local(o.start)!.slice(0, 10)),
      ['2026-11-16', '2026-11-18', '2026-11-20', '2026-11-22'],
    );
    assert.deepEqual(occ.map((o) => o.index), [0, 1, 2, 3]);
  });

  it('monthly on the 31st skips months without one (RFC 5545), count counts real occurrences', () => {
    const occ = occurrences(expandRecurrence(ms('2026-01-31T10:00:00+01:00'), ms('2026-01-31T12:00:00+01:00'), { freq: 'monthly', count: 4 }, PARIS));
    assert.deepEqual(
      occ.map((o) => local(o.start)),
      ['2026-01-31T10:00:00+01:00', '2026-03-31T10:00:00+02:00', '2026-05-31T10:00:00+02:00', '2026-07-31T10:00:00+02:00'],
    );
  });

  it('a multi-day booking keeps its number of days', () => {
    const occ = occurrences(
      expandRecurrence(ms('2026-03-27T18:00:00+01:00'), ms('2026-03-29T18:00:00+02:00'), { freq: 'weekly', count: 2 }, PARIS),
    );
    assert.deepEqual(occ.map((o) => [local(o.start), local(o.end)]), [
      ['2026-03-27T18:00:00+01:00', '2026-03-29T18:00:00+02:00'],
      ['2026-04-03T18:00:00+02:00', '2026-04-05T18:00:00+02:00'],
    ]);
  });

  it('the first occurrence is the requested instants exactly, even in the repeated hour of October', () => {
    const start = ms('2026-10-25T02:30:00+02:00');
    const occ = occurrences(expandRecurrence(start, start + 1_800_000, { freq: 'daily', count: 2 }, PARIS));
    assert.equal(occ[0]!.start, start);
    assert.equal(local(occ[1]!.start), '2026-10-26T02:30:00+01:00');
  });

  it('flags an occurrence squeezed to nothing by the DST gap', () => {
    // 02:00–03:00 local does not exist on 29 March: both ends land on 03:00 summer time.
    const occ = occurrences(expandRecurrence(ms('2026-03-22T02:00:00+01:00'), ms('2026-03-22T03:00:00+01:00'), { freq: 'weekly', count: 2 }, PARIS));
    assert.equal(occ[1]!.invalid, true);
    assert.equal(occ[0]!.invalid, false);
  });

  it('requires exactly one end and caps the number of occurrences', () => {
    const s = ms('2026-11-16T10:00:00+01:00');
    const e = s + 3_600_000;
    const problem = (r: ExpandResult) => (r.ok ? 'ok' : r.problem);
    assert.equal(problem(expandRecurrence(s, e, { freq: 'daily' }, PARIS)), 'no_end');
    assert.equal(problem(expandRecurrence(s, e, { freq: 'daily', count: 3, until: '2026-12-01' }, PARIS)), 'both_ends');
    assert.equal(problem(expandRecurrence(s, e, { freq: 'daily', until: '2026-11-15' }, PARIS)), 'until_before_start');
    assert.equal(problem(expandRecurrence(s, e, { freq: 'daily', until: '2026-02-30' }, PARIS)), 'invalid_until');
    assert.equal(problem(expandRecurrence(s, e, { freq: 'daily', until: '2028-01-01' }, PARIS)), 'too_many');
    assert.equal(problem(expandRecurrence(s, e, { freq: 'daily', count: MAX_OCCURRENCES + 1 }, PARIS)), 'too_many');
    assert.equal(occurrences(expandRecurrence(s, e, { freq: 'daily', count: MAX_OCCURRENCES }, PARIS)).length, MAX_OCCURRENCES);
    assert.equal(occurrences(expandRecurrence(s, e, { freq: 'daily', until: '2026-11-16' }, PARIS)).length, 1);
  });
});
