import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { ensureClientBuilt } from '../../scripts/client-build.mjs';
import { seedDemo, DEMO_PASSWORD } from '../../db/demo';
import { openStore, type Store } from '../../db/index';
import { buildApp } from '../../server/app';
import { manualClock } from '../../server/shared/clock';
import { hashPassword } from '../../server/auth/passwords';
import { users } from '../../db/schema/index';

/** The one account of an empty pole (start({ empty: true })): its first coordinator. */
export const FIRST_COORDINATOR = 'premiere.coordinatrice@pole.test';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface Pole {
  app: FastifyInstance;
  store: Store;
  clock: ReturnType<typeof manualClock>;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The real server, in process, on a temporary SQLite file seeded with the demo pole at a fixed instant (its two
 * previous months closed) — or, with `empty`, a pole with nothing but its first coordinator — listening on a free
 * port; and Debian's Chromium.
 */
export async function startPole(now: string, options: { empty?: boolean } = {}): Promise<Pole> {
  ensureClientBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'mutualise-e2e-'));
  const store = openStore(join(dir, 'e2e.sqlite'));
  const clock = manualClock(now);
  if (options.empty) {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    store.db.insert(users).values({ email: FIRST_COORDINATOR, name: 'Camille Première', role: 'coordinator', memberId: null, passwordHash, createdAt: clock.now() }).run();
  } else {
    await seedDemo(store, { clock });
  }
  const app = await buildApp({ store, clock, config: { demo: false, serveClient: true, loginMaxAttemptsPerIp: 1000, loginMaxFailuresPerAccount: 1000, loginBurstPerMinute: 100_000 } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    // Without a browser the listening server would keep the test process alive for ever.
    await app.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    app,
    store,
    clock,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    async close() {
      await browser.close();
      await app.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A network failure the test expects (a refused booking answers 409): Chromium logs it as a console error. */
export interface ExpectedFailure {
  status: number;
  path: string;
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far, except the expected network failures. */
  errors: string[];
  expect(failure: ExpectedFailure): void;
  close(): Promise<void>;
}

/** A fresh browser profile whose clock shows the server's instant, listening for console errors. */
export async function openSession(
  pole: Pole,
  options: { width?: number; height?: number; timezoneId?: string; locale?: string } = {},
): Promise<Session> {
  const context = await pole.browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 860 },
    timezoneId: options.timezoneId ?? 'Europe/Paris',
    locale: options.locale ?? 'fr-FR',
    acceptDownloads: true,
  });
  await context.clock.setFixedTime(pole.clock.now());
  const page = await context.newPage();
  const errors: string[] = [];
  const expected: ExpectedFailure[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const status = /status of (\d{3})/.exec(message.text())?.[1];
    const url = message.location().url;
    if (status && expected.some((e) => e.status === Number(status) && url && new URL(url).pathname === e.path)) return;
    errors.push(`${message.text()} ${url ?? ''}`.trim());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return {
    context,
    page,
    errors,
    expect: (failure) => expected.push(failure),
    close: () => context.close(),
  };
}

export async function signIn(page: Page, baseUrl: string, email: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.locator('.topbar').waitFor();
}

/** Visits a page of the app and waits until its heading and data are there. */
export async function visit(page: Page, url: string) {
  await page.goto(url);
  await page.locator('#page-title').waitFor();
  await page.locator('.loading').first().waitFor({ state: 'detached' });
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core on the current page: the serious and critical violations, described for an assertion message. axe is
 * injected once per document and survives the app's own navigations, so that each check costs only its run.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the app's CSP (script-src 'self') rightly refuses an inline <script>.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // Runs in the page (the test's own lib has no DOM types).
    const { axe, document } = globalThis as unknown as { axe: { run(context: unknown, options: object): Promise<{ violations: AxeViolation[] }> }; document: unknown };
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.targets.join(' | ')}`);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Follows a link of the main navigation (an in-app navigation: the document, and axe in it, stay). */
export async function navigateTo(page: Page, link: string) {
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).click();
  await page.locator('#page-title').waitFor();
  await page.locator('.loading').first().waitFor({ state: 'detached' });
}

/**
 * Drags on the time grid from `from` to `to` on `date` (the calendar shows the pole's wall-clock time). Each time
 * grid row is 30 minutes and the snap 15: pressing in the first quarter of a row starts at the row's time and
 * releasing in its last quarter ends 30 minutes after it.
 */
export async function selectSlot(page: Page, date: string, from: string, lastRow: string) {
  const column = await page.locator(`td.fc-timegrid-col[data-date="${date}"]`).boundingBox();
  const start = await page.locator(`td.fc-timegrid-slot-lane[data-time="${from}:00"]`).boundingBox();
  const end = await page.locator(`td.fc-timegrid-slot-lane[data-time="${lastRow}:00"]`).boundingBox();
  if (!column || !start || !end) throw new Error(`no grid cell for ${date} ${from}–${lastRow}`);
  const x = column.x + column.width / 2;
  await page.mouse.move(x, start.y + start.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(x, end.y + end.height * 0.8, { steps: 6 });
  await page.mouse.up();
}
