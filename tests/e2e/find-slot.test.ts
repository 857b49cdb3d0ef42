import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openSession, screenshot, selectSlot, seriousViolations, signIn, startPole, type Pole, type Session } from './harness';

// The demo pole on Wednesday 18 November 2026 at 10:00 in Paris (see client.test.ts).
const SEEDED_AT = '2026-11-18T10:00:00+01:00';
const MEMBER = 'regie@smac.demo.test';
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

let pole: Pole;
const one = <T>(sql: string, ...params: unknown[]) => pole.store.sqlite.prepare(sql).get(...params) as T;
const all = <T>(sql: string, ...params: unknown[]) => pole.store.sqlite.prepare(sql).all(...params) as T[];

async function checkAxe(session: Session, label: string) {
  assert.deepEqual(await seriousViolations(session.page), [], `axe found serious or critical violations on ${label}`);
}

interface Row {
  id: number;
  start_ms: number;
  end_ms: number;
  member_id: number;
  status: string;
}
const meetingRoom = () => one<{ id: number }>("SELECT id FROM resources WHERE name = 'Salle de réunion'").id;
const activeOverlapping = (resourceId: number, start: number, end: number) =>
  all<Row>("SELECT id, start_ms, end_ms, member_id, status FROM bookings WHERE resource_id = ? AND status IN ('pending','confirmed') AND start_ms < ? AND end_ms > ?", resourceId, end, start);

