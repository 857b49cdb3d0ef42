import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { renderCalendar } from '../../server/feeds/ical';
import { redactFeedToken } from '../../server/feeds/log';
import { expandRule, parseSeriesRule, planFeed, planSeries, type FeedBooking } from '../../server/feeds/rules';
import '../helpers/seed';

const Z = 'Europe/Paris';
const at = (iso: string) => DateTime.fromISO(iso, { zone: Z }).toMillis();

let nextId = 1;
function booking(start: number, minutes: number, extra: Partial<FeedBooking> = {}): FeedBooking {
  return {
    id: nextId++,
    startMs: start,
    endMs: start + minutes * 60_000,
    status: 'confirmed',
    seriesId: null,
    originalStartMs: null,
    sequence: 0,
    quantity: 1,
    note: null,
    createdAt: 0,
    updatedAt: 0,
    resourceName: 'Salle',
    memberName: 'Alpha',
    userName: 'Léa',
    ...extra,
  };
}

/** Every non-cancelled occurrence ical.js finds in a rendered feed, as [startISO, endISO, status]. */
function activeOccurrences(text: string): [string, string, string][] {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const vevents = root.getAllSubcomponents('vevent');
  const out: [string, string, string][] = [];
  for (const vevent of vevents.filter((v) => !v.hasProperty('recurrence-id'))) {
    const event = new ICAL.Event(vevent);
    for (const ex of vevents) if (ex.hasProperty('recurrence-id') && ex.getFirstPropertyValue('uid') === event.uid) event.relateException(ex);
    const push = (s: ICAL.Time, e: ICAL.Time, comp: ICAL.Component) => {
      const status = String(comp.getFirstPropertyValue('status'));
      if (status !== 'CANCELLED') out.push([s.toJSDate().toISOString(), e.toJSDate().toISOString(), status]);
    };
    if (!event.isRecurring()) push(event.startDate, event.endDate, vevent);
    else {
      const it = event.iterator();
      for (let n = it.next(), i = 0; n && i < 1000; n = it.next(), i++) {
        const d = event.getOccurrenceDetails(n);
        push(d.startDate, d.endDate, d.item.component);
      }
    }
  }
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

describe('feed rules', () => {
  it('expands rules in the pole’s wall-clock time across DST changes', () => {
    const daily = expandRule({ freq: 'daily', interval: 1 }, at('2026-03-28T09:00'), at('2026-03-30T09:00'), Z);
    assert.deepEqual(
      daily.map((ms) => new Date(ms).toISOString()),
      ['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z'],
    );
    const monthly = expandRule({ freq: 'monthly', interval: 1 }, at('2026-01-31T10:00'), at('2026-06-30T10:00'), Z);
    assert.deepEqual(
      monthly.map((ms) => DateTime.fromMillis(ms, { zone: Z }).toISODate()),
      ['2026-01-31', '2026-03-31', '2026-05-31'],
      'months without a 31st are skipped, as RFC 5545 does',
    );
    const fortnight = expandRule({ freq: 'weekly', interval: 2 }, at('2026-10-19T18:00'), at('2026-11-16T18:00'), Z);
    assert.equal(fortnight.length, 3);
  });

  it('reads stored series rules and refuses what it cannot express', () => {
    assert.deepEqual(parseSeriesRule({ freq: 'weekly', interval: 2, count: 5 }), { freq: 'weekly', interval: 2 });
    assert.deepEqual(parseSeriesRule('{"freq":"DAILY","until":"2026-12-01"}'), { freq: 'daily', interval: 1 });
    assert.equal(parseSeriesRule({ freq: 'yearly', interval: 1 }), null);
    assert.equal(parseSeriesRule({ freq: 'weekly', interval: 0 }), null);
    assert.equal(parseSeriesRule('not json'), null);
  });

  it('writes a fully cancelled series as one cancelled master, and off-rule occurrences as their own events', () => {
    const rule = { freq: 'weekly', interval: 1 } as const;
    const starts = ['2026-11-02T10:00', '2026-11-09T10:00', '2026-11-16T10:00'].map(at);
    const cancelled = starts.map((s) => booking(s, 60, { seriesId: 7, originalStartMs: s, status: 'cancelled', sequence: 2 }));
    const planned = planSeries(7, cancelled, rule, Z, 'h');
    assert.equal(planned.length, 1);
    assert.equal(planned[0]!.status, 'CANCELLED');
    assert.equal(planned[0]!.sequence, 2);
    assert.deepEqual(planned[0]!.repeat?.excludeMs, []);

    // An occurrence whose original start the rule cannot produce (a Wednesday in a Monday series).
    const odd = booking(at('2026-11-11T10:00'), 60, { seriesId: 8, originalStartMs: at('2026-11-11T10:00') });
    const rows = [...starts.map((s) => booking(s, 60, { seriesId: 8, originalStartMs: s })), odd];
    const plan = planSeries(8, rows, rule, Z, 'h');
    assert.ok(plan.some((e) => e.uid === `booking-${odd.id}@h` && e.recurrenceIdMs === undefined));
    assert.equal(plan.filter((e) => e.uid === 'series-8@h').length, 1, 'the others need no override');

    // A rule the feed cannot express: every occurrence is written on its own.
    const singles = planFeed(rows, new Map([[8, { freq: 'hourly' }]]), Z, 'h');
    assert.equal(singles.length, 4);
    assert.ok(singles.every((e) => e.uid.startsWith('booking-') && !e.repeat));
  });

  it('an occurrence with another note or status becomes an override at its own instant', () => {
    const starts = ['2026-11-02T10:00', '2026-11-03T10:00', '2026-11-04T10:00', '2026-11-05T10:00'].map(at);
    const rows = starts.map((s, i) =>
      booking(s, 90, { seriesId: 3, originalStartMs: s, ...(i === 1 ? { note: 'Avec le régisseur' } : {}), ...(i === 2 ? { status: 'pending' as const } : {}) }),
    );
    const plan = planSeries(3, rows, { freq: 'daily', interval: 1 }, Z, 'h');
    const overrides = plan.filter((e) => e.recurrenceIdMs !== undefined);
    assert.deepEqual(overrides.map((e) => e.recurrenceIdMs), [starts[1], starts[2]]);
    assert.equal(overrides[1]!.status, 'TENTATIVE');
    assert.match(overrides[0]!.description, /Avec le régisseur/);
  });

  it('an occurrence moved into the repeated hour of a 25-hour day keeps its instants (written in UTC)', () => {
    // PROOF_SEED=1536030079 found it: 19:00 CEST + 7 h ends at 02:00 local on 2029-10-28, which happens twice;
    // written with a TZID, ical.js read 01:00Z instead of 00:00Z.
    const first = DateTime.fromISO('2027-07-27T06:00', { zone: Z });
    const rule = { freq: 'monthly', interval: 3 } as const;
    const instants = expandRule(rule, first.toMillis(), first.plus({ years: 4 }).toMillis(), Z, 10);
    const rows = instants.map((orig, i) =>
      i === 9 ? booking(orig + 13 * 3_600_000, 420, { seriesId: 1, originalStartMs: orig }) : booking(orig, 120, { seriesId: 1, originalStartMs: orig }),
    );
    const text = renderCalendar({ name: 'x', zone: Z, events: planFeed(rows, new Map([[1, rule]]), Z, 'test') });
    const moved = activeOccurrences(text).find(([start]) => start.startsWith('2029-10-27'));
    assert.deepEqual(moved, ['2029-10-27T17:00:00.000Z', '2029-10-28T00:00:00.000Z', 'CONFIRMED']);
    // The instant one hour later, in the second 02:00, is told apart too.
    const later = renderCalendar({ name: 'x', zone: Z, events: planFeed([booking(Date.parse('2029-10-27T18:00:00Z'), 420)], new Map(), Z, 'test') });
    assert.deepEqual(activeOccurrences(later), [['2029-10-27T18:00:00.000Z', '2029-10-28T01:00:00.000Z', 'CONFIRMED']]);
  });

  it('property: ical.js finds exactly the active bookings of any series, at their instants and statuses', () => {
    const occurrence = fc.record({
      state: fc.constantFrom('kept', 'kept', 'kept', 'cancelled', 'rejected', 'moved', 'pending', 'noted'),
      shiftHours: fc.integer({ min: -30, max: 30 }).filter((h) => h !== 0),
      minutes: fc.integer({ min: 1, max: 16 }).map((q) => q * 30),
    });
    fc.assert(
      fc.property(
        fc.constantFrom('daily', 'weekly', 'monthly'),
        fc.integer({ min: 1, max: 3 }),
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 6, max: 21 }),
        fc.array(occurrence, { minLength: 1, maxLength: 12 }),
        (freq, interval, day, hour, occ) => {
          const first = DateTime.fromJSDate(day, { zone: Z }).set({ hour, minute: 0, second: 0, millisecond: 0 });
          const rule = { freq, interval } as const;
          const instants = expandRule(rule, first.toMillis(), first.plus({ years: 4 }).toMillis(), Z, occ.length);
          const rows = instants.map((orig, i) => {
            const o = occ[i]!;
            const start = o.state === 'moved' ? orig + o.shiftHours * 3_600_000 : orig;
            const status = o.state === 'cancelled' ? 'cancelled' : o.state === 'rejected' ? 'rejected' : o.state === 'pending' ? 'pending' : 'confirmed';
            return booking(start, o.state === 'moved' ? o.minutes : 120, { seriesId: 1, originalStartMs: orig, status, note: o.state === 'noted' ? `note ${i}` : null, sequence: i % 3 });
          });
          const text = renderCalendar({ name: 'x', zone: Z, events: planFeed(rows, new Map([[1, { freq, interval }]]), Z, 'test') });
          const expected = rows
            .filter((b) => b.status === 'confirmed' || b.status === 'pending')
            .map((b): [string, string, string] => [new Date(b.startMs).toISOString(), new Date(b.endMs).toISOString(), b.status === 'pending' ? 'TENTATIVE' : 'CONFIRMED'])
            .sort((a, b) => a[0].localeCompare(b[0]));
          assert.deepEqual(activeOccurrences(text), expected);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps feed tokens out of request logs', () => {
    assert.equal(redactFeedToken('/ical/abcdefghijklmnopqrstuvwxyz234567abcd.ics?pastDays=7'), '/ical/….ics');
    assert.equal(redactFeedToken('/api/feeds'), '/api/feeds');
  });
});
