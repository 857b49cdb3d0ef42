import type { Statement } from 'better-sqlite3';
import type { Db, Sqlite } from '../../db/index';
import type { AllocationRuleName, ResourceKind } from '../../db/schema/enums';
import type { Allowance } from './allowance';
import type { OpeningHours } from './opening-hours';

/** A blackout as stored: ISO instants with the pole's offset, and an optional reason. */
export interface StoredBlackout {
  start: string;
  end: string;
  reason?: string;
}

export interface ResourceRow {
  id: number;
  name: string;
  kind: ResourceKind;
  category: string | null;
  capacity: number;
  bearerMemberId: number;
  granularityMinutes: number;
  minMinutes: number | null;
  maxMinutes: number | null;
  openingHours: OpeningHours | null;
  blackouts: StoredBlackout[];
  horizonDays: number;
  requiresApproval: boolean;
  active: boolean;
  /** Output VAT rate of the service sold, basis points (2000 = 20 %). */
  vatRateBp: number;
  /** Staff: the lending agreement states management fees. */
  managementFeesAgreed: boolean;
  /** Included quantity per member and month, with its limit; null: none. */
  allowance: Allowance | null;
  longestBookingMs: number;
  createdAt: number;
}

export type NewResourceRow = Omit<ResourceRow, 'id' | 'longestBookingMs' | 'vatRateBp' | 'managementFeesAgreed' | 'allowance'> &
  Partial<Pick<ResourceRow, 'vatRateBp' | 'managementFeesAgreed' | 'allowance'>>;

export interface AllocationRule {
  rule: AllocationRuleName;
  /** { "<memberId>": weight }, or null for the members' own allocation weights. */
  weights: Record<string, number> | null;
  /** mixed: the percentage of the cost split by weights; the rest follows usage. */
  fixedPercent: number | null;
  /** rate: cents per hour booked. */
  rateCents: number | null;
  /** The month (YYYY-MM) the rule applies from; null for the default (never set). */
  fromMonth: string | null;
}

export const DEFAULT_ALLOCATION: AllocationRule = { rule: 'usage', weights: null, fixedPercent: null, rateCents: null, fromMonth: null };

interface RawResource {
  id: number;
  name: string;
  kind: ResourceKind;
  category: string | null;
  capacity: number;
  bearer_member_id: number;
  granularity_minutes: number;
  min_minutes: number | null;
  max_minutes: number | null;
  opening_hours: string | null;
  blackouts: string;
  horizon_days: number;
  requires_approval: number;
  active: number;
  vat_rate_bp: number;
  management_fees_agreed: number;
  allowance: string | null;
  longest_booking_ms: number;
  created_at: number;
}

interface RawRule {
  rule: AllocationRuleName;
  weights: string | null;
  fixed_percent: number | null;
  rate_cents: number | null;
  from_month: string;
}

const COLUMNS = `id, name, kind, category, capacity, bearer_member_id, granularity_minutes, min_minutes, max_minutes,
  opening_hours, blackouts, horizon_days, requires_approval, active, vat_rate_bp, management_fees_agreed, allowance, longest_booking_ms, created_at`;

