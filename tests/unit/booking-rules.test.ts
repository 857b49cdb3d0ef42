import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bookableWindows,
  fitsCapacity,
  freeTimeline,
  horizonEnd,
  isAligned,
  peakLoad,
  ruleViolations,
  wallClockMinutes,
  type BookableResource,
  type Load,
  type RuleContext,
} from '../../server/bookings/rules';
import { subtractIntervals, mergeIntervals } from '../../server/bookings/intervals';

const PARIS = 'Europe/Paris';
const ms = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const at = (hhmm: string, day = '2026-11-18', offset = '+01:00') => ms(`${day}T${hhmm}:00${offset}`);
const load = (from: string, to: string, quantity = 1, day = '2026-11-18'): Load => ({ start: at(from, day), end: at(to, day), quantity });

/** A resource as created with only name, kind, capacity and bearer: always open, 15-minute steps, 365 days. */
const defaults: BookableResource = {
  capacity: 1,
  granularityMinutes: 15,
  minMinutes: null,
  maxMinutes: null,
  openingHours: null,
  blackouts: [],
  horizonDays: 365,
  active: true,
};
const member: RuleContext = { zone: PARIS, now: ms('2026-11-16T10:00:00+01:00'), mayBookPast: false };
const coordinator: RuleContext = { ...member, mayBookPast: true };

describe('capacity in units', () => {
  it('sums quantities at every instant: a pool of 3 takes 2 + 1 but not 2 + 2', () => {
    const existing = [load('09:00', '12:00', 2)];
    assert.ok(fitsCapacity(3, existing, load('10:00', '11:00', 1)));
    assert.ok(!fitsCapacity(3, existing, load('10:00', '11:00', 2)));
    assert.ok(fitsCapacity(3, existing, load('12:00', '13:00', 3)), 'after the existing booking, all 3 are free');
  });

  it('the peak is taken at the busiest instant, not summed over the whole range', () => {
    const existing = [load('09:00', '10:00', 2), load('11:00', '12:00', 2), load('09:30', '11:30', 1)];
    assert.equal(peakLoad(existing, { start: at('08:00'), end: at('13:00') }), 3);
    assert.equal(peakLoad(existing, { start: at('10:00'), end: at('11:00') }), 1);
    assert.ok(fitsCapacity(3, existing, load('10:00', '11:00', 2)), 'between the two blocks only one unit is used');
    assert.ok(!fitsCapacity(3, existing, load('09:45', '11:00', 2)));
  });

  it('touching intervals do not conflict: [9,10) then [10,11) on a capacity of 1', () => {
    const existing = [load('09:00', '10:00'), load('11:00', '12:00')];
    assert.ok(fitsCapacity(1, existing, load('10:00', '11:00')));
    assert.ok(!fitsCapacity(1, existing, load('09:59', '10:30')));
    assert.ok(!fitsCapacity(1, existing, load('10:30', '11:01')));
    assert.equal(peakLoad([load('09:00', '10:00'), load('10:00', '11:00')], { start: at('09:00'), end: at('11:00') }), 1);
  });

  it('a quantity above the capacity is a rule violation of its own', () => {
    assert.deepEqual(ruleViolations({ ...defaults, capacity: 3 }, load('10:00', '11:00', 4), member), ['quantity_exceeds_capacity']);
  });
});

describe('rules of a default resource', () => {
  it('can be booked at any hour in 15-minute steps, up to 365 days ahead', () => {
    assert.deepEqual(ruleViolations(defaults, load('02:15', '23:45'), member), []);
    assert.deepEqual(ruleViolations(defaults, { start: at('23:00'), end: at('01:00', '2026-11-20'), quantity: 1 }, member), [], 'across days');
    assert.deepEqual(ruleViolations(defaults, load('10:10', '11:00'), member), ['misaligned']);
    assert.deepEqual(ruleViolations(defaults, { start: at('10:00'), end: at('11:00') + 1000, quantity: 1 }, member), ['misaligned']);
    const lastDay = horizonEnd(member.now, PARIS, 365);
    assert.equal(new Date(lastDay).toISOString(), '2027-11-16T09:00:00.000Z');
    assert.deepEqual(ruleViolations(defaults, { start: lastDay - HOUR, end: lastDay, quantity: 1 }, member), []);
    assert.deepEqual(ruleViolations(defaults, { start: lastDay, end: lastDay + HOUR, quantity: 1 }, member), ['beyond_horizon']);
  });

  it('members cannot book in the past; coordinators may record past bookings', () => {
    const past = { start: ms('2026-11-16T09:00:00+01:00'), end: ms('2026-11-16T11:00:00+01:00'), quantity: 1 };
    assert.deepEqual(ruleViolations(defaults, past, member), ['in_past']);
    assert.deepEqual(ruleViolations(defaults, past, coordinator), []);
  });

  it('min and max durations', () => {
    const r = { ...defaults, minMinutes: 60, maxMinutes: 180 };
    assert.deepEqual(ruleViolations(r, load('10:00', '10:45'), member), ['too_short']);
    assert.deepEqual(ruleViolations(r, load('10:00', '11:00'), member), []);
    assert.deepEqual(ruleViolations(r, load('10:00', '13:00'), member), []);
    assert.deepEqual(ruleViolations(r, load('10:00', '13:15'), member), ['too_long']);
  });

  it('an inactive resource takes no booking', () => {
    assert.deepEqual(ruleViolations({ ...defaults, active: false }, load('10:00', '11:00'), coordinator), ['resource_inactive']);
  });
});

