import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { navigateTo, openSession, signIn, startPole, visit, type Pole } from './harness';

/**
 * The client under the server's Content-Security-Policy (@fastify/helmet): every page used here renders with no
 * violation reported by Chromium, and the policy is really enforced (an injected inline script does not run).
 */
let pole: Pole;

describe('web client under the Content-Security-Policy (Chromium)', () => {
  before(async () => {
    pole = await startPole('2026-11-18T10:00:00+01:00');
  });
  after(async () => {
    await pole?.close();
  });

  it('renders the calendar, lists and the allocation bars without a CSP violation, and blocks inline scripts', async () => {
    const session = await openSession(pole);
    const { page } = session;
    const violations: string[] = [];
    await page.exposeFunction('reportCspViolation', (v: string) => violations.push(v));
    await page.addInitScript(() => {
      const w = globalThis as unknown as { reportCspViolation(v: string): void; document: { addEventListener(t: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void } };
      w.document.addEventListener('securitypolicyviolation', (e) => w.reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const response = await page.goto(`${pole.baseUrl}/login`);
    const csp = response!.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'/, 'the page is served with the policy');

    await signIn(page, pole.baseUrl, 'coordination@demo.test');
    const meeting = pole.store.sqlite.prepare("SELECT id FROM resources WHERE name = 'Salle de réunion'").get() as { id: number };
    await visit(page, `${pole.baseUrl}/resources/${meeting.id}`);
    await page.locator('td.fc-timegrid-slot-lane').first().waitFor(); // FullCalendar injects its stylesheet
    await navigateTo(page, 'Répartition');
    await navigateTo(page, 'Factures et relevés');

    const ran = await page.evaluate(() => {
      const g = globalThis as unknown as { document: { createElement(t: string): { textContent: string }; body: { appendChild(e: unknown): void } }; injected?: boolean };
      const script = g.document.createElement('script');
      script.textContent = 'globalThis.injected = true';
      g.document.body.appendChild(script);
      return g.injected === true;
    });
    assert.equal(ran, false, 'an injected inline script is refused');
    await page.waitForFunction(() => true, undefined, { timeout: 1000 });
    for (let i = 0; i < 20 && !violations.some((v) => v.startsWith('script-src')); i++) await page.waitForTimeout(50);
    const expected = violations.filter((v) => v.startsWith('script-src'));
    assert.equal(expected.length, 1, `the injected script is the one violation reported: ${violations.join(' | ')}`);
    assert.deepEqual(
      violations.filter((v) => !v.startsWith('script-src')),
      [],
      'no other violation',
    );
    assert.deepEqual(
      session.errors.filter((e) => !/inline script violates the following Content Security Policy/i.test(e)),
      [],
      'no console error besides the refused injection',
    );
    await session.close();
  });
});
