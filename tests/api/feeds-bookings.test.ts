import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import ICAL from 'ical.js';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';

/**
 * The feeds over bookings made through the bookings API (not inserted by hand): a weekly series across the
 * end of summer time, one occurrence moved, one cancelled, a pending booking awaiting approval.
 */
describe('calendar feeds over the bookings API', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let userA: string;
  beforeEach(async () => {
    t = await buildTestApp({ now: '2026-10-01T10:00:00+02:00', config: { publicUrl: 'https://pole.example.org' } });
    pole = await seedPole(t.store);
    [coord, userA] = await Promise.all([login(t.app, pole.coordinator), login(t.app, pole.userA)]);
  });
  afterEach(() => t.close());

  const send = async (method: 'POST' | 'PATCH' | 'DELETE', url: string, cookie: string, payload?: object, status = method === 'POST' ? 201 : 200) => {
    const res = await t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
    assert.equal(res.statusCode, status, res.body);
    return res.json();
  };

  /** Every occurrence ical.js expands from the feed: [UTC start, UTC end, STATUS, SEQUENCE]. */
  function occurrences(text: string): [string, string, string, number][] {
    const root = new ICAL.Component(ICAL.parse(text));
    for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
    const vevents = root.getAllSubcomponents('vevent');
    const out: [string, string, string, number][] = [];
    for (const v of vevents.filter((e) => !e.hasProperty('recurrence-id'))) {
      const event = new ICAL.Event(v);
      for (const ex of vevents) if (ex.hasProperty('recurrence-id') && ex.getFirstPropertyValue('uid') === event.uid) event.relateException(ex);
      const push = (s: ICAL.Time, e: ICAL.Time, c: ICAL.Component, seq: number) =>
        out.push([s.toJSDate().toISOString(), e.toJSDate().toISOString(), String(c.getFirstPropertyValue('status')), seq]);
      if (!event.isRecurring()) push(event.startDate, event.endDate, v, event.sequence);
      else {
        const it = event.iterator();
        for (let n = it.next(); n; n = it.next()) {
          const d = event.getOccurrenceDetails(n);
          push(d.startDate, d.endDate, d.item.component, d.item.sequence);
        }
      }
    }
    return out.sort((a, b) => a[0].localeCompare(b[0]));
  }

  it('shows the series with its moved occurrence in its new place and the cancelled one gone', async () => {
    const room = (await send('POST', '/api/resources', coord, { name: 'Salle de répétition', kind: 'room', capacity: 1, bearerMemberId: pole.memberA })).id;
    const sound = (await send('POST', '/api/resources', coord, { name: 'Technicien son', kind: 'staff', capacity: 1, bearerMemberId: pole.memberB, requiresApproval: true })).id;
    const series = await send('POST', '/api/bookings', userA, {
      resourceId: room,
      start: '2026-10-14T09:00:00+02:00',
      end: '2026-10-14T11:00:00+02:00',
      note: 'Répétition hebdomadaire',
      recurrence: { freq: 'weekly', count: 4 },
    });
    const [, second, third] = series.occurrences as { id: number }[];
    await send('PATCH', `/api/bookings/${second!.id}`, userA, { start: '2026-10-23T14:00:00+02:00', end: '2026-10-23T16:00:00+02:00' });
    await send('DELETE', `/api/bookings/${third!.id}`, userA);
    const pending = await send('POST', '/api/bookings', userA, { resourceId: sound, start: '2026-10-27T20:00:00+01:00', end: '2026-10-27T23:00:00+01:00' });
    assert.equal(pending.status, 'pending');

    const feed = await send('POST', '/api/feeds', userA, { scope: 'member', memberId: pole.memberA });
    const res = await t.app.inject({ url: new URL(feed.url).pathname });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /RRULE:FREQ=WEEKLY;INTERVAL=1;UNTIL=20261104T080000Z/);
    assert.deepEqual(occurrences(res.body), [
      ['2026-10-14T07:00:00.000Z', '2026-10-14T09:00:00.000Z', 'CONFIRMED', 1], // 09:00 CEST (master: SEQUENCE of the series' latest change)
      ['2026-10-23T12:00:00.000Z', '2026-10-23T14:00:00.000Z', 'CONFIRMED', 1], // moved: Friday 14:00 CEST
      ['2026-10-27T19:00:00.000Z', '2026-10-27T22:00:00.000Z', 'TENTATIVE', 0], // pending approval
      ['2026-11-04T08:00:00.000Z', '2026-11-04T10:00:00.000Z', 'CONFIRMED', 1], // 09:00 CET; 28 Oct cancelled
    ]);

    // The coordinator approves the pending booking: it becomes CONFIRMED with a higher SEQUENCE, and the ETag moves.
    t.clock.advance(60_000);
    await send('PATCH', `/api/bookings/${pending.id}`, coord, { status: 'confirmed' });
    const after = await t.app.inject({ url: new URL(feed.url).pathname, headers: { 'if-none-match': String(res.headers.etag) } });
    assert.equal(after.statusCode, 200);
    const approved = occurrences(after.body).find((o) => o[0] === '2026-10-27T19:00:00.000Z')!;
    assert.equal(approved[2], 'CONFIRMED');
    assert.ok(approved[3] >= 1);
  });
});
