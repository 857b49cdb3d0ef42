import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { openSession, screenshot, seriousViolations, signIn, startPole, type Pole } from './harness';

// The demo pole on Wednesday 18 November 2026 at 10:00 in Paris (see client.test.ts).
const SEEDED_AT = '2026-11-18T10:00:00+01:00';
const MEMBER = 'regie@smac.demo.test';

let pole: Pole;
const one = <T>(sql: string, ...params: unknown[]) => pole.store.sqlite.prepare(sql).get(...params) as T;

interface Focused {
  tag: string;
  classes: string;
  cell: string | null;
  label: string | null;
  id: string;
  tabStops: number;
}

/** What has the keyboard focus, and how many slot buttons are tab stops (a roving tabindex: exactly one). */
const focused = (page: Page) =>
  page.evaluate<Focused>(`(() => {
    const el = document.activeElement;
    return {
      tag: el ? el.tagName : '',
      classes: el && typeof el.className === 'string' ? el.className : '',
      cell: el ? el.getAttribute('data-cell') : null,
      label: el ? el.getAttribute('aria-label') : null,
      id: el ? el.id : '',
      tabStops: document.querySelectorAll('.slot-grid .slot-cell[tabindex="0"]').length,
    };
  })()`);

/** Presses an arrow key `times` times, each time waiting for the focus to reach another slot (a redraw may come between). */
async function press(page: Page, key: string, times = 1) {
  for (let i = 0; i < times; i++) {
    const from = (await focused(page)).cell;
    await page.keyboard.press(key);
    await page.waitForFunction((cell) => {
      const el = (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement;
      const now = el?.getAttribute('data-cell');
      return Boolean(now) && now !== cell;
    }, from);
  }
}

/** Presses `key` until `done` says so, at most `max` times; returns what has the focus then. */
async function pressUntil(page: Page, key: string, done: (f: Focused) => boolean, max = 80): Promise<Focused> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    if (done(f)) return f;
  }
  throw new Error(`${key} ×${max} never reached the target; focus on ${JSON.stringify(await focused(page))}`);
}

const dayDiff = (from: string, to: string) => Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000);
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Moves the grid's focus with arrow keys only, from the focused cell to `target` ("2026-11-19T10:00"). */
async function arrowTo(page: Page, target: string) {
  let f = await focused(page);
  assert.ok(f.cell, 'the focus is on a slot');
  const days = dayDiff(f.cell.slice(0, 10), target.slice(0, 10));
  await press(page, days > 0 ? 'ArrowRight' : 'ArrowLeft', Math.abs(days));
  f = await focused(page);
  assert.equal(f.cell?.slice(0, 10), target.slice(0, 10), 'the arrows crossed the days (onto the next dates if need be)');
  const rows = (minutesOf(target.slice(11)) - minutesOf(f.cell!.slice(11))) / 30;
  await press(page, rows > 0 ? 'ArrowDown' : 'ArrowUp', Math.abs(rows));
  f = await focused(page);
  assert.equal(f.cell, target);
  assert.equal(f.tabStops, 1, 'one tab stop in the grid, wherever the focus went');
  return f;
}

