import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { formatInstant, isValidZone, localDate, monthOf, monthRange, parseInstant, parseLocalDate, shiftMonth } from '../../server/shared/time';
import { nextMonth } from '../../server/costs/service';
import '../helpers/seed';

const ZONES = ['Europe/Paris', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC', 'America/St_Johns'];

describe('shared zoned time', () => {
  it('month ranges follow the zone: March 2026 in Paris has 743 hours, October 745', () => {
    const march = monthRange('2026-03', 'Europe/Paris');
    const october = monthRange('2026-10', 'Europe/Paris');
    assert.equal((march.endMs - march.startMs) / 3_600_000, 743);
    assert.equal((october.endMs - october.startMs) / 3_600_000, 745);
    assert.equal(new Date(march.startMs).toISOString(), '2026-02-28T23:00:00.000Z');
    const december = monthRange('2026-12', 'Europe/Paris');
    assert.equal(new Date(december.endMs).toISOString(), '2026-12-31T23:00:00.000Z');
  });

  it('agrees with luxon on months, dates, ISO text and month bounds in zones with odd offsets and DST', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 2), max: Date.UTC(2100, 11, 30) }), fc.constantFrom(...ZONES), (ms, zone) => {
        const dt = DateTime.fromMillis(ms, { zone });
        assert.equal(monthOf(ms, zone), dt.toFormat('yyyy-MM'));
        assert.equal(localDate(ms, zone), dt.toISODate());
        assert.equal(formatInstant(ms, zone), dt.toISO({ suppressMilliseconds: true }));
        const month = dt.toFormat('yyyy-MM');
        const start = DateTime.fromISO(`${month}-01`, { zone });
        const end = start.plus({ months: 1 });
        // Where a DST change happens at midnight (St John's before 2011 changed at 00:01) the local midnight of the
        // 1st occurs twice; luxon's pick is arbitrary there, ours is the first occurrence (tested below).
        const changesNearMidnight = (d: DateTime) => d.minus({ hours: 2 }).offset !== d.plus({ hours: 2 }).offset;
        if (changesNearMidnight(start) || changesNearMidnight(end)) return;
        assert.deepEqual(monthRange(month, zone), { month, startMs: start.toMillis(), endMs: end.toMillis() });
      }),
      { numRuns: 2000 },
    );
  });

  it('a month whose local midnight occurs twice starts at its first occurrence', () => {
    // St John's, 1 November 2009: clocks went back from 00:01 NDT (−2:30) to 23:01 NST (−3:30).
    assert.equal(new Date(monthRange('2009-11', 'America/St_Johns').startMs).toISOString(), '2009-11-01T02:30:00.000Z');
  });

  it('parses instants with an offset and refuses impossible ones', () => {
    assert.equal(parseInstant('2026-03-29T03:30:00+02:00'), Date.UTC(2026, 2, 29, 1, 30));
    assert.equal(parseInstant('2026-02-30T10:00:00+01:00'), null);
    assert.equal(parseInstant('2026-02-10T10:00:00'), null, 'an offset is required');
    assert.equal(parseInstant('2026-02-10T25:61:00Z'), null);
  });

  it('dates, next months and zone names agree with luxon (the oracle; the server no longer uses it here)', () => {
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
        const text = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
        assert.equal(parseLocalDate(text) !== null, DateTime.fromISO(text, { zone: 'UTC' }).isValid, text);
        if (m >= 1 && m <= 12) assert.equal(nextMonth(`${pad(y, 4)}-${pad(m)}`), DateTime.fromISO(`${pad(y, 4)}-${pad(m)}-01`, { zone: 'UTC' }).plus({ months: 1 }).toFormat('yyyy-MM'));
      }),
      { numRuns: 2000 },
    );
    for (const zone of [...ZONES, 'Europe/Pariss', 'Mars/Olympus', '', 'utc', 'Etc/GMT+5']) {
      assert.equal(isValidZone(zone), zone !== '' && DateTime.local().setZone(zone).isValid, zone);
    }
  });
});

describe('shiftMonth', () => {
  it('steps across years both ways', () => {
    assert.deepEqual(
      [shiftMonth('2026-12', 1), shiftMonth('2026-01', -1), shiftMonth('2026-11', 0), shiftMonth('2026-03', -15), shiftMonth('2099-12', 13)],
      ['2027-01', '2025-12', '2026-11', '2024-12', '2101-01'],
    );
  });
});
