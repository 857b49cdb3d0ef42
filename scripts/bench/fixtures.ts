/**
 * Bench databases: a real migrated SQLite file holding a pole of N members, R resources and B bookings,
 * written fast (one transaction, prepared inserts, a progress line). Generation is deterministic (seeded),
 * so every variant of a bench sees the same rows; `copyDb` hands each run a fresh copy of the same file.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Sqlite } from '../../db/index';
import { hashPassword } from '../../server/auth/passwords';
import { DateTime } from 'luxon';
import { monthRange } from '../../server/shared/time';
import { progress } from './harness';
import { vatNumberOf } from '../../server/members/vat-number';

export const BENCH_PASSWORD = 'bench-password-mutualise';
export const BENCH_ADMIN = 'bench.admin@bench.test';
export const BENCH_COORDINATOR = 'bench.coord@bench.test';
export const BENCH_ZONE = 'Europe/Paris';
const QUARTER_MS = 15 * 60_000;
/** Longest generated booking: 4 h. Kept in resources.longest_booking_ms, the overlap queries' lower bound. */
export const LONGEST_MS = 16 * QUARTER_MS;

/** Mulberry32: a tiny seeded PRNG, so that bench data is the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Appends the Luhn key to a string of digits. */
function withLuhn(digits: string): string {
  for (let key = 0; key <= 9; key++) {
    const candidate = digits + key;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let d = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

export interface BenchDbSpec {
  members: number;
  resources: number;
  bookings: number;
  /** Bookings fall in this month (YYYY-MM, pole zone)… */
  month: string;
  /** …or in this many months ending with it (default 1). */
  months?: number;
  /** Share of bookings not confirmed (pending, cancelled, rejected), 0..1. */
  otherStatusShare?: number;
  seed?: number;
  /** Capacity of every resource (bench bookings may overlap up to it; the generator does not check). */
  capacity?: number;
  /** Each member books only this many of the resources (a deterministic spread); all of them by default. */
  resourcesPerMember?: number;
  /** How many members (the first ones) bear the resources' costs; 20 by default. */
  bearers?: number;
  /** One cost entry per resource in `month` (what a close allocates). */
  costs?: boolean;
  label?: string;
}

export interface BenchDbInfo {
  path: string;
  memberIds: number[];
  resourceIds: number[];
  /** A member_admin of memberIds[0]: books for its own structure without naming it. */
  adminEmail: string;
  coordinatorEmail: string;
  password: string;
  month: string;
  fileMb: number;
}

const tempDirs: string[] = [];
/** A private temp directory, removed at exit. */
export function benchTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mutualise-bench-'));
  tempDirs.push(dir);
  return dir;
}
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

let hashPromise: Promise<string> | undefined;
const benchHash = () => (hashPromise ??= hashPassword(BENCH_PASSWORD));

/** Creates, migrates and fills a bench database at `path`. */
export async function createBenchDb(path: string, spec: BenchDbSpec): Promise<BenchDbInfo> {
  const hash = await benchHash();
  const store = openStore(path);
  const { sqlite } = store;
  const random = rng(spec.seed ?? 42);
  const now = Date.now();
  const capacity = spec.capacity ?? 50;

  const memberIds: number[] = [];
  const resourceIds: number[] = [];
  const userOf: number[] = [];
  sqlite.transaction(() => {
    sqlite.prepare("INSERT INTO pole (id, name, time_zone) VALUES (1, 'Pôle de mesure', ?) ON CONFLICT(id) DO UPDATE SET time_zone = excluded.time_zone").run(BENCH_ZONE);
    const insertMember = sqlite.prepare(
      `INSERT INTO members (name, legal_form, siren, siret, address, postal_code, city, billing_email, vat_status, eligible_261b, vat_number,
                            share_capital_cents, rcs_city, billing_mandate_since, weight, invoice_prefix, joined_on, created_at)
       VALUES (?, ?, ?, ?, ?, '44000', 'Nantes', ?, ?, ?, ?, ?, ?, '2020-01-01', ?, ?, '2020-01-01', ?)`,
    );
    const statuses = [
      ['non_assujetti', 1],
      ['assujetti', 0],
      ['franchise_293B', 0],
      ['non_assujetti', 0],
    ] as const;
    for (let i = 0; i < spec.members; i++) {
      const siren = withLuhn(String(100_000_00 + i * 7919).padStart(8, '0'));
      const siret = withLuhn(siren + '0001');
      const [status, eligible] = statuses[i % statuses.length]!;
      const scop = i % 7 === 0;
      const info = insertMember.run(
        `Structure n° ${i + 1}`,
        scop ? 'scop' : 'association',
        siren,
        siret,
        `${i + 1} rue de la Mesure`,
        `compta${i + 1}@bench.test`,
        status,
        eligible,
        status === 'assujetti' ? vatNumberOf(siren) : null,
        scop ? 1_000_000 : null,
        scop ? 'Nantes' : null,
        1 + (i % 5),
        `M${i + 1}`,
        now,
      );
      memberIds.push(Number(info.lastInsertRowid));
    }
    sqlite.prepare('UPDATE pole SET carrier_member_id = ?, grouping_member_id = ? WHERE id = 1').run(memberIds[0], memberIds[0]);

    const insertUser = sqlite.prepare('INSERT INTO users (email, name, role, member_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    insertUser.run(BENCH_COORDINATOR, 'Coordination (bench)', 'coordinator', null, hash, now);
    insertUser.run(BENCH_ADMIN, 'Admin (bench)', 'member_admin', memberIds[0], hash, now);
    memberIds.forEach((memberId, i) => {
      userOf.push(Number(insertUser.run(`user${i + 1}@bench.test`, `Utilisateur ${i + 1}`, 'member', memberId, hash, now).lastInsertRowid));
    });

    const insertResource = sqlite.prepare(
      `INSERT INTO resources (name, kind, category, capacity, bearer_member_id, longest_booking_ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const kinds = ['service', 'equipment', 'room', 'staff'] as const;
    // Costs are borne by a handful of members (the carrier and a few large structures), as in a real pole.
    const bearers = memberIds.slice(0, Math.min(spec.bearers ?? 20, memberIds.length));
    for (let r = 0; r < spec.resources; r++) {
      const info = insertResource.run(`Ressource ${r + 1}`, kinds[r % kinds.length], 'bench', capacity, bearers[r % bearers.length], spec.bookings > 0 ? LONGEST_MS : 0, now);
      resourceIds.push(Number(info.lastInsertRowid));
    }
  })();

  if (spec.costs) {
    const insertCost = sqlite.prepare(
      `INSERT INTO costs (resource_id, month, label, amount_cents, vat_rate_bp, nature, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const natures = ['salary', 'rent_or_lease', 'subscription', 'other'] as const;
    sqlite.transaction(() => {
      resourceIds.forEach((id, r) => {
        insertCost.run(id, spec.month, `Coût réel ${r + 1}`, 50_000 + Math.floor(random() * 450_000), r % 5 === 0 ? 2000 : 0, natures[r % natures.length], now, now);
      });
    })();
  }
  if (spec.bookings > 0) fillBookings(sqlite, spec, { memberIds, resourceIds, userOf, random, now });
  store.close();
  return {
    path,
    memberIds,
    resourceIds,
    adminEmail: BENCH_ADMIN,
    coordinatorEmail: BENCH_COORDINATOR,
    password: BENCH_PASSWORD,
    month: spec.month,
    fileMb: statSync(path).size / (1024 * 1024),
  };
}

function fillBookings(
  sqlite: Sqlite,
  spec: BenchDbSpec,
  ctx: { memberIds: number[]; resourceIds: number[]; userOf: number[]; random: () => number; now: number },
): void {
  const { endMs } = monthRange(spec.month, BENCH_ZONE);
  const first = DateTime.fromISO(`${spec.month}-01`, { zone: BENCH_ZONE }).minus({ months: (spec.months ?? 1) - 1 });
  const startMs = first.toMillis();
  const quarters = Math.floor((endMs - startMs) / QUARTER_MS);
  const other = spec.otherStatusShare ?? 0.1;
  const insert = sqlite.prepare(
    `INSERT INTO bookings (resource_id, member_id, user_id, start_ms, end_ms, quantity, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // A large page cache and no fsync while filling: random index inserts otherwise thrash a 2 MB cache.
  sqlite.pragma('cache_size = -262144');
  sqlite.pragma('synchronous = OFF');
  const bar = progress(`${spec.label ?? 'bookings'}: inserting ${spec.bookings.toLocaleString('en')}`, spec.bookings);
  const { random, memberIds, resourceIds, userOf, now } = ctx;
  sqlite.transaction(() => {
    for (let i = 0; i < spec.bookings; i++) {
      const m = Math.floor(random() * memberIds.length);
      const drawn = Math.floor(random() * resourceIds.length);
      const r = spec.resourcesPerMember ? (m * 7 + (drawn % spec.resourcesPerMember) * 3) % resourceIds.length : drawn;
      const length = 2 + Math.floor(random() * 15); // 30 min .. 4 h
      const q = Math.floor(random() * (quarters - length));
      const s = startMs + q * QUARTER_MS;
      const roll = random();
      const status = roll >= other ? 'confirmed' : roll < other * 0.5 ? 'pending' : roll < other * 0.8 ? 'cancelled' : 'rejected';
      insert.run(resourceIds[r], memberIds[m], userOf[m], s, s + length * QUARTER_MS, 1 + (random() < 0.1 ? 1 : 0), status, now, now);
      if ((i & 0x3fff) === 0) bar.tick(i);
    }
  })();
  bar.done();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.exec('ANALYZE');
}

const made = new Map<string, Promise<BenchDbInfo>>();
/**
 * The bench database for `spec`, generated once per process: benches run together by all.ts share it (those
 * that write work on copies).
 */
export function sharedBenchDb(spec: BenchDbSpec): Promise<BenchDbInfo> {
  const { label: _label, ...key } = spec;
  const id = JSON.stringify(key);
  let db = made.get(id);
  if (!db) {
    db = createBenchDb(join(benchTempDir(), 'shared.sqlite'), spec);
    made.set(id, db);
  }
  return db;
}

/** A fresh copy of a bench database (checkpointed, so the main file holds everything). */
export function copyDb(from: string, to: string): string {
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(to + suffix)) rmSync(to + suffix);
  copyFileSync(from, to);
  return to;
}

export function removeDb(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}
