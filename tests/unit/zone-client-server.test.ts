import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import * as client from '../../client/src/lib/time';
import { formatZoned, instantOfLocal, localFields, offsetMs } from '../../server/shared/zone';
import '../helpers/seed';

/**
 * The browser and the server read the pole's wall clock alike (one module, server/shared/zone.ts, which the
 * client's lib/time.ts delegates to), and both agree with luxon, the oracle, on every instant and on every
 * wall time, the repeated and the skipped hours included: a repeated wall time is its first occurrence, a
 * skipped one moves forward by the gap's length.
 */
const ZONES = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'Pacific/Chatham', 'UTC'];
const HOUR = 3_600_000;

/** The instants at which each zone changes offset between 2000 and 2040 (found with luxon: by day, then bisected). */
function transitions(zone: string): number[] {
  const out: number[] = [];
  const offset = (t: number) => DateTime.fromMillis(t, { zone }).offset;
  for (let day = Date.UTC(2000, 0, 1); day < Date.UTC(2040, 0, 1); day += 86_400_000) {
    let [lo, hi] = [day, day + 86_400_000];
    if (offset(lo) === offset(hi)) continue;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offset(mid) === offset(lo)) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}
const TRANSITIONS = new Map(ZONES.map((z) => [z, transitions(z)]));

/** An instant, most of them within a few hours of one of the zone's offset changes. */
const nearTransition = (zone: string) => {
  const list = TRANSITIONS.get(zone)!;
  const random = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) });
  if (list.length === 0) return random;
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...list), fc.integer({ min: -3 * 60, max: 3 * 60 })).map(([t, minutes]) => t + minutes * 60_000) },
    { weight: 1, arbitrary: random },
  );
};
const zoneAndInstant = fc.constantFrom(...ZONES).chain((zone) => fc.tuple(fc.constant(zone), nearTransition(zone)));

/** luxon as the oracle of the rule: of the instants whose wall clock shows `w`, the first; none (a gap): forward by the gap. */
function oracle(zone: string, w: client.Wall): number {
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const before = DateTime.fromMillis(wall - 86_400_000, { zone }).offset * 60_000;
  const after = DateTime.fromMillis(wall + 86_400_000, { zone }).offset * 60_000;
  const shows = (t: number) => {
    const d = DateTime.fromMillis(t, { zone });
    return d.year === w.year && d.month === w.month && d.day === w.day && d.hour === w.hour && d.minute === w.minute && d.second === w.second;
  };
  const hits = [...new Set([wall - before, wall - after])].filter(shows).sort((a, b) => a - b);
  return hits[0] ?? wall - before;
}

describe('one zone arithmetic for the browser and the server', () => {
  it('every instant: the same wall clock, offset and ISO text in the client, the server and luxon', () => {
    fc.assert(
      fc.property(zoneAndInstant, ([zone, at]) => {
        const t = Math.floor(at / 1000) * 1000;
        const lux = DateTime.fromMillis(t, { zone });
        const w = client.wallOf(t, zone);
        const s = localFields(t, zone);
        assert.deepEqual(w, { year: s.year, month: s.month, day: s.day, hour: s.hour, minute: s.minute, second: s.second });
        assert.deepEqual(w, { year: lux.year, month: lux.month, day: lux.day, hour: lux.hour, minute: lux.minute, second: lux.second });
        assert.equal(client.offsetMs(t, zone), offsetMs(t, zone));
        assert.equal(client.offsetMs(t, zone), lux.offset * 60_000);
        // The client writes ±hh:mm even in UTC, the server Z there: the same instant either way.
        assert.equal(Date.parse(client.zonedIso(t, zone)), t);
        assert.equal(client.zonedIso(t, zone).slice(0, 19), formatZoned(t, zone).slice(0, 19));
      }),
      { numRuns: 2000 },
    );
  });

  it('every wall time, repeated and skipped ones included: the same instant in the client, the server and the luxon oracle', () => {
    // Wall times read around each change, in 5-minute steps: they cover the hour that repeats and the one skipped.
    const wallNear = zoneAndInstant.chain(([zone, at]) =>
      fc.tuple(fc.constant(zone), fc.constant(at), fc.integer({ min: -90, max: 90 }).map((m) => m * 5 * 60_000), fc.boolean()),
    );
    let repeated = 0;
    let skipped = 0;
    fc.assert(
      fc.property(wallNear, ([zone, at, shift, useOffsetBefore]) => {
        const base = Math.floor(at / 60_000) * 60_000;
        // Shift on the wall clock (not in real time), so that skipped wall times are drawn too.
        const offset = DateTime.fromMillis(base + (useOffsetBefore ? -HOUR * 4 : HOUR * 4), { zone }).offset * 60_000;
        const d = new Date(base + offset + shift);
        const w: client.Wall = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: 0 };
        const expected = oracle(zone, w);
        const fromClient = client.instantOf(w, zone);
        assert.equal(fromClient, instantOfLocal(zone, w.year, w.month, w.day, w.hour, w.minute, w.second));
        assert.equal(fromClient, expected, `${zone} ${JSON.stringify(w)}`);
        const shown = client.wallOf(fromClient, zone);
        if (JSON.stringify(shown) !== JSON.stringify(w)) skipped++;
        else if (client.wallOf(fromClient + 3_600_000, zone).hour === w.hour && client.wallOf(fromClient + 3_600_000, zone).minute === w.minute) repeated++;
      }),
      { numRuns: 3000 },
    );
    assert.ok(repeated > 10 && skipped > 10, `the draw covered repeated (${repeated}) and skipped (${skipped}) wall times`);
  });

  it('Paris, 25 October 2026 02:30 (repeated): 00:30Z, the first occurrence, in both; 29 March 2026 02:30 (skipped): 03:30+02:00', () => {
    const repeatedWall = { year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 };
    assert.equal(new Date(client.instantOf(repeatedWall, 'Europe/Paris')).toISOString(), '2026-10-25T00:30:00.000Z');
    assert.equal(new Date(instantOfLocal('Europe/Paris', 2026, 10, 25, 2, 30)).toISOString(), '2026-10-25T00:30:00.000Z');
    assert.equal(client.wallToIso('2026-10-25T02:30', 'Europe/Paris'), '2026-10-25T02:30:00+02:00');
    assert.equal(client.wallToIso('2026-03-29T02:30', 'Europe/Paris'), '2026-03-29T03:30:00+02:00');
    assert.equal(instantOfLocal('Europe/Paris', 2026, 3, 29, 2, 30), Date.parse('2026-03-29T03:30:00+02:00'));
  });
});
