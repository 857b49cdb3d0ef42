export interface AppConfig {
  /** SQLite file, or ':memory:'. */
  dbPath: string;
  /** Seed the demo pole into an empty database (by default only when listening on a loopback address). */
  demo: boolean;
  host: string;
  port: number;
  logLevel: string;
  /** Base URL used in links handed out (calendar feeds). Defaults to http://HOST:PORT. */
  publicUrl: string;
  /** `auto`: Secure (and `__Host-`-prefixed) cookies over HTTPS and on any host but localhost / 127.0.0.1. */
  cookieSecure: 'auto' | boolean;
  /**
   * Which proxies to believe about the client's address, scheme and host (X-Forwarded-For/-Proto/-Host):
   * false (none, the default), a hop count, or addresses / CIDRs (proxy-addr syntax, e.g. `127.0.0.1,::1`).
   */
  trustProxy: false | number | string[];
  /** Host names (with port when not the scheme's default) the server answers to, besides the public URL's. */
  allowedHosts: string[];
  /** A session unused for this long ends. */
  sessionIdleMs: number;
  /** A session ends this long after login, used or not. */
  sessionAbsoluteMs: number;
  /**
   * Login guesses within `loginWindowMs`: per account from unknown devices (and per known device), and failed
   * attempts per address (IPv6 /64) from unknown devices. See server/auth/service.ts.
   */
  loginMaxFailuresPerAccount: number;
  loginMaxAttemptsPerIp: number;
  loginWindowMs: number;
  /** Login requests per address (IPv6 /64) per minute, before any password is checked (@fastify/rate-limit). */
  loginBurstPerMinute: number;
  /** Serve the built client from client/dist when it exists. */
  serveClient: boolean;
  /** Write notification mails to the outbox (off only for a benchmark's baseline). */
  notifications: boolean;
  /** smtp(s)://user:pass@host:port; without it, mails are written as .eml files under `outboxDir`. */
  smtpUrl: string | null;
  /** The From of every mail. */
  mailFrom: string;
  /** Where .eml files go without SMTP (default: `outbox/` beside the database). */
  outboxDir: string | null;
  /** A mail that failed this many times is a dead letter (shown to coordinators, retried only by hand). */
  mailMaxAttempts: number;
  /** Retries wait base × 2^(attempts − 1), at most an hour. */
  mailRetryBaseMs: number;
  /** How often the sender looks for due mails. */
  mailPollMs: number;
  /** PDF render threads of the server (null: one per core; 0: render on the request thread). */
  renderWorkers: number | null;
}

export const defaultConfig: AppConfig = {
  dbPath: './data/mutualise.sqlite',
  demo: true,
  host: '127.0.0.1',
  port: 3000,
  logLevel: 'info',
  publicUrl: 'http://127.0.0.1:3000',
  cookieSecure: 'auto',
  trustProxy: false,
  allowedHosts: [],
  sessionIdleMs: 7 * 24 * 3_600_000,
  sessionAbsoluteMs: 30 * 24 * 3_600_000,
  loginMaxFailuresPerAccount: 10,
  loginMaxAttemptsPerIp: 30,
  loginWindowMs: 15 * 60_000,
  loginBurstPerMinute: 20,
  serveClient: true,
  notifications: true,
  smtpUrl: null,
  mailFrom: 'Mutualise <no-reply@localhost>',
  outboxDir: null,
  mailMaxAttempts: 8,
  mailRetryBaseMs: 30_000,
  mailPollMs: 2_000,
  renderWorkers: null,
};

/** True for addresses only this machine reaches: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

function parseTrustProxy(value: string | undefined): AppConfig['trustProxy'] {
  const v = value?.trim();
  if (!v || v === '0' || v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  if (v === 'true') throw new Error('MUTUALISE_TRUST_PROXY=true would believe any client: give the hop count or the proxy addresses');
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  const address = /^(loopback|linklocal|uniquelocal|[0-9.]+(\/\d{1,2})?|[0-9a-f:.]+(\/\d{1,3})?)$/i;
  const bad = list.find((s) => !address.test(s));
  if (bad) throw new Error(`MUTUALISE_TRUST_PROXY: ${bad} is neither a hop count nor an address or CIDR`);
  return list;
}

function parsePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`MUTUALISE_PUBLIC_URL must be an absolute URL, got ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('MUTUALISE_PUBLIC_URL must be http or https');
  return url.origin + url.pathname.replace(/\/$/, '');
}

/** Environment → typed config. Unknown or malformed values fail loudly at start. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const host = env.HOST ?? defaultConfig.host;
  const port = env.PORT === undefined ? defaultConfig.port : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const secure = env.MUTUALISE_COOKIE_SECURE;
  const demo = env.MUTUALISE_DEMO;
  if (demo !== undefined && !['0', '1', 'true', 'false', ''].includes(demo)) throw new Error(`MUTUALISE_DEMO must be 0 or 1, got ${demo}`);
  const workers = env.MUTUALISE_RENDER_WORKERS?.trim();
  if (workers && !/^\d{1,2}$/.test(workers)) throw new Error(`MUTUALISE_RENDER_WORKERS must be a number of threads (0: none), got ${workers}`);
  return {
    ...defaultConfig,
    dbPath: env.MUTUALISE_DB ?? defaultConfig.dbPath,
    // A demo pole has published passwords: only on an address nobody else reaches, unless asked for.
    demo: demo === '1' || demo === 'true' ? true : demo === '0' || demo === 'false' ? false : isLoopbackHost(host),
    host,
    port,
    logLevel: env.MUTUALISE_LOG_LEVEL ?? defaultConfig.logLevel,
    publicUrl: parsePublicUrl(env.MUTUALISE_PUBLIC_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`),
    cookieSecure: secure === 'true' ? true : secure === 'false' ? false : 'auto',
    trustProxy: parseTrustProxy(env.MUTUALISE_TRUST_PROXY),
    smtpUrl: env.MUTUALISE_SMTP_URL?.trim() || null,
    mailFrom: env.MUTUALISE_MAIL_FROM?.trim() || defaultConfig.mailFrom,
    outboxDir: env.MUTUALISE_OUTBOX_DIR?.trim() || null,
    renderWorkers: workers ? Number(workers) : null,
    allowedHosts: (env.MUTUALISE_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
  };
}
