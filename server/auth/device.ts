import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser that once logged
 * in to an account gets a cookie naming that account, signed with a key only the server knows. Failed logins
 * of unknown devices lock out only unknown devices; a known device keeps its own small allowance, so nobody
 * can lock the owner out by failing on purpose.
 *
 * The key is the account's argon2 hash (secret, salted, never sent): no new table or key file, the cookie is
 * worthless for any other account, and changing the password retires every device cookie of the account.
 */
export const DEVICE_COOKIE = 'mutualise_device';
export const DEVICE_COOKIE_MAX_AGE_S = 365 * 86_400;

const sign = (key: string, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

export function issueDeviceCookie(email: string, passwordHash: string, now: number): string {
  const payload = `${Buffer.from(email).toString('base64url')}.${now.toString(36)}`;
  return `${payload}.${sign(passwordHash, payload)}`;
}

/** The e-mail a device cookie names (unverified): which account's key to check it with. */
export function deviceCookieEmail(cookie: string | undefined): string | null {
  if (!cookie || cookie.length > 600) return null;
  const [email] = cookie.split('.');
  try {
    return email ? Buffer.from(email, 'base64url').toString() : null;
  } catch {
    return null;
  }
}

/** True when the cookie was issued by this server for this account (and this password), less than a year ago. */
export function deviceCookieValid(cookie: string, email: string, passwordHash: string, now: number): boolean {
  const parts = cookie.split('.');
  if (parts.length !== 3 || deviceCookieEmail(cookie) !== email) return false;
  const issued = parseInt(parts[1]!, 36);
  if (!Number.isFinite(issued) || issued > now || now - issued > DEVICE_COOKIE_MAX_AGE_S * 1000) return false;
  const expected = Buffer.from(sign(passwordHash, `${parts[0]}.${parts[1]}`));
  const given = Buffer.from(parts[2]!);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
