import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import type { Store } from '../../db/index';
import { buildTestApp, login, seedPole, tableCounts, type SeededPole, type TestApp } from '../helpers/app';

// Bookings are inserted directly: the feeds only read the bookings table.
function insertResource(store: Store, name: string, bearerMemberId: number): number {
  return Number(
    store.sqlite
      .prepare('INSERT INTO resources (name, kind, capacity, bearer_member_id, created_at) VALUES (?, ?, 1, ?, 0)')
      .run(name, 'room', bearerMemberId).lastInsertRowid,
  );
}

interface BookingFixture {
  resourceId: number;
  memberId: number;
  userId: number;
  start: string;
  end: string;
  status?: 'pending' | 'confirmed' | 'rejected' | 'cancelled';
  seriesId?: number;
  originalStart?: string;
  sequence?: number;
  note?: string;
}

function insertBooking(store: Store, b: BookingFixture): number {
  return Number(
    store.sqlite
      .prepare(
        `INSERT INTO bookings (resource_id, member_id, user_id, start_ms, end_ms, quantity, note, status, series_id,
           original_start_ms, sequence, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        b.resourceId,
        b.memberId,
        b.userId,
        Date.parse(b.start),
        Date.parse(b.end),
        b.note ?? null,
        b.status ?? 'confirmed',
        b.seriesId ?? null,
        b.originalStart ? Date.parse(b.originalStart) : null,
        b.sequence ?? 0,
        Date.parse('2026-09-01T08:00:00Z'),
        Date.parse('2026-09-01T08:00:00Z') + (b.sequence ?? 0) * 1000,
      ).lastInsertRowid,
  );
}

function insertSeries(store: Store, resourceId: number, memberId: number, rule: object): number {
  return Number(
    store.sqlite
      .prepare('INSERT INTO booking_series (resource_id, member_id, rule, created_at) VALUES (?, ?, ?, 0)')
      .run(resourceId, memberId, JSON.stringify(rule)).lastInsertRowid,
  );
}

interface Occurrence {
  uid: string;
  start: string;
  end: string;
  status: string | null;
  summary: string;
  sequence: number;
}

/** Expands a feed with ical.js (an independent parser): every occurrence with its instants in UTC. */
function expand(text: string, until = '2027-12-31T00:00:00Z'): Occurrence[] {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const vevents = root.getAllSubcomponents('vevent');
  const masters = vevents.filter((v) => !v.hasProperty('recurrence-id'));
  const exceptions = vevents.filter((v) => v.hasProperty('recurrence-id'));
  const out: Occurrence[] = [];
  const iso = (t: ICAL.Time) => t.toJSDate().toISOString();
  const limit = Date.parse(until);
  for (const vevent of masters) {
    const event = new ICAL.Event(vevent);
    for (const ex of exceptions) if (ex.getFirstPropertyValue('uid') === event.uid) event.relateException(ex);
    if (!event.isRecurring()) {
      out.push({ uid: event.uid, start: iso(event.startDate), end: iso(event.endDate), status: String(vevent.getFirstPropertyValue('status') ?? null), summary: event.summary, sequence: event.sequence });
      continue;
    }
    const it = event.iterator();
    for (let next = it.next(); next && next.toJSDate().getTime() < limit; next = it.next()) {
      const d = event.getOccurrenceDetails(next);
      const comp = d.item.component;
      out.push({ uid: event.uid, start: iso(d.startDate), end: iso(d.endDate), status: String(comp.getFirstPropertyValue('status') ?? null), summary: d.item.summary, sequence: d.item.sequence });
    }
  }
  return out.sort((a, b) => a.start.localeCompare(b.start));
}

describe('calendar feeds', () => {
  let t: TestApp;
  let pole: SeededPole;
  let room: number;
  let van: number;
  beforeEach(async () => {
    t = await buildTestApp({ now: '2026-11-16T10:00:00+01:00', config: { publicUrl: 'https://pole.example.org/' } });
    pole = await seedPole(t.store);
    room = insertResource(t.store, 'Salle de répétition', pole.memberA);
    van = insertResource(t.store, 'Camion', pole.memberB);
  });
  afterEach(() => t.close());

  async function createFeed(email: string, body: object) {
    const cookie = await login(t.app, email);
    const res = await t.app.inject({ method: 'POST', url: '/api/feeds', headers: { cookie }, payload: body });
    return { res, cookie };
  }

  const path = (url: string) => new URL(url).pathname;

  it('serves a member feed with every booking at the right instant across the October DST change', async () => {
    const userA = pole.userIds[pole.userA]!;
    // A single booking before the change (CEST, UTC+2), one after (CET, UTC+1).
    insertBooking(t.store, { resourceId: room, memberId: pole.memberA, userId: userA, start: '2026-10-20T09:00:00+02:00', end: '2026-10-20T11:00:00+02:00', note: 'Répétition générale' });
    insertBooking(t.store, { resourceId: van, memberId: pole.memberA, userId: userA, start: '2026-10-26T09:00:00+01:00', end: '2026-10-26T18:00:00+01:00', status: 'pending' });
    insertBooking(t.store, { resourceId: room, memberId: pole.memberA, userId: userA, start: '2026-11-20T14:00:00+01:00', end: '2026-11-20T15:00:00+01:00', status: 'cancelled', sequence: 2 });
    // A weekly series across the change: 27/10 cancelled, 03/11 moved to 04/11 15:00.
    const series = insertSeries(t.store, room, pole.memberA, { freq: 'weekly', interval: 1, count: 4 });
    const occ = (day: string, offset: string, extra: Partial<BookingFixture> = {}) =>
      insertBooking(t.store, {
        resourceId: room,
        memberId: pole.memberA,
        userId: userA,
        start: `${day}T14:00:00${offset}`,
        end: `${day}T16:00:00${offset}`,
        seriesId: series,
        originalStart: `${day}T14:00:00${offset}`,
        ...extra,
      });
    occ('2026-10-20', '+02:00');
    occ('2026-10-27', '+01:00', { status: 'cancelled', sequence: 1 });
    occ('2026-11-03', '+01:00', { start: '2026-11-04T15:00:00+01:00', end: '2026-11-04T17:00:00+01:00', sequence: 1 });
    occ('2026-11-10', '+01:00');
    // Not in A's feed: another structure's booking, and one outside the window (90 days back).
    insertBooking(t.store, { resourceId: room, memberId: pole.memberB, userId: pole.userIds[pole.userB]!, start: '2026-11-18T09:00:00+01:00', end: '2026-11-18T10:00:00+01:00' });
    insertBooking(t.store, { resourceId: room, memberId: pole.memberA, userId: userA, start: '2026-06-01T09:00:00+02:00', end: '2026-06-01T10:00:00+02:00' });

    const { res } = await createFeed(pole.userA, { scope: 'member', memberId: pole.memberA });
    assert.equal(res.statusCode, 201);
    const { id, url } = res.json();
    assert.ok(id > 0);
    assert.match(url, /^https:\/\/pole\.example\.org\/ical\/[a-z2-7]{30,}\.ics$/);
    const token = url.match(/ical\/(.+)\.ics$/)[1];
    const stored = t.store.sqlite.prepare('SELECT token_hash FROM feeds WHERE id = ?').get(id) as { token_hash: Buffer };
    assert.equal(stored.token_hash.length, 32, 'a SHA-256 is stored');
    assert.ok(!stored.token_hash.toString('latin1').includes(token) && !JSON.stringify(t.store.sqlite.prepare('SELECT * FROM feeds').all()).includes(token));

    const feed = await t.app.inject({ url: path(url) });
    assert.equal(feed.statusCode, 200);
    assert.match(String(feed.headers['content-type']), /^text\/calendar/);
    const text = feed.body;
    assert.match(text, /BEGIN:VTIMEZONE\r\nTZID:Europe\/Paris/);
    assert.match(text, /DTSTART;TZID=Europe\/Paris:20261020T090000/);
    assert.match(text, /RRULE:FREQ=WEEKLY;INTERVAL=1;UNTIL=20261110T130000Z/);
    assert.match(text, /EXDATE;TZID=Europe\/Paris:20261027T140000/);
    assert.match(text, /RECURRENCE-ID;TZID=Europe\/Paris:20261103T140000/);

    const occurrences = expand(text);
    assert.deepEqual(
      occurrences.map((o) => [o.start, o.end, o.status]),
      [
        ['2026-10-20T07:00:00.000Z', '2026-10-20T09:00:00.000Z', 'CONFIRMED'], // 09:00 CEST
        ['2026-10-20T12:00:00.000Z', '2026-10-20T14:00:00.000Z', 'CONFIRMED'], // series, 14:00 CEST
        ['2026-10-26T08:00:00.000Z', '2026-10-26T17:00:00.000Z', 'TENTATIVE'], // 09:00 CET, pending
        ['2026-11-04T14:00:00.000Z', '2026-11-04T16:00:00.000Z', 'CONFIRMED'], // moved occurrence, new place
        ['2026-11-10T13:00:00.000Z', '2026-11-10T15:00:00.000Z', 'CONFIRMED'], // series, 14:00 CET
        ['2026-11-20T13:00:00.000Z', '2026-11-20T14:00:00.000Z', 'CANCELLED'],
      ],
    );
    assert.ok(!occurrences.some((o) => o.start.startsWith('2026-10-27')), 'the cancelled occurrence is excluded');
    assert.ok(!occurrences.some((o) => o.start.startsWith('2026-11-03')), 'the moved occurrence left its original place');
    assert.ok(!occurrences.some((o) => o.start.startsWith('2026-11-18') || o.start.startsWith('2026-06')));
    // The series shares one UID; the moved occurrence keeps it; SEQUENCE follows the booking's.
    const seriesUids = new Set(occurrences.filter((o) => o.uid.startsWith('series-')).map((o) => o.uid));
    assert.equal(seriesUids.size, 1);
    assert.equal(occurrences.find((o) => o.start.startsWith('2026-11-20'))!.sequence, 2);
    assert.equal(occurrences.find((o) => o.start.startsWith('2026-11-04'))!.sequence, 1);
    assert.match(occurrences[0]!.summary, /Salle de répétition — Association Alpha/);

    // A second parser (node-ical) agrees on the single events' instants and statuses.
    const parsed = Object.values(nodeIcal.sync.parseICS(text)).filter((c) => c?.type === 'VEVENT') as nodeIcal.VEvent[];
    const cancelled = parsed.find((e) => e.uid.startsWith('booking-') && e.status === 'CANCELLED');
    assert.equal(cancelled?.start.toISOString(), '2026-11-20T13:00:00.000Z');
    const pending = parsed.find((e) => e.status === 'TENTATIVE');
    assert.equal(pending?.start.toISOString(), '2026-10-26T08:00:00.000Z');
  });

  it('keeps UIDs and the body stable across polls and answers 304 to If-None-Match and If-Modified-Since', async () => {
    const userA = pole.userIds[pole.userA]!;
    const booking = insertBooking(t.store, { resourceId: room, memberId: pole.memberA, userId: userA, start: '2026-11-20T09:00:00+01:00', end: '2026-11-20T10:00:00+01:00' });
    const { res } = await createFeed(pole.userA, { scope: 'user' });
    const url = path(res.json().url);
    const first = await t.app.inject({ url });
    assert.equal(first.statusCode, 200);
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers['last-modified']);
    assert.match(etag, /^".+"$/);
    assert.equal(lastModified, new Date('2026-11-16T09:00:00Z').toUTCString(), 'the latest of the feed’s creation and its bookings’ changes');
    const again = await t.app.inject({ url });
    assert.equal(again.body, first.body, 'a poll without change gives the same bytes');
    assert.equal(again.headers.etag, etag);

    const byEtag = await t.app.inject({ url, headers: { 'if-none-match': etag } });
    assert.equal(byEtag.statusCode, 304);
    assert.equal(byEtag.body, '');
    const byDate = await t.app.inject({ url, headers: { 'if-modified-since': lastModified } });
    assert.equal(byDate.statusCode, 304);
    const stale = await t.app.inject({ url, headers: { 'if-none-match': '"something-else"', 'if-modified-since': lastModified } });
    assert.equal(stale.statusCode, 200, 'If-None-Match decides when both are sent');

    // A change (the booking is cancelled: status, sequence and updated_at move) gives a new version.
    t.clock.advance(3_600_000);
    t.store.sqlite.prepare("UPDATE bookings SET status = 'cancelled', sequence = 1, updated_at = ? WHERE id = ?").run(t.clock.now(), booking);
    const changed = await t.app.inject({ url, headers: { 'if-none-match': etag, 'if-modified-since': lastModified } });
    assert.equal(changed.statusCode, 200);
    assert.notEqual(changed.headers.etag, etag);
    assert.match(changed.body, /STATUS:CANCELLED/);
    assert.match(changed.body, /SEQUENCE:1/);
    const uid = (body: string) => body.match(/UID:(.+)\r\n/)![1];
    assert.equal(uid(changed.body), uid(first.body), 'the UID stays the same');
    assert.equal(changed.headers['last-modified'], new Date('2026-11-16T10:00:00Z').toUTCString());
    assert.equal((await t.app.inject({ url, headers: { 'if-modified-since': lastModified } })).statusCode, 200);
  });

  it('shows a member user only its structure’s bookings of a resource; a coordinator sees all', async () => {
    insertBooking(t.store, { resourceId: room, memberId: pole.memberA, userId: pole.userIds[pole.userA]!, start: '2026-11-20T09:00:00+01:00', end: '2026-11-20T10:00:00+01:00' });
    insertBooking(t.store, { resourceId: room, memberId: pole.memberB, userId: pole.userIds[pole.userB]!, start: '2026-11-21T09:00:00+01:00', end: '2026-11-21T10:00:00+01:00', note: 'secret B' });
    insertBooking(t.store, { resourceId: van, memberId: pole.memberA, userId: pole.userIds[pole.userA]!, start: '2026-11-22T09:00:00+01:00', end: '2026-11-22T10:00:00+01:00' });

    const mine = await createFeed(pole.userA, { scope: 'resource', resourceId: room });
    assert.equal(mine.res.statusCode, 201);
    const body = (await t.app.inject({ url: path(mine.res.json().url) })).body;
    assert.deepEqual(expand(body).map((o) => o.start), ['2026-11-20T08:00:00.000Z']);
    assert.doesNotMatch(body, /secret B|Bravo/);

    const all = await createFeed(pole.coordinator, { scope: 'resource', resourceId: room });
    const allBody = (await t.app.inject({ url: path(all.res.json().url) })).body;
    assert.deepEqual(expand(allBody).map((o) => o.start), ['2026-11-20T08:00:00.000Z', '2026-11-21T08:00:00.000Z']);

    const window = await t.app.inject({ url: `${path(all.res.json().url)}?futureDays=4` });
    assert.deepEqual(expand(window.body).map((o) => o.start), ['2026-11-20T08:00:00.000Z'], 'the window is configurable');
  });

  it('refuses feeds over another structure and hides other users’ feeds', async () => {
    const other = await createFeed(pole.userA, { scope: 'member', memberId: pole.memberB });
    assert.equal(other.res.statusCode, 404);
    assert.equal(other.res.json().error.code, 'member.not_found');
    const before = tableCounts(t.store);
    for (const payload of [
      { scope: 'member' },
      { scope: 'resource' },
      { scope: 'user', memberId: pole.memberA },
      { scope: 'member', memberId: pole.memberA, resourceId: room },
      { scope: 'team' },
      { scope: 'member', memberId: '1' },
      { scope: 'user', extra: true },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/feeds', headers: { cookie: other.cookie }, payload });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
    }
    const missing = await t.app.inject({ method: 'POST', url: '/api/feeds', headers: { cookie: other.cookie }, payload: { scope: 'resource', resourceId: 999 } });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(tableCounts(t.store), before, 'nothing written');
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/feeds', payload: { scope: 'user' } })).statusCode, 401);

    const b = await createFeed(pole.userB, { scope: 'member', memberId: pole.memberB });
    assert.equal(b.res.statusCode, 201);
    const bId = b.res.json().id;
    // A's user neither lists nor revokes B's feed.
    const listA = await t.app.inject({ url: '/api/feeds', headers: { cookie: other.cookie } });
    assert.deepEqual(listA.json().items, []);
    const revokeByA = await t.app.inject({ method: 'DELETE', url: `/api/feeds/${bId}`, headers: { cookie: other.cookie } });
    assert.equal(revokeByA.statusCode, 404);
    assert.equal((await t.app.inject({ url: path(b.res.json().url) })).statusCode, 200);
    const listB = await t.app.inject({ url: '/api/feeds', headers: { cookie: b.cookie } });
    assert.deepEqual(listB.json().items.map((f: { id: number }) => f.id), [bId]);
    assert.ok(!('url' in listB.json().items[0]), 'the secret URL is shown only at creation');
    const coordinatorList = await t.app.inject({ url: '/api/feeds', headers: { cookie: await login(t.app, pole.coordinator) } });
    assert.deepEqual(coordinatorList.json().items.map((f: { id: number }) => f.id), [bId]);

    // A user holds at most 50 active feeds; revoking one makes room again.
    for (let i = 1; i < 50; i++) assert.equal((await t.app.inject({ method: 'POST', url: '/api/feeds', headers: { cookie: b.cookie }, payload: { scope: 'user' } })).statusCode, 201);
    const tooMany = await t.app.inject({ method: 'POST', url: '/api/feeds', headers: { cookie: b.cookie }, payload: { scope: 'user' } });
    assert.equal(tooMany.statusCode, 409);
    assert.equal(tooMany.json().error.code, 'feed.limit');
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/feeds/${bId}`, headers: { cookie: b.cookie } })).statusCode, 204);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/feeds', headers: { cookie: b.cookie }, payload: { scope: 'user' } })).statusCode, 201);
  });

  it('answers 404 to a revoked token, an unknown token, and the feed of a disabled or moved owner', async () => {
    const { res, cookie } = await createFeed(pole.userA, { scope: 'member', memberId: pole.memberA });
    const url = path(res.json().url);
    assert.equal((await t.app.inject({ url })).statusCode, 200);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/feeds/${res.json().id}`, headers: { cookie } });
    assert.equal(del.statusCode, 204);
    const revoked = await t.app.inject({ url });
    assert.equal(revoked.statusCode, 404);
    assert.equal(revoked.json().error.code, 'feed.not_found');
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/feeds/${res.json().id}`, headers: { cookie } })).statusCode, 404, 'revoked once');
    assert.equal((await t.app.inject({ url: '/ical/abcdefghijklmnopqrstuvwxyz234567abcdefg.ics' })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/ical/../../etc/passwd.ics' })).statusCode, 404);

    const second = await createFeed(pole.userA, { scope: 'member', memberId: pole.memberA });
    const url2 = path(second.res.json().url);
    t.store.sqlite.prepare('UPDATE users SET member_id = ? WHERE id = ?').run(pole.memberB, pole.userIds[pole.userA]);
    assert.equal((await t.app.inject({ url: url2 })).statusCode, 404, 'an owner moved to another structure no longer reads A');
    t.store.sqlite.prepare('UPDATE users SET member_id = ?, active = 0 WHERE id = ?').run(pole.memberA, pole.userIds[pole.userA]);
    assert.equal((await t.app.inject({ url: url2 })).statusCode, 404, 'a disabled owner’s feeds stop');
  });
});
