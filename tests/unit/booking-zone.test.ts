import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { formatInstant, localDate, monthOf, parseInstant } from '../../server/shared/time';
import {
  addDays,
  dateOfZoned,
  formatZoned,
  instantOfLocal,
  localFields,
  monthOfZoned,
  offsetMs,
  parseIsoInstant,
} from '../../server/shared/zone';
import '../helpers/seed';

const ZONES = [
  'Europe/Paris',
  'UTC',
  'Etc/UTC',
  'Europe/London',
  'America/New_York',
  'America/Santiago', // transitions at midnight
  'America/St_Johns', // −03:30, transitions at 00:01 until 2011
  'Australia/Lord_Howe', // 30-minute DST
  'Asia/Kathmandu', // +05:45
  'Pacific/Chatham', // +12:45 / +13:45
  'Pacific/Apia', // skipped 30 December 2011
];
const FROM = Date.UTC(2000, 0, 1);
const TO = Date.UTC(2200, 0, 1);
const instant = fc.integer({ min: FROM, max: TO });
const zone = fc.constantFrom(...ZONES);
const ms = (iso: string) => Date.parse(iso);

describe('fast zoned time agrees with luxon', () => {
  it('offsets, ISO text, months and dates', () => {
    fc.assert(
      fc.property(instant, zone, fc.boolean(), (t, z, whole) => {
        const at = whole ? Math.floor(t / 60_000) * 60_000 : t;
        const lux = DateTime.fromMillis(at, { zone: z });
        assert.equal(offsetMs(at, z), lux.offset * 60_000);
        assert.equal(formatZoned(at, z), formatInstant(at, z));
        assert.equal(monthOfZoned(at, z), monthOf(at, z));
        assert.equal(dateOfZoned(at, z), localDate(at, z));
        const f = localFields(at, z);
        assert.deepEqual([f.year, f.month, f.day, f.hour, f.minute, f.second, f.millisecond, f.weekday], [
          lux.year,
          lux.month,
          lux.day,
          lux.hour,
          lux.minute,
          lux.second,
          lux.millisecond,
          lux.weekday,
        ]);
      }),
      { numRuns: 3000 },
    );
  });

  it('around every transition of the Paris zone between 2020 and 2030, minute by minute', () => {
    for (let year = 2020; year <= 2030; year++) {
      for (const month of [3, 10]) {
        const lastSunday = DateTime.fromObject({ year, month }, { zone: 'UTC' }).endOf('month').startOf('day');
        const sunday = lastSunday.minus({ days: lastSunday.weekday % 7 });
        const start = sunday.toMillis() - 3 * 3_600_000;
        for (let t = start; t < start + 8 * 3_600_000; t += 60_000) assert.equal(formatZoned(t, 'Europe/Paris'), formatInstant(t, 'Europe/Paris'));
      }
    }
  });

  it('parses ISO instants exactly like the shared parser, impossible dates included', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.record({
          year: fc.integer({ min: 1900, max: 2300 }),
          month: fc.integer({ min: 0, max: 13 }),
          day: fc.integer({ min: 0, max: 32 }),
          hour: fc.integer({ min: 0, max: 25 }),
          minute: fc.integer({ min: 0, max: 61 }),
          second: fc.option(fc.integer({ min: 0, max: 61 })),
          fraction: fc.option(fc.stringMatching(/^\d{1,9}$/)),
          offset: fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30, 45)).map(([s, h, m]) => `${s}${two(h)}:${two(m)}`)),
        }),
        (p) => {
          const seconds = p.second === null ? '' : `:${two(p.second)}${p.fraction === null ? '' : `.${p.fraction}`}`;
          const text = `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}${seconds}${p.offset}`;
          assert.equal(parseIsoInstant(text), parseInstant(text), text);
        },
      ),
      { numRuns: 10_000 },
    );
    assert.equal(parseIsoInstant('2026-02-30T10:00:00+01:00'), null);
    assert.equal(parseIsoInstant('2028-02-29T10:00:00+01:00'), ms('2028-02-29T09:00:00Z'));
    assert.equal(parseIsoInstant('2026-11-20T09:00:00'), null);
    assert.equal(parseIsoInstant('2026-11-20T09:00:00.123456789Z'), ms('2026-11-20T09:00:00.123Z'));
    assert.equal(parseIsoInstant('2026-12-31T24:00:00+01:00'), ms('2027-01-01T00:00:00+01:00'));
    assert.equal(parseIsoInstant('2026-12-31T24:00:01+01:00'), null);
  });
});

describe('local wall-clock times → instants', () => {
  it('round-trips every instant, choosing the first occurrence of a repeated local time', () => {
    fc.assert(
      fc.property(instant, zone, (t, z) => {
        const at = Math.floor(t / 60_000) * 60_000;
        const f = localFields(at, z);
        const back = instantOfLocal(z, f.year, f.month, f.day, f.hour, f.minute);
        assert.ok(back <= at);
        assert.deepEqual(localFields(back, z), f);
        if (back < at) assert.equal(at - back, offsetMs(back, z) - offsetMs(at, z), 'the earlier reading of a repeated time');
      }),
      { numRuns: 3000 },
    );
  });

  it('Paris: the repeated hour of October is read in summer time; the missing hour of March moves forward', () => {
    assert.equal(formatZoned(instantOfLocal('Europe/Paris', 2026, 10, 25, 2, 30), 'Europe/Paris'), '2026-10-25T02:30:00+02:00');
    assert.equal(formatZoned(instantOfLocal('Europe/Paris', 2026, 10, 25, 3, 0), 'Europe/Paris'), '2026-10-25T03:00:00+01:00');
    assert.equal(formatZoned(instantOfLocal('Europe/Paris', 2026, 3, 29, 2, 30), 'Europe/Paris'), '2026-03-29T03:30:00+02:00');
    assert.equal(formatZoned(instantOfLocal('Europe/Paris', 2026, 3, 29, 2, 0), 'Europe/Paris'), '2026-03-29T03:00:00+02:00');
    assert.equal(formatZoned(instantOfLocal('Europe/Paris', 2026, 3, 29, 3, 0), 'Europe/Paris'), '2026-03-29T03:00:00+02:00');
    assert.equal(instantOfLocal('Europe/Paris', 2026, 3, 30) - instantOfLocal('Europe/Paris', 2026, 3, 29), 23 * 3_600_000);
    assert.equal(instantOfLocal('Europe/Paris', 2026, 10, 26) - instantOfLocal('Europe/Paris', 2026, 10, 25), 25 * 3_600_000);
  });

  it('zones whose changes happen at midnight or by half an hour', () => {
    // Santiago springs forward at 00:00 on 6 September 2026: midnight does not exist, the day starts at 01:00.
    assert.equal(formatZoned(instantOfLocal('America/Santiago', 2026, 9, 6), 'America/Santiago'), '2026-09-06T01:00:00-03:00');
    assert.equal(formatZoned(instantOfLocal('Australia/Lord_Howe', 2026, 4, 5, 1, 45), 'Australia/Lord_Howe'), '2026-04-05T01:45:00+11:00');
    assert.equal(formatZoned(instantOfLocal('Australia/Lord_Howe', 2026, 10, 4, 2, 15), 'Australia/Lord_Howe'), '2026-10-04T02:45:00+11:00');
  });

  it('adds calendar days across month and year ends', () => {
    assert.deepEqual(addDays(2026, 12, 31, 1), { year: 2027, month: 1, day: 1 });
    assert.deepEqual(addDays(2028, 3, 1, -1), { year: 2028, month: 2, day: 29 });
  });
});
