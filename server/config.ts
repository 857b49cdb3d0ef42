export interface AppConfig {
  /** SQLite file, or ':memory:'. */
  dbPath: string;
  /** Seed the demo pole into an empty database. */
  demo: boolean;
  host: string;
  port: number;
  logLevel: string;
  /** Base URL used in links handed out (calendar feeds). Defaults to http://HOST:PORT. */
  publicUrl: string;
  /** `auto`: Secure cookies except when the request's host is localhost / 127.0.0.1. */
  cookieSecure: 'auto' | boolean;
  /** A session unused for this long ends. */
  sessionIdleMs: number;
  /** A session ends this long after login, used or not. */
  sessionAbsoluteMs: number;
  /** Failed logins allowed per account, and attempts per IP, within `loginWindowMs`. */
  loginMaxFailuresPerAccount: number;
  loginMaxAttemptsPerIp: number;
  loginWindowMs: number;
  /** Serve the built client from client/dist when it exists. */
  serveClient: boolean;
}

export const defaultConfig: AppConfig = {
  dbPath: './data/mutualise.sqlite',
  demo: true,
  host: '127.0.0.1',
  port: 3000,
  logLevel: 'info',
  publicUrl: 'http://127.0.0.1:3000',
  cookieSecure: 'auto',
  sessionIdleMs: 7 * 24 * 3_600_000,
  sessionAbsoluteMs: 30 * 24 * 3_600_000,
  loginMaxFailuresPerAccount: 5,
  loginMaxAttemptsPerIp: 30,
  loginWindowMs: 15 * 60_000,
  serveClient: true,
};

/** Environment → typed config. Unknown or malformed values fail loudly at start. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const host = env.HOST ?? defaultConfig.host;
  const port = env.PORT === undefined ? defaultConfig.port : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const secure = env.MUTUALISE_COOKIE_SECURE;
  return {
    ...defaultConfig,
    dbPath: env.MUTUALISE_DB ?? defaultConfig.dbPath,
    demo: env.MUTUALISE_DEMO !== '0' && env.MUTUALISE_DEMO !== 'false',
    host,
    port,
    logLevel: env.MUTUALISE_LOG_LEVEL ?? defaultConfig.logLevel,
    publicUrl: env.MUTUALISE_PUBLIC_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    cookieSecure: secure === 'true' ? true : secure === 'false' ? false : 'auto',
  };
}
