import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openIntervals, openingHoursProblems, withinOpeningHours, type OpeningHours } from '../../server/resources/opening-hours';

const PARIS = 'Europe/Paris';
const ms = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();
const show = (intervals: { start: number; end: number }[]) => intervals.map((i) => [iso(i.start), iso(i.end)]);

describe('opening hours: validation', () => {
  it('accepts well-formed hours and 24:00 as the next midnight', () => {
    assert.deepEqual(openingHoursProblems({ '1': [['09:00', '12:00'], ['14:00', '18:00']], '7': [['00:00', '24:00']] }), []);
  });

  it('names every problem: unknown weekday, reversed or empty range, overlap, bad times', () => {
    const problems = openingHoursProblems({
      '8': [['09:00', '10:00']],
      '1': [['18:00', '09:00']],
      '2': [['09:00', '12:00'], ['11:00', '13:00']],
      '3': [['9:00', '10:00']],
      '4': [['24:00', '24:00']],
      '5': [['10:00', '10:00']],
    } as OpeningHours);
    assert.equal(problems.length, 6, problems.join('\n'));
    assert.match(problems.join('\n'), /8 is not an ISO weekday/);
    assert.match(problems.join('\n'), /18:00–09:00 ends before it starts/);
    assert.match(problems.join('\n'), /overlap/);
  });
});

describe('opening hours: open intervals in the pole zone', () => {
  const weekdays: OpeningHours = { '1': [['09:00', '18:00']], '2': [['09:00', '18:00']], '3': [['09:00', '12:00'], ['14:00', '18:00']] };

  it('lists the open intervals of a week in local time (CET = UTC+1 in November)', () => {
    const open = openIntervals(weekdays, PARIS, ms('2026-11-16T00:00:00+01:00'), ms('2026-11-23T00:00:00+01:00'));
    assert.deepEqual(show(open), [
      ['2026-11-16T08:00:00.000Z', '2026-11-16T17:00:00.000Z'],
      ['2026-11-17T08:00:00.000Z', '2026-11-17T17:00:00.000Z'],
      ['2026-11-18T08:00:00.000Z', '2026-11-18T11:00:00.000Z'],
      ['2026-11-18T13:00:00.000Z', '2026-11-18T17:00:00.000Z'],
    ]);
  });

  it('clips to the range and answers the whole range when always open (null)', () => {
    const from = ms('2026-11-16T10:00:00+01:00');
    const to = ms('2026-11-16T20:00:00+01:00');
    assert.deepEqual(show(openIntervals(weekdays, PARIS, from, to)), [['2026-11-16T09:00:00.000Z', '2026-11-16T17:00:00.000Z']]);
    assert.deepEqual(openIntervals(null, PARIS, from, to), [{ start: from, end: to }]);
    assert.deepEqual(openIntervals(weekdays, PARIS, to, from), []);
  });

  it('merges touching ranges, across midnight too', () => {
    const late: OpeningHours = { '5': [['20:00', '24:00']], '6': [['00:00', '02:00'], ['10:00', '12:00'], ['12:00', '13:00']] };
    const open = openIntervals(late, PARIS, ms('2026-11-20T00:00:00+01:00'), ms('2026-11-22T00:00:00+01:00'));
    assert.deepEqual(show(open), [
      ['2026-11-20T19:00:00.000Z', '2026-11-21T01:00:00.000Z'],
      ['2026-11-21T09:00:00.000Z', '2026-11-21T12:00:00.000Z'],
    ]);
    assert.ok(withinOpeningHours(late, PARIS, ms('2026-11-20T23:00:00+01:00'), ms('2026-11-21T01:00:00+01:00')), 'a booking across midnight fits');
    assert.ok(withinOpeningHours(late, PARIS, ms('2026-11-21T11:00:00+01:00'), ms('2026-11-21T13:00:00+01:00')), 'touching ranges are one');
  });

  it('a booking must lie within one opening interval, not across a closed gap', () => {
    assert.ok(withinOpeningHours(weekdays, PARIS, ms('2026-11-18T09:00:00+01:00'), ms('2026-11-18T12:00:00+01:00')));
    assert.ok(!withinOpeningHours(weekdays, PARIS, ms('2026-11-18T11:00:00+01:00'), ms('2026-11-18T15:00:00+01:00')), 'lunch break');
    assert.ok(!withinOpeningHours(weekdays, PARIS, ms('2026-11-16T17:00:00+01:00'), ms('2026-11-17T10:00:00+01:00')), 'overnight');
    assert.ok(!withinOpeningHours(weekdays, PARIS, ms('2026-11-16T08:45:00+01:00'), ms('2026-11-16T10:00:00+01:00')), 'before opening');
    assert.ok(!withinOpeningHours(weekdays, PARIS, ms('2026-11-19T09:00:00+01:00'), ms('2026-11-19T10:00:00+01:00')), 'closed Thursday');
    assert.ok(withinOpeningHours(weekdays, PARIS, ms('2026-11-16T17:00:00+01:00'), ms('2026-11-16T18:00:00+01:00')), 'up to closing time');
  });

  it('the last Sunday of March has a 23-hour day and the last Sunday of October a 25-hour day', () => {
    const sundays: OpeningHours = { '7': [['00:00', '24:00']] };
    const march = openIntervals(sundays, PARIS, ms('2026-03-28T00:00:00+01:00'), ms('2026-03-31T00:00:00+02:00'));
    assert.equal(march.length, 1);
    assert.equal(march[0]!.end - march[0]!.start, 23 * HOUR);
    assert.deepEqual(show(march), [['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']]);
    const october = openIntervals(sundays, PARIS, ms('2026-10-24T00:00:00+02:00'), ms('2026-10-27T00:00:00+01:00'));
    assert.equal(october[0]!.end - october[0]!.start, 25 * HOUR);
    assert.deepEqual(show(october), [['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']]);
  });

  it('ranges around the DST change follow the wall clock (01:00–04:00 lasts 2 h in March, 4 h in October)', () => {
    const night: OpeningHours = { '7': [['01:00', '04:00']], '1': [['01:00', '04:00']] };
    const [march, mondayAfter] = openIntervals(night, PARIS, ms('2026-03-29T00:00:00+01:00'), ms('2026-03-31T00:00:00+02:00'));
    assert.deepEqual(show([march!]), [['2026-03-29T00:00:00.000Z', '2026-03-29T02:00:00.000Z']]);
    assert.equal(mondayAfter!.end - mondayAfter!.start, 3 * HOUR);
    const [october] = openIntervals(night, PARIS, ms('2026-10-25T00:00:00+02:00'), ms('2026-10-26T00:00:00+01:00'));
    assert.deepEqual(show([october!]), [['2026-10-24T23:00:00.000Z', '2026-10-25T03:00:00.000Z']]);
    // 02:30 does not exist on 29 March: a range from 02:30 starts at 03:30 summer time.
    const gap: OpeningHours = { '7': [['02:30', '05:00']] };
    assert.deepEqual(show(openIntervals(gap, PARIS, ms('2026-03-29T00:00:00+01:00'), ms('2026-03-30T00:00:00+02:00'))), [
      ['2026-03-29T01:30:00.000Z', '2026-03-29T03:00:00.000Z'],
    ]);
  });

  it('an empty object means closed every day', () => {
    assert.deepEqual(openIntervals({}, PARIS, ms('2026-11-16T00:00:00+01:00'), ms('2026-11-23T00:00:00+01:00')), []);
  });
});