describe('booking with the keyboard alone on the calendar grid (real server, demo pole, Chromium)', () => {
  before(async () => {
    pole = await startPole(SEEDED_AT);
  });
  after(async () => {
    await pole?.close();
  });

  const runs = [
    { label: 'desktop', viewport: { width: 1366, height: 768 }, target: '2026-11-19T10:00' },
    { label: 'phone', viewport: { width: 390, height: 844 }, target: '2026-11-19T15:30' },
  ];
  for (const { label, viewport, target } of runs) {
    it(`Tab reaches the grid and the busy blocks; arrows pick a slot; Enter opens the form on its first field; Enter books (${label})`, async () => {
      const session = await openSession(pole, viewport);
      const { page } = session;
      const room = one<{ id: number }>("SELECT id FROM resources WHERE name = 'Salle de réunion'").id;
      const smac = one<{ member_id: number }>('SELECT member_id FROM users WHERE email = ?', MEMBER).member_id;
      // Another structure's booking on Friday 20 November from 14:00: a busy block to reach.
      const busy = one<{ start_ms: number; end_ms: number }>(
        "SELECT start_ms, end_ms FROM bookings WHERE resource_id = ? AND member_id <> ? AND status = 'confirmed' AND start_ms = ?",
        room,
        smac,
        Date.parse('2026-11-20T14:00:00+01:00'),
      );
      const hhmm = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
      await signIn(page, pole.baseUrl, MEMBER);
      await page.goto(`${pole.baseUrl}/resources/${room}`);
      await page.locator('.slot-grid .slot-cell').first().waitFor({ state: 'attached' });
      await page.locator('.fc-event').first().waitFor();

      // Tab from the top of the page: the grid is one stop, on a free slot, with a name saying so.
      let f = await pressUntil(page, 'Tab', (x) => x.classes.includes('slot-cell'));
      assert.match(f.label ?? '', /^(lun|mar|mer|jeu|ven|sam|dim)\. \d+ nov\. 2026, \d\d:\d\d – \d\d:\d\d — libre$/, f.label ?? '');
      assert.equal(f.tabStops, 1);

      // Friday: the slot under the busy block says it is taken; Shift+Tab reaches the block itself, named.
      await arrowTo(page, '2026-11-20T14:00');
      f = await focused(page);
      assert.match(f.label ?? '', /^ven\. 20 nov\. 2026, 14:00 – 14:30 — déjà pris$/);
      const blockName = `Déjà pris par une autre structure : ven. 20 nov. 2026, ${hhmm.format(busy.start_ms)} – ${hhmm.format(busy.end_ms)}`;
      f = await pressUntil(page, 'Shift+Tab', (x) => x.label === blockName, 40);
      assert.match(f.classes, /fc-event/);
      assert.match(f.classes, /ev-busy/);
      await screenshot(page, `keyboard-busy-block-${label}`);
      // Back into the grid: the roving stop kept its place.
      f = await pressUntil(page, 'Tab', (x) => x.classes.includes('slot-cell'), 40);
      assert.equal(f.cell, '2026-11-20T14:00');

      // The target slot, with arrows only; its name says it is free.
      f = await arrowTo(page, target);
      assert.match(f.label ?? '', / — libre$/);
      await screenshot(page, `keyboard-grid-${label}`);
      assert.deepEqual(await seriousViolations(page), [], `axe on the calendar with the keyboard grid (${label})`);

      await page.keyboard.press('Enter');
      const form = page.getByTestId('booking-form');
      await form.waitFor();
      f = await focused(page);
      assert.equal(f.id, 'booking-start', 'the form opens on its first field, not on the close button');
      assert.equal(await page.getByLabel('Début').inputValue(), target);
      const end = await page.getByLabel('Fin').inputValue();
      assert.ok(end > target, `an end after the start: ${end}`);
      assert.deepEqual(await seriousViolations(page), [], `axe on the booking dialog opened from the grid (${label})`);
      const before = one<{ n: number }>('SELECT count(*) AS n FROM bookings').n;
      await page.keyboard.press('Enter');
      await page.getByText(/^Réservation enregistrée : Salle de réunion/).waitFor();
      assert.equal(one<{ n: number }>('SELECT count(*) AS n FROM bookings').n, before + 1);
      const made = one<{ start_ms: number; end_ms: number; member_id: number; status: string }>('SELECT start_ms, end_ms, member_id, status FROM bookings ORDER BY id DESC LIMIT 1');
      assert.deepEqual(made, {
        start_ms: Date.parse(`${target}:00+01:00`),
        end_ms: Date.parse(`${end}:00+01:00`),
        member_id: smac,
        status: 'confirmed',
      });
      // The new booking is a block of the structure's own, named as such and reachable too.
      await page.locator('.fc-event.ev-mine[aria-label^="Réservé : "]').first().waitFor();
      assert.deepEqual(session.errors, []);
      await session.close();
    });
  }
});
