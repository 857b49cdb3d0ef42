import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { formatInstant, localDate, monthOf, monthRange, parseInstant } from '../../server/shared/time';

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
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2199, 11, 31) }), fc.constantFrom(...ZONES), (ms, zone) => {
        const dt = DateTime.fromMillis(ms, { zone });
        assert.equal(monthOf(ms, zone), dt.toFormat('yyyy-MM'));
        assert.equal(localDate(ms, zone), dt.toISODate());
        assert.equal(formatInstant(ms, zone), dt.toISO({ suppressMilliseconds: true }));
        const month = dt.toFormat('yyyy-MM');
        const start = DateTime.fromISO(`${month}-01`, { zone });
        assert.deepEqual(monthRange(month, zone), { month, startMs: start.toMillis(), endMs: start.plus({ months: 1 }).toMillis() });
      }),
      { numRuns: 2000 },
    );
  });

  it('parses instants with an offset and refuses impossible ones', () => {
    assert.equal(parseInstant('2026-03-29T03:30:00+02:00'), Date.UTC(2026, 2, 29, 1, 30));
    assert.equal(parseInstant('2026-02-30T10:00:00+01:00'), null);
    assert.equal(parseInstant('2026-02-10T10:00:00'), null, 'an offset is required');
    assert.equal(parseInstant('2026-02-10T25:61:00Z'), null);
  });
});