describe('opening hours and blackouts', () => {
  const office: BookableResource = { ...defaults, openingHours: { '1': [['09:00', '18:00']], '3': [['09:00', '12:00'], ['14:00', '18:00']] } };

  it('a booking lies entirely within one opening interval', () => {
    assert.deepEqual(ruleViolations(office, load('09:00', '12:00'), member), []);
    assert.deepEqual(ruleViolations(office, load('11:00', '15:00'), member), ['outside_opening_hours']);
    assert.deepEqual(ruleViolations(office, load('08:00', '09:30'), member), ['outside_opening_hours']);
    assert.deepEqual(ruleViolations(office, load('10:00', '11:00', 1, '2026-11-19'), member), ['outside_opening_hours'], 'closed on Thursdays');
  });

  it('a booking may not overlap a blackout; touching one is fine', () => {
    const r: BookableResource = { ...defaults, blackouts: [{ start: at('12:00'), end: at('14:00'), reason: 'Maintenance' }] };
    assert.deepEqual(ruleViolations(r, load('11:00', '12:15'), member), ['in_blackout']);
    assert.deepEqual(ruleViolations(r, load('13:45', '15:00'), member), ['in_blackout']);
    assert.deepEqual(ruleViolations(r, load('11:00', '15:00'), member), ['in_blackout'], 'spanning it');
    assert.deepEqual(ruleViolations(r, load('11:00', '12:00'), member), []);
    assert.deepEqual(ruleViolations(r, load('14:00', '15:00'), member), []);
  });

  it('reports every broken rule at once', () => {
    const r: BookableResource = { ...office, blackouts: [{ start: at('00:00'), end: at('23:00') }], maxMinutes: 60 };
    assert.deepEqual(ruleViolations(r, load('07:10', '09:00', 2), member), [
      'quantity_exceeds_capacity',
      'misaligned',
      'too_long',
      'outside_opening_hours',
      'in_blackout',
    ]);
  });
});

describe('DST days in Europe/Paris', () => {
  const sundays: BookableResource = { ...defaults, granularityMinutes: 60, openingHours: { '7': [['00:00', '24:00']] }, maxMinutes: 1440 };
  const spring = { ...member, now: ms('2026-03-01T10:00:00+01:00') };
  const autumn = { ...member, now: ms('2026-10-01T10:00:00+02:00') };

  it('29 March 2026 has 23 hours: the whole day is one booking of at most one day', () => {
    const day = { start: ms('2026-03-29T00:00:00+01:00'), end: ms('2026-03-30T00:00:00+02:00'), quantity: 1 };
    assert.equal(day.end - day.start, 23 * HOUR);
    assert.equal(wallClockMinutes(day.start, day.end, PARIS), 1440);
    assert.deepEqual(ruleViolations(sundays, day, spring), []);
    // 24 real hours (to 01:00 on Monday) still fit "one day"; 25 do not, and Monday is closed anyway.
    assert.deepEqual(ruleViolations({ ...sundays, openingHours: null }, { ...day, end: ms('2026-03-30T01:00:00+02:00') }, spring), []);
    assert.deepEqual(ruleViolations(sundays, { ...day, end: ms('2026-03-30T02:00:00+02:00') }, spring), ['too_long', 'outside_opening_hours']);
  });

  it('25 October 2026 has 25 hours: the whole day is still one day, not too long', () => {
    const day = { start: ms('2026-10-25T00:00:00+02:00'), end: ms('2026-10-26T00:00:00+01:00'), quantity: 1 };
    assert.equal(day.end - day.start, 25 * HOUR);
    assert.equal(wallClockMinutes(day.start, day.end, PARIS), 1440);
    assert.deepEqual(ruleViolations(sundays, day, autumn), []);
  });

  it('min durations count real time too: the repeated hour of October is a full hour', () => {
    const r = { ...sundays, minMinutes: 60, maxMinutes: null };
    const repeated = { start: ms('2026-10-25T02:00:00+02:00'), end: ms('2026-10-25T02:00:00+01:00'), quantity: 1 };
    assert.equal(wallClockMinutes(repeated.start, repeated.end, PARIS), 0);
    assert.deepEqual(ruleViolations(r, repeated, autumn), []);
    const wholeSpringDay = { start: ms('2026-03-29T00:00:00+01:00'), end: ms('2026-03-30T00:00:00+02:00'), quantity: 1 };
    assert.deepEqual(ruleViolations({ ...sundays, minMinutes: 1440 }, wholeSpringDay, spring), [], '23 real hours are a whole day');
    assert.deepEqual(ruleViolations({ ...sundays, minMinutes: 1440 }, { ...wholeSpringDay, end: wholeSpringDay.end - HOUR }, spring), ['too_short']);
  });

  it('steps align on the local wall clock on both sides of the change', () => {
    // 01:00 winter time, then 03:00 summer time one hour later: both on the hour.
    assert.ok(isAligned(ms('2026-03-29T01:00:00+01:00'), PARIS, 60));
    assert.ok(isAligned(ms('2026-03-29T03:00:00+02:00'), PARIS, 60));
    assert.deepEqual(ruleViolations(sundays, { start: ms('2026-03-29T01:00:00+01:00'), end: ms('2026-03-29T03:00:00+02:00'), quantity: 1 }, spring), []);
    // The repeated hour of October: 02:00 summer time and 02:00 winter time are both aligned.
    assert.ok(isAligned(ms('2026-10-25T02:00:00+02:00'), PARIS, 60));
    assert.ok(isAligned(ms('2026-10-25T02:00:00+01:00'), PARIS, 60));
    assert.ok(!isAligned(ms('2026-10-25T02:30:00+01:00'), PARIS, 60));
    assert.deepEqual(
      ruleViolations(sundays, { start: ms('2026-10-25T02:00:00+02:00'), end: ms('2026-10-25T02:00:00+01:00'), quantity: 1 }, autumn),
      [],
      'the first 02:00–02:00 hour is a valid booking of one real hour',
    );
  });

  it('a weekday 09:00–18:00 opening is 9 hours on both sides of the change', () => {
    const r: BookableResource = { ...defaults, openingHours: { '1': [['09:00', '18:00']] } };
    assert.deepEqual(ruleViolations(r, { start: ms('2026-03-30T09:00:00+02:00'), end: ms('2026-03-30T18:00:00+02:00'), quantity: 1 }, spring), []);
    assert.deepEqual(ruleViolations(r, { start: ms('2026-03-30T08:00:00+01:00'), end: ms('2026-03-30T09:00:00+02:00'), quantity: 1 }, spring), [
      'outside_opening_hours',
    ]);
  });
});