function prepare(sqlite: Sqlite) {
  return {
    byId: sqlite.prepare(`SELECT ${COLUMNS} FROM resources WHERE id = ?`) as Statement<[number], RawResource>,
    all: sqlite.prepare(`SELECT ${COLUMNS} FROM resources ORDER BY name, id`) as Statement<[], RawResource>,
    active: sqlite.prepare(`SELECT ${COLUMNS} FROM resources WHERE active = 1 ORDER BY name, id`) as Statement<[], RawResource>,
    insert: sqlite.prepare(
      `INSERT INTO resources (name, kind, category, capacity, bearer_member_id, granularity_minutes, min_minutes, max_minutes,
         opening_hours, blackouts, horizon_days, requires_approval, active, vat_rate_bp, management_fees_agreed, allowance, created_at)
       VALUES (@name, @kind, @category, @capacity, @bearerMemberId, @granularityMinutes, @minMinutes, @maxMinutes,
         @openingHours, @blackouts, @horizonDays, @requiresApproval, @active, @vatRateBp, @managementFeesAgreed, @allowance, @createdAt) RETURNING id`,
    ) as Statement<[Record<string, unknown>], { id: number }>,
    ruleFor: sqlite.prepare(
      `SELECT rule, weights, fixed_percent, rate_cents, from_month FROM allocation_rules
        WHERE resource_id = ? AND from_month <= ? ORDER BY id DESC LIMIT 1`,
    ) as Statement<[number, string], RawRule>,
    firstRule: sqlite.prepare(
      `SELECT rule, weights, fixed_percent, rate_cents, from_month FROM allocation_rules WHERE resource_id = ? ORDER BY id LIMIT 1`,
    ) as Statement<[number], RawRule>,
    insertRule: sqlite.prepare(
      `INSERT INTO allocation_rules (resource_id, from_month, rule, weights, fixed_percent, rate_cents, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    allowanceAt: sqlite.prepare(
      'SELECT allowance FROM resource_allowances WHERE resource_id = ? AND from_month <= ? ORDER BY from_month DESC LIMIT 1',
    ) as Statement<[number, string], { allowance: string | null }>,
    firstAllowance: sqlite.prepare('SELECT allowance FROM resource_allowances WHERE resource_id = ? ORDER BY from_month LIMIT 1') as Statement<
      [number],
      { allowance: string | null }
    >,
    recordAllowance: sqlite.prepare(
      `INSERT INTO resource_allowances (resource_id, from_month, allowance, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (resource_id, from_month) DO UPDATE SET allowance = excluded.allowance, created_at = excluded.created_at`,
    ),
    memberExists: sqlite.prepare('SELECT 1 FROM members WHERE id = ?').pluck() as Statement<[number], number>,
    closedFrom: sqlite.prepare('SELECT month FROM closings WHERE month >= ? ORDER BY month LIMIT 1').pluck() as Statement<[string], string>,
  };
}

/** drizzle keeps its better-sqlite3 connection as `$client`, which the Db type does not declare. */
export const clientOf = (db: Db): Sqlite => (db as Db & { $client: Sqlite }).$client;

const cache = new WeakMap<Sqlite, ReturnType<typeof prepare>>();
/** Prepared statements, once per connection. */
function statements(db: Db) {
  return statementsOf(clientOf(db));
}

function statementsOf(sqlite: Sqlite) {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  return s;
}

function toRow(raw: RawResource): ResourceRow {
  return {
    id: raw.id,
    name: raw.name,
    kind: raw.kind,
    category: raw.category,
    capacity: raw.capacity,
    bearerMemberId: raw.bearer_member_id,
    granularityMinutes: raw.granularity_minutes,
    minMinutes: raw.min_minutes,
    maxMinutes: raw.max_minutes,
    openingHours: raw.opening_hours === null ? null : (JSON.parse(raw.opening_hours) as OpeningHours | null),
    blackouts: JSON.parse(raw.blackouts) as StoredBlackout[],
    horizonDays: raw.horizon_days,
    requiresApproval: raw.requires_approval === 1,
    active: raw.active === 1,
    vatRateBp: raw.vat_rate_bp,
    managementFeesAgreed: raw.management_fees_agreed === 1,
    allowance: raw.allowance === null ? null : (JSON.parse(raw.allowance) as Allowance | null),
    longestBookingMs: raw.longest_booking_ms,
    createdAt: raw.created_at,
  };
}

export function findResource(db: Db, id: number): ResourceRow | undefined {
  const raw = statements(db).byId.get(id);
  return raw && toRow(raw);
}

export function listResources(db: Db, options: { includeInactive: boolean }): ResourceRow[] {
  return (options.includeInactive ? statements(db).all : statements(db).active).all().map(toRow);
}

function toParams(row: Partial<NewResourceRow>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  if ('openingHours' in row) out.openingHours = row.openingHours === null ? null : JSON.stringify(row.openingHours);
  if ('blackouts' in row) out.blackouts = JSON.stringify(row.blackouts);
  if ('requiresApproval' in row) out.requiresApproval = row.requiresApproval ? 1 : 0;
  if ('active' in row) out.active = row.active ? 1 : 0;
  if ('managementFeesAgreed' in row) out.managementFeesAgreed = row.managementFeesAgreed ? 1 : 0;
  if ('allowance' in row) out.allowance = row.allowance ? JSON.stringify(row.allowance) : null;
  return out;
}

export function insertResource(db: Db, row: NewResourceRow): number {
  return statements(db).insert.get(toParams({ vatRateBp: 2000, managementFeesAgreed: false, allowance: null, ...row }))!.id;
}

const PATCHABLE: Record<keyof Omit<NewResourceRow, 'createdAt'>, string> = {
  name: 'name',
  kind: 'kind',
  category: 'category',
  capacity: 'capacity',
  bearerMemberId: 'bearer_member_id',
  granularityMinutes: 'granularity_minutes',
  minMinutes: 'min_minutes',
  maxMinutes: 'max_minutes',
  openingHours: 'opening_hours',
  blackouts: 'blackouts',
  horizonDays: 'horizon_days',
  requiresApproval: 'requires_approval',
  active: 'active',
  vatRateBp: 'vat_rate_bp',
  managementFeesAgreed: 'management_fees_agreed',
  allowance: 'allowance',
};

export function updateResource(db: Db, id: number, patch: Partial<Omit<NewResourceRow, 'createdAt'>>): void {
  const keys = (Object.keys(patch) as (keyof typeof PATCHABLE)[]).filter((k) => PATCHABLE[k] && patch[k] !== undefined);
  if (keys.length === 0) return;
  const set = keys.map((k) => `${PATCHABLE[k]} = @${k}`).join(', ');
  clientOf(db).prepare(`UPDATE resources SET ${set} WHERE id = @id`).run({ ...toParams(patch), id });
}

export function memberExists(db: Db, id: number): boolean {
  return statements(db).memberExists.get(id) !== undefined;
}

/** The first closed month at or after `month`, if any: a rule starting there would rewrite a closed month. */
export function firstClosedMonthFrom(db: Db, month: string): string | undefined {
  return statements(db).closedFrom.get(month);
}

function toRule(raw: RawRule): AllocationRule {
  return {
    rule: raw.rule,
    weights: raw.weights === null ? null : (JSON.parse(raw.weights) as Record<string, number> | null),
    fixedPercent: raw.fixed_percent,
    rateCents: raw.rate_cents,
    fromMonth: raw.from_month,
  };
}

/**
 * The allocation rule of a resource in force for `month` (YYYY-MM, in the pole's zone): the most recently set
 * rule among those starting at or before that month (a later decision "from March on" overrides earlier ones for
 * every month from March). A month before every rule follows the resource's first rule; a resource whose rule was
 * never set follows `usage`. Rules starting in or before a closed month are refused when set, so a closed
 * month's answer never changes.
 */
export function allocationRuleFor(db: Db, resourceId: number, month: string): AllocationRule {
  const s = statements(db);
  const raw = s.ruleFor.get(resourceId, month) ?? s.firstRule.get(resourceId);
  return raw ? toRule(raw) : { ...DEFAULT_ALLOCATION };
}

export function insertAllocationRule(
  db: Db,
  resourceId: number,
  fromMonth: string,
  rule: Omit<AllocationRule, 'fromMonth'>,
  createdAt: number,
): void {
  statements(db).insertRule.run(
    resourceId,
    fromMonth,
    rule.rule,
    rule.weights === null ? null : JSON.stringify(rule.weights),
    rule.fixedPercent,
    rule.rateCents,
    createdAt,
  );
}

/** Records the allowance in force from `fromMonth` on (replacing one recorded for the same month). */
export function recordAllowance(db: Db, resourceId: number, fromMonth: string, allowance: Allowance | null, now: number): void {
  statements(db).recordAllowance.run(resourceId, fromMonth, allowance ? JSON.stringify(allowance) : null, now);
}

/**
 * The allowance a resource had in `month`: the latest recorded from that month or before; before the first
 * one recorded, that first one (as for allocation rules); `current` when none was ever recorded.
 */
export function allowanceFor(db: Db | Sqlite, resourceId: number, month: string, current: Allowance | null): Allowance | null {
  const s = '$client' in db ? statements(db as Db) : statementsOf(db as Sqlite);
  const raw = s.allowanceAt.get(resourceId, month) ?? s.firstAllowance.get(resourceId);
  if (!raw) return current;
  return raw.allowance === null ? null : (JSON.parse(raw.allowance) as Allowance);
}
