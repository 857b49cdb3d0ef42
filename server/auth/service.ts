import type { AppContext } from '../context';
import { tooManyRequests, AppError } from '../shared/errors';
import { findUserByEmail } from '../users/repository';
import { dummyPasswordHash, verifyPassword } from './passwords';
import { createWindowCounter } from './rate-limit';
import type { SessionManager } from './sessions';

export const invalidCredentials = () =>
  new AppError(401, 'auth.invalid_credentials', 'E-mail or password is incorrect');

/**
 * Login: rate-limited per IP (all attempts) and per account (failures), and the same answer, after the
 * same work, whether the e-mail exists or not.
 */
export function createAuthService(ctx: AppContext, sessions: SessionManager) {
  const { config, clock } = ctx;
  const perIp = createWindowCounter(config.loginMaxAttemptsPerIp, config.loginWindowMs);
  const perAccount = createWindowCounter(config.loginMaxFailuresPerAccount, config.loginWindowMs);

  return {
    async login(input: { email: string; password: string; ip: string }) {
      const now = clock.now();
      const email = input.email.trim().toLowerCase();
      const wait = Math.max(perIp.retryAfterSeconds(input.ip, now), perAccount.retryAfterSeconds(email, now));
      if (wait > 0) throw tooManyRequests('Too many login attempts, try again later', { retryAfterSeconds: wait });
      perIp.hit(input.ip, now);

      const user = findUserByEmail(ctx.db, email);
      const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
      if (!user || !ok || !user.active) {
        perAccount.hit(email, now);
        throw invalidCredentials();
      }
      perAccount.reset(email);
      const session = sessions.create(user.id);
      return { user, session };
    },
  };
}