describe('free capacity timeline', () => {
  const from = at('00:00');
  const to = at('00:00', '2026-11-19');

  it('covers the range with constant-value segments: closed 0, open capacity minus bookings', () => {
    const r: BookableResource = { ...defaults, capacity: 3, openingHours: { '3': [['09:00', '18:00']] } };
    const windows = bookableWindows(r, from, to, coordinator);
    const segments = freeTimeline(3, windows, [load('10:00', '12:00', 2), load('11:00', '13:00', 1), load('17:00', '19:00', 3)], from, to);
    const hhmm = (t: number) => new Date(t + HOUR).toISOString().slice(11, 16);
    assert.deepEqual(
      segments.map((s) => [hhmm(s.start), hhmm(s.end), s.free]),
      [
        ['00:00', '09:00', 0],
        ['09:00', '10:00', 3],
        ['10:00', '11:00', 1],
        ['11:00', '12:00', 0],
        ['12:00', '13:00', 2],
        ['13:00', '17:00', 3],
        ['17:00', '00:00', 0],
      ],
    );
    assert.equal(segments[0]!.start, from);
    assert.equal(segments.at(-1)!.end, to);
  });

  it('honours blackouts, the horizon, now for members, and the active flag', () => {
    const r: BookableResource = { ...defaults, capacity: 2, horizonDays: 2, blackouts: [{ start: at('12:00'), end: at('14:00') }] };
    const ctx = { ...member, now: at('08:00') };
    const windows = bookableWindows(r, from, at('12:00', '2026-11-21'), ctx);
    assert.deepEqual(windows, [
      { start: at('08:00'), end: at('12:00') },
      { start: at('14:00'), end: at('08:00', '2026-11-20') },
    ]);
    assert.deepEqual(bookableWindows({ ...r, active: false }, from, to, ctx), []);
    const segments = freeTimeline(2, windows, [], from, to);
    assert.deepEqual(
      segments.map((s) => s.free),
      [0, 2, 0, 2],
    );
  });
});

describe('interval helpers', () => {
  it('merge joins touching and overlapping intervals; subtract cuts holes', () => {
    assert.deepEqual(mergeIntervals([{ start: 5, end: 7 }, { start: 1, end: 3 }, { start: 3, end: 4 }, { start: 6, end: 9 }, { start: 10, end: 10 }]), [
      { start: 1, end: 4 },
      { start: 5, end: 9 },
    ]);
    assert.deepEqual(subtractIntervals([{ start: 0, end: 10 }], [{ start: 2, end: 3 }, { start: 8, end: 12 }, { start: -5, end: 1 }]), [
      { start: 1, end: 2 },
      { start: 3, end: 8 },
    ]);
  });
});
