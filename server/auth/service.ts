import type { AppContext } from '../context';
import { recordAuditEvent } from '../audit/triggers';
import { tooManyRequests, AppError } from '../shared/errors';
import { findUserByEmail } from '../users/repository';
import { deviceCookieValid, issueDeviceCookie } from './device';
import { addressKey } from './ip';
import { dummyPasswordHash, verifyPassword } from './passwords';
import { createWindowCounter } from './rate-limit';
import type { SessionManager } from './sessions';

export const invalidCredentials = () =>
  new AppError(401, 'auth.invalid_credentials', 'E-mail or password is incorrect');

/**
 * Login throttling after OWASP's device-cookie design (see README § Security), all within `loginWindowMs`:
 * - from an unknown device, an account takes at most `loginMaxFailuresPerAccount` guesses, whatever the
 *   addresses they come from; past that, unknown devices wait for the window to slide;
 * - an address (an IPv6 /64) makes at most `loginMaxAttemptsPerIp` failed attempts from unknown devices,
 *   whatever the accounts;
 * - a device that logged in to the account before (signed device cookie) has its own allowance and ignores
 *   both limits above, so failures by others never lock the owner out.
 * Each attempt is counted before the password is checked (parallel guesses cannot overshoot the limit) and
 * given back when it succeeds. The same answer, after the same work, whether the e-mail exists or not.
 * Counters live in memory: a restart forgets them, which at most grants one more window of guesses.
 * Failures and lockouts are written to the audit trail; a success is, as the session it creates.
 */
export function createAuthService(ctx: AppContext, sessions: SessionManager) {
  const { config, clock } = ctx;
  const perAddress = createWindowCounter(config.loginMaxAttemptsPerIp, config.loginWindowMs);
  const perAccount = createWindowCounter(config.loginMaxFailuresPerAccount, config.loginWindowMs);
  const perDevice = createWindowCounter(config.loginMaxFailuresPerAccount, config.loginWindowMs);

  return {
    async login(input: { email: string; password: string; ip: string; deviceCookie?: string | undefined }) {
      const now = clock.now();
      const email = input.email.trim().toLowerCase();
      const user = findUserByEmail(ctx.db, email);
      const device = user && input.deviceCookie && deviceCookieValid(input.deviceCookie, email, user.passwordHash, now) ? input.deviceCookie : null;
      const counters: [ReturnType<typeof createWindowCounter>, string][] = device
        ? [[perDevice, device]]
        : [
            [perAddress, addressKey(input.ip)],
            [perAccount, email],
          ];
      const wait = Math.max(...counters.map(([counter, key]) => counter.retryAfterSeconds(key, now)));
      const audit = (action: string) =>
        recordAuditEvent(ctx.sqlite, {
          action,
          objectType: 'user',
          objectId: user ? String(user.id) : null,
          memberIds: user?.memberId ? [user.memberId] : [],
          userId: user?.id ?? null,
          after: { email },
        });
      if (wait > 0) {
        audit('login.lockout');
        throw tooManyRequests('Too many login attempts, try again later', { retryAfterSeconds: wait });
      }
      for (const [counter, key] of counters) counter.hit(key, now);

      const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
      if (!user || !ok || !user.active) {
        audit('login.failure');
        throw invalidCredentials();
      }
      for (const [counter, key] of counters) counter.release(key);
      const session = sessions.create(user.id);
      return { user, session, deviceCookie: issueDeviceCookie(email, user.passwordHash, now) };
    },
  };
}
