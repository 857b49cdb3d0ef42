import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { openStore, type Store } from '../../db/index';
import { buildApp } from '../../server/app';
import type { AppConfig } from '../../server/config';
import { hashPassword } from '../../server/auth/passwords';
import { manualClock } from '../../server/shared/clock';
import { members, users } from '../../db/schema/index';

export type TestClock = ReturnType<typeof manualClock>;

export interface TestApp {
  app: FastifyInstance;
  store: Store;
  clock: TestClock;
  close(): Promise<void>;
}

/**
 * The app on a private in-memory database with the real migrations, and a clock that moves only when told.
 * `dbPath` opens a database file instead, so that a second app on the same file is a restart.
 */
export async function buildTestApp(options: { now?: string; config?: Partial<AppConfig>; dbPath?: string } = {}): Promise<TestApp> {
  const store = openStore(options.dbPath ?? ':memory:');
  const clock = manualClock(options.now ?? '2026-11-16T10:00:00+01:00');
  const app = await buildApp({
    store,
    clock,
    config: { serveClient: false, demo: false, loginMaxAttemptsPerIp: 1000, loginBurstPerMinute: 100_000, ...options.config },
  });
  await app.ready();
  return {
    app,
    store,
    clock,
    async close() {
      await app.close();
      store.close();
    },
  };
}

export const TEST_PASSWORD = 'correct horse battery';
let passwordHash: Promise<string> | undefined;
/** One argon2 hash shared by every seeded test user: hashing costs ~11 ms each. */
const testHash = () => (passwordHash ??= hashPassword(TEST_PASSWORD));

/** Valid SIRETs (Luhn) for test members, in order. */
export const TEST_SIRETS = ['73282932000074', '55208131766522', '44306184100047', '54205118000066', '38347481400100', '32737946700035'];

export interface SeededPole {
  memberA: number;
  memberB: number;
  memberC: number;
  coordinator: string;
  adminA: string;
  userA: string;
  adminB: string;
  userB: string;
  userIds: Record<string, number>;
}

/**
 * Three members (A carries the pole), a coordinator, and for A and B a member_admin and a member.
 * E-mails are returned so that tests log in by role.
 */
export async function seedPole(store: Store): Promise<SeededPole> {
  const hash = await testHash();
  const now = Date.parse('2026-01-01T00:00:00Z');
  const ids: number[] = [];
  ['Alpha', 'Bravo', 'Charlie'].forEach((name, i) => {
    const siret = TEST_SIRETS[i]!;
    const row = store.db
      .insert(members)
      .values({
        name: `Association ${name}`,
        legalForm: i === 1 ? 'scop' : 'association',
        siren: siret.slice(0, 9),
        siret,
        address: `${i + 1} rue de la Paix, 44000 Nantes`,
        billingEmail: `compta@${name.toLowerCase()}.test`,
        // A is the pole's grouping (liable, 261 B towards eligible members), B a SCOP charging VAT, C an
        // eligible association outside VAT. Each has mandated the pole to issue its invoices.
        vatStatus: i === 2 ? 'non_assujetti' : 'assujetti',
        eligible261B: i === 2,
        vatNumber: i === 0 ? 'FR44732829320' : i === 1 ? 'FR03552081317' : null,
        ...(i === 1 ? { shareCapitalCents: 1_000_000, rcsCity: 'Nantes' } : {}),
        billingMandateSince: '2025-01-01',
        weight: i + 1,
        invoicePrefix: name.toUpperCase().slice(0, 4),
        joinedOn: '2025-01-01',
        createdAt: now,
      })
      .returning({ id: members.id })
      .get();
    ids.push(row.id);
  });
  store.sqlite.prepare('UPDATE pole SET carrier_member_id = ?, grouping_member_id = ?, name = ? WHERE id = 1').run(ids[0], ids[0], 'Pôle de test');
  const people: [string, 'coordinator' | 'member_admin' | 'member', number | null][] = [
    ['coord@test.fr', 'coordinator', null],
    ['admin.a@test.fr', 'member_admin', ids[0]!],
    ['user.a@test.fr', 'member', ids[0]!],
    ['admin.b@test.fr', 'member_admin', ids[1]!],
    ['user.b@test.fr', 'member', ids[1]!],
  ];
  const userIds: Record<string, number> = {};
  for (const [email, role, memberId] of people) {
    const row = store.db
      .insert(users)
      .values({ email, name: email.split('@')[0]!, role, memberId, passwordHash: hash, createdAt: now })
      .returning({ id: users.id })
      .get();
    userIds[email] = row.id;
  }
  return {
    memberA: ids[0]!,
    memberB: ids[1]!,
    memberC: ids[2]!,
    coordinator: 'coord@test.fr',
    adminA: 'admin.a@test.fr',
    userA: 'user.a@test.fr',
    adminB: 'admin.b@test.fr',
    userB: 'user.b@test.fr',
    userIds,
  };
}

/** Logs in through the API and returns the Cookie header to send with later requests. */
export async function login(app: FastifyInstance, email: string, password = TEST_PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
  return cookieFrom(res);
}

export function cookieFrom(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (!first) throw new Error('no set-cookie');
  return first.split(';')[0]!;
}

/** Counts rows of every table: "nothing was written" is `assert.deepEqual(before, after)`. */
export function tableCounts(store: Store): Record<string, number> {
  const tables = store.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name")
    .all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (store.sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

/**
 * A fingerprint of the whole database content, to prove a refused request changed nothing. Sessions, the
 * record of FEC files handed out (a download journal, written by a successful read) and the reference cache's
 * version stamp (a random value every write to a cached table changes: no content) are left out, and so are
 * the audit rows of logins and session ends.
 */
export function dbFingerprint(store: Store): string {
  const tables = store.sqlite
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' AND name NOT IN ('sessions', 'accounting_exports', 'reference_version') ORDER BY name",
    )
    .all() as { name: string }[];
  // Logins and session ends are audited like the sessions they create and end, which are left out.
  const rows = (name: string) =>
    name === 'audit_log'
      ? "SELECT * FROM audit_log WHERE action NOT IN ('login.success', 'login.failure', 'login.lockout', 'session.end') ORDER BY id"
      : `SELECT * FROM "${name}" ORDER BY rowid`;
  return tables.map(({ name }) => `${name}:${JSON.stringify(store.sqlite.prepare(rows(name)).all())}`).join('\n');
}