describe('finding a free slot (real server, demo pole, Chromium)', () => {
  before(async () => {
    pole = await startPole(SEEDED_AT);
  });
  after(async () => {
    await pole?.close();
  });

  it('a refusal names the booking in the way and offers the three nearest free slots; one click books one', async () => {
    const session = await openSession(pole, DESKTOP);
    const { page } = session;
    session.expect({ status: 409, path: '/api/bookings' });
    const room = meetingRoom();
    const smac = one<{ member_id: number }>('SELECT member_id FROM users WHERE email = ?', MEMBER).member_id;
    await signIn(page, pole.baseUrl, MEMBER);
    await page.goto(`${pole.baseUrl}/resources/${room}`);
    await page.locator('td.fc-timegrid-slot-lane').first().waitFor();
    await page.getByTestId('next-slots').waitFor();

    // Friday 20 November 13:30–14:30 runs into another structure's booking from 14:00.
    const requested = { start: Date.parse('2026-11-20T13:30:00+01:00'), end: Date.parse('2026-11-20T14:30:00+01:00') };
    const inTheWay = activeOverlapping(room, requested.start, requested.end);
    assert.equal(inTheWay.length, 1, 'the demo has one booking in the way');
    await selectSlot(page, '2026-11-20', '13:30', '14:00');
    await page.getByTestId('booking-form').getByRole('button', { name: 'Réserver' }).click();
    const help = page.getByTestId('refusal-help');
    await help.waitFor();
    const helpText = ((await help.textContent()) ?? '').replace(/\s+/g, ' ');
    const clashEnd = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(inTheWay[0]!.end_ms);
    assert.match(helpText, new RegExp(`Déjà réservé à ce moment : ven\\. 20 nov\\. 2026, 14:00 – ${clashEnd}`), helpText);
    const offers = page.getByTestId('nearest-slots').getByRole('button');
    assert.equal(await offers.count(), 3, 'three nearest free slots');
    await screenshot(page, 'find-slot-refusal');
    await checkAxe(session, 'the refusal with free slots');

    const before = one<{ n: number }>('SELECT count(*) AS n FROM bookings').n;
    const label = ((await offers.first().textContent()) ?? '').trim();
    await offers.first().click();
    await page.getByText(/^Réservation enregistrée : Salle de réunion/).waitFor();
    assert.equal(one<{ n: number }>('SELECT count(*) AS n FROM bookings').n, before + 1);
    const made = one<Row>('SELECT id, start_ms, end_ms, member_id, status FROM bookings ORDER BY id DESC LIMIT 1');
    assert.equal(made.member_id, smac);
    assert.equal(made.status, 'confirmed');
    assert.equal(made.end_ms - made.start_ms, 3_600_000, 'same length as asked');
    assert.deepEqual(activeOverlapping(room, made.start_ms, made.end_ms).map((b) => b.id), [made.id], 'it was free');
    const fmt = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
    assert.ok(label.includes(`${fmt.format(made.start_ms)} – ${fmt.format(made.end_ms)}`), `booked what the button said: ${label}`);
    assert.deepEqual(session.errors, []);
    await session.close();
  });

  it('on a phone too: a refusal typed in the form offers the three nearest free slots, and one tap books one', async () => {
    const session = await openSession(pole, PHONE);
    const { page } = session;
    session.expect({ status: 409, path: '/api/bookings' });
    const room = meetingRoom();
    // Thursday 26 November 10:00–11:00 taken by another structure; the phone asks for 09:30–10:30.
    const other = one<{ id: number }>('SELECT id FROM members WHERE id <> (SELECT member_id FROM users WHERE email = ?) ORDER BY id LIMIT 1', MEMBER).id;
    const anyUser = one<{ id: number }>('SELECT id FROM users ORDER BY id LIMIT 1').id;
    const clash = { start: Date.parse('2026-11-26T10:00:00+01:00'), end: Date.parse('2026-11-26T11:00:00+01:00') };
    pole.store.sqlite
      .prepare("INSERT INTO bookings (resource_id, member_id, user_id, start_ms, end_ms, quantity, status, sequence, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 'confirmed', 0, 0, 0)")
      .run(room, other, anyUser, clash.start, clash.end);
    await signIn(page, pole.baseUrl, MEMBER);
    await page.goto(`${pole.baseUrl}/resources/${room}`);
    await page.getByTestId('next-slots').waitFor();
    await page.getByRole('button', { name: 'Nouvelle réservation' }).click();
    const form = page.getByTestId('booking-form');
    await form.waitFor();
    await page.getByLabel('Début').fill('2026-11-26T09:30');
    await page.getByLabel('Fin').fill('2026-11-26T10:30');
    await form.getByRole('button', { name: 'Réserver' }).click();
    const help = page.getByTestId('refusal-help');
    await help.waitFor();
    assert.match(((await help.textContent()) ?? '').replace(/\s+/g, ' '), /Déjà réservé à ce moment : jeu\. 26 nov\. 2026, 10:00 – 11:00/);
    const offers = page.getByTestId('nearest-slots').getByRole('button');
    assert.equal(await offers.count(), 3, 'three nearest free slots');
    await screenshot(page, 'find-slot-refusal-phone');
    await checkAxe(session, 'the refusal with free slots on a phone');
    const before = one<{ n: number }>('SELECT count(*) AS n FROM bookings').n;
    await offers.first().click();
    await page.getByText(/^Réservation enregistrée : Salle de réunion/).waitFor();
    assert.equal(one<{ n: number }>('SELECT count(*) AS n FROM bookings').n, before + 1);
    const made = one<Row>('SELECT id, start_ms, end_ms, member_id, status FROM bookings ORDER BY id DESC LIMIT 1');
    assert.equal(made.end_ms - made.start_ms, 3_600_000, 'same length as asked');
    assert.deepEqual(activeOverlapping(room, made.start_ms, made.end_ms).map((b) => b.id), [made.id], 'it was free');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    assert.deepEqual(session.errors, []);
    await session.close();
  });

  for (const [label, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const)
  it(`books from the keyboard alone (${label}): Tab to a free slot, Enter, Enter`, async () => {
    const session = await openSession(pole, viewport);
    const { page } = session;
    const room = meetingRoom();
    await signIn(page, pole.baseUrl, MEMBER);
    await page.goto(`${pole.baseUrl}/resources/${room}`);
    const list = page.getByTestId('next-slots');
    await list.waitFor();
    const first = ((await list.getByRole('button').first().textContent()) ?? '').trim();
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => {
        const active = (globalThis as unknown as { document: { activeElement: { closest(s: string): unknown } | null } }).document.activeElement;
        return Boolean(active?.closest('[data-testid=next-slots]'));
      });
    }
    assert.ok(reached, 'the free-slot list is reachable with Tab');
    assert.equal(((await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent)) ?? '').trim(), first);
    await page.keyboard.press('Enter');
    const form = page.getByTestId('booking-form');
    await form.waitFor();
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id), 'booking-start', 'the dialog opens on its first field');
    await screenshot(page, `find-slot-${label}-dialog`);
    await checkAxe(session, `the booking dialog (${label})`);
    const before = one<{ n: number }>('SELECT count(*) AS n FROM bookings').n;
    await page.keyboard.press('Enter');
    await page.getByText(/^Réservation enregistrée : Salle de réunion/).waitFor();
    assert.equal(one<{ n: number }>('SELECT count(*) AS n FROM bookings').n, before + 1);
    await screenshot(page, `find-slot-${label}-calendar`);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    assert.deepEqual(session.errors, []);
    await session.close();
  });

  const weeks = [
    // Every working day at 14:00–15:00 for ten days from a Monday; the Wednesday is taken by another structure.
    { label: 'desktop', viewport: DESKTOP, days: ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'], taken: 'mer\\. 25 nov\\. 2026' },
    { label: 'phone', viewport: PHONE, days: ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-14', '2026-12-15', '2026-12-16', '2026-12-17', '2026-12-18'], taken: 'mer\\. 9 déc\\. 2026' },
  ];
  for (const { label, viewport, days, taken: takenText } of weeks)
  it(`« Nouvelle réservation » starts on the next free slot; a working-days series books only its free dates and lists the others (${label})`, async () => {
    const session = await openSession(pole, viewport);
    const { page } = session;
    const room = meetingRoom();
    await signIn(page, pole.baseUrl, MEMBER);
    await page.goto(`${pole.baseUrl}/resources/${room}`);
    await page.getByTestId('next-slots').waitFor();
    const firstFree = ((await page.getByTestId('next-slots').getByRole('button').first().textContent()) ?? '').trim();
    await page.getByRole('button', { name: 'Nouvelle réservation' }).click();
    await page.getByTestId('booking-form').waitFor();
    const startValue = await page.getByLabel('Début').inputValue();
    const hhmm = startValue.slice(11, 16);
    assert.ok(firstFree.includes(hhmm), `the form starts on the first free slot (${firstFree}), got ${startValue}`);
    const day = new Date(`${startValue.slice(0, 10)}T12:00:00Z`).getUTCDay();
    assert.ok(day >= 1 && day <= 5, 'never on a weekend for a weekday room');

    const taken = Date.parse(`${days[2]}T14:00:00+01:00`);
    const city = one<{ id: number }>("SELECT id FROM members WHERE id <> (SELECT member_id FROM users WHERE email = ?) ORDER BY id LIMIT 1", MEMBER).id;
    const anyUser = one<{ id: number }>('SELECT id FROM users ORDER BY id LIMIT 1').id;
    if (activeOverlapping(room, taken, taken + 3_600_000).length === 0) {
      pole.store.sqlite
        .prepare("INSERT INTO bookings (resource_id, member_id, user_id, start_ms, end_ms, quantity, status, sequence, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 'confirmed', 0, 0, 0)")
        .run(room, city, anyUser, taken, taken + 3_600_000);
    }
    const clashes = (start: number) => activeOverlapping(room, start, start + 3_600_000).length > 0;
    await page.getByLabel('Début').fill(`${days[0]}T14:00`);
    await page.getByLabel('Fin').fill(`${days[0]}T15:00`);
    await page.getByLabel('Fréquence').selectOption('workdays');
    await page.getByLabel('Fin de la répétition').selectOption('count');
    await page.getByLabel('Nombre de fois').fill('10');
    await page.getByLabel('Réserver seulement les dates libres').check();
    await screenshot(page, `recurrence-options-${label}`);
    await checkAxe(session, `the recurrence options (${label})`);
    const freeDays = days.filter((d) => !clashes(Date.parse(`${d}T14:00:00+01:00`)));
    assert.ok(freeDays.length < days.length, 'at least one date is taken');
    await page.getByTestId('booking-form').getByRole('button', { name: 'Réserver' }).click();
    const result = page.getByTestId('booking-skipped');
    await result.waitFor();
    const text = ((await result.textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(text, new RegExp(`${freeDays.length} réservation\\(s\\) enregistrée\\(s\\)`));
    assert.match(text, new RegExp(`${takenText}, 14:00 – 15:00 — déjà pris`));
    const series = one<{ series_id: number }>('SELECT series_id FROM bookings ORDER BY id DESC LIMIT 1').series_id;
    const stored = all<{ start_ms: number }>('SELECT start_ms FROM bookings WHERE series_id = ? ORDER BY start_ms', series).map((b) =>
      new Date(b.start_ms).toISOString().slice(0, 10),
    );
    assert.deepEqual(stored, freeDays);
    await screenshot(page, `recurrence-skipped-${label}`);
    await checkAxe(session, `the series result (${label})`);
    await page.getByRole('button', { name: 'Fermer' }).last().click();
    assert.deepEqual(session.errors, []);
    await session.close();
  });
});
