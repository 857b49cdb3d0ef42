import type { AllocationRuleName, CostNature } from '../../db/schema/enums';
import { includedMinutes, type Allowance } from '../resources/allowance';
import { allocate, assertCents, type Cents } from '../shared/money';

/**
 * Pure allocation of a resource's monthly cost among members (no I/O). Every split goes through `allocate`
 * (largest remainder, ties to the lower member id), so shares sum exactly to the cost; every share keeps its
 * basis (minutes, weight, percent) so that a member can see why it pays what it pays.
 */

export interface RuleSpec {
  rule: AllocationRuleName;
  /** `{ "<memberId>": weight }`; null means each member's own allocation weight. */
  weights: Record<string, number> | null;
  /** `mixed`: the percent split by weights (the rest by usage). */
  fixedPercent: number | null;
  /** `rate`: price of one hour (× quantity), in cents excluding VAT. */
  rateCents: number | null;
  /** The month the rule is effective from; null for the default rule. */
  fromMonth: string | null;
}

export const DEFAULT_RULE: RuleSpec = { rule: 'usage', weights: null, fixedPercent: null, rateCents: null, fromMonth: null };
export const DEFAULT_MIXED_PERCENT = 50;

export interface MemberWeight {
  id: number;
  /** The member's own allocation weight. */
  weight: number;
}

export interface ResourceCostInput {
  resourceId: number;
  bearerMemberId: number;
  /** The month's real cost of the resource, cents excluding VAT. */
  costCents: Cents;
  rule: RuleSpec;
  /** memberId → confirmed booked minutes × quantity within the month. Any member, active or not. */
  usage: ReadonlyMap<number, number>;
  /** Members active in the month (joined on or before its last day, not left before its first). */
  activeMembers: readonly MemberWeight[];
  /** usage_over_allowance: the minutes each member has included (none when absent or null). */
  allowance?: Allowance | null;
}

/** What decided a share. `method` is what was really applied, `fallback` says when it is not the rule itself. */
export interface Basis {
  rule: AllocationRuleName;
  method: 'usage' | 'weights' | 'equal' | 'mixed' | 'rate' | 'bearer' | 'staff' | 'usage_over_allowance';
  fallback?: 'weights' | 'equal' | 'bearer';
  /** usage: the member's minutes × quantity and the total of all members. */
  minutes?: number;
  totalMinutes?: number;
  /** weights / equal: the member's weight and the sum of the weights. */
  weight?: number;
  totalWeight?: number;
  /** The member's part of the key, in percent (2 decimals). */
  percent?: number;
  /** mixed: the percent split by weights, and the cents of this share from each part. */
  fixedPercent?: number;
  fixedCents?: Cents;
  usageCents?: Cents;
  usageFallback?: 'weights' | 'equal' | 'bearer';
  /** usage_over_allowance: the member's included minutes and its minutes beyond them (billed by usage). */
  includedMinutes?: number;
  overrunMinutes?: number;
  /** rate: the hourly price applied. */
  rateCents?: Cents;
  /** staff lent at cost: the employee's paid hours of the month and the hourly cost they give. */
  paidHours?: number;
  hourlyCostCents?: Cents;
  /**
   * Staff lent to an employee's user member: what each nature of the month's cost bills it (only those its
   * agreement bills) and the agreed management fees; the share is their sum, and its invoice lines are these.
   */
  byNature?: NatureAmount[];
  /** The resource's cost was shared VAT included: this much input VAT its bearer cannot recover (franchise, not liable). */
  inputVatIncludedCents?: Cents;
}

/** One nature of a staff share: its cents, the nature's hourly cost, or the fees' agreed rate (percent). */
export interface NatureAmount {
  nature: CostNature;
  cents: Cents;
  hourlyCostCents?: Cents;
  feesRatePercent?: number;
}

export interface Share {
  memberId: number;
  usageMinutes: number;
  shareCents: Cents;
  basis: Basis;
}

/**
 * Why the rule could not apply as such, as data (the documents and the client word it in their language).
 * `fallback`: the key of the whole cost (`part: 'all'`) or of a mixed rule's usage part (`part: 'usage'`) was
 * empty, so the next key of the chain applied. `text` only comes from snapshots written before notes were
 * structured (plain sentences).
 */
export type AllocationNote =
  | { code: 'no_rate' }
  | { code: 'no_paid_hours' }
  | { code: 'staff_remainder'; remainderCents: Cents }
  | { code: 'staff_overbooked'; bookedMinutes: number; paidHours: number }
  | { code: 'fallback'; part: 'all' | 'usage'; rule: AllocationRuleName; fallback: 'weights' | 'equal' | 'bearer' }
  | { code: 'text'; text: string };

export interface ResourceAllocation {
  resourceId: number;
  bearerMemberId: number;
  rule: RuleSpec;
  costCents: Cents;
  /** Sum of the shares. Equals the cost, except under `rate`. */
  allocatedCents: Cents;
  /** cost − allocated: what a `rate` leaves to the bearer (negative: the rate brought in more than the cost). */
  gapCents: Cents;
  usageMinutes: number;
  /** Set when the rule could not apply as such (no usage, no weights, no rate…). */
  note: AllocationNote | null;
  /** One per member concerned, by member id ascending. */
  shares: Share[];
}

type Key = { memberId: number; weight: number }[];
type KeyKind = 'usage' | 'weights' | 'equal' | 'bearer';

const round2 = (n: number) => Math.round(n * 100) / 100;

function positive(key: Key): Key {
  return key.filter((k) => k.weight > 0).sort((a, b) => a.memberId - b.memberId);
}

function usageKey(input: ResourceCostInput): Key {
  return positive([...input.usage].map(([memberId, minutes]) => ({ memberId, weight: minutes })));
}

function weightsKey(input: ResourceCostInput): Key {
  const explicit = input.rule.weights;
  return positive(
    input.activeMembers.map((m) => {
      const raw = explicit ? explicit[String(m.id)] : m.weight;
      return { memberId: m.id, weight: Number.isSafeInteger(raw) && (raw as number) > 0 ? (raw as number) : 0 };
    }),
  );
}

function equalKey(input: ResourceCostInput): Key {
  return positive(input.activeMembers.map((m) => ({ memberId: m.id, weight: 1 })));
}

/** The first non-empty key of the chain, and which one it was. The bearer keeps the cost when none applies. */
function firstKey(input: ResourceCostInput, chain: Exclude<KeyKind, 'bearer'>[]): { kind: KeyKind; key: Key } {
  for (const kind of chain) {
    const key = kind === 'usage' ? usageKey(input) : kind === 'weights' ? weightsKey(input) : equalKey(input);
    if (key.length > 0) return { kind, key };
  }
  return { kind: 'bearer', key: [{ memberId: input.bearerMemberId, weight: 1 }] };
}

interface KeyedPart {
  cents: Cents;
  weight: number;
  totalWeight: number;
}

function split(total: Cents, key: Key): Map<number, KeyedPart> {
  const parts = allocate(total, key.map((k) => k.weight));
  const totalWeight = key.reduce((a, k) => a + k.weight, 0);
  return new Map(key.map((k, i) => [k.memberId, { cents: parts[i]!, weight: k.weight, totalWeight }]));
}

function keyBasis(kind: KeyKind, part: KeyedPart | undefined): Partial<Basis> {
  if (!part) return kind === 'usage' ? { minutes: 0 } : { weight: 0 };
  const percent = round2((part.weight * 100) / part.totalWeight);
  if (kind === 'usage') return { minutes: part.weight, totalMinutes: part.totalWeight, percent };
  if (kind === 'bearer') return { percent: 100 };
  return { weight: part.weight, totalWeight: part.totalWeight, percent };
}

/** Half-up rounding of rateCents × minutes / 60, in exact integer arithmetic. */
export function rateShare(rateCents: Cents, minutes: number): Cents {
  const n = BigInt(rateCents) * BigInt(minutes);
  return Number((n * 2n + 60n) / 120n);
}

/** Allocates one resource's cost for one month. */
export function allocateResource(input: ResourceCostInput): ResourceAllocation {
  assertCents(input.costCents, 'cost');
  if (input.costCents < 0) throw new RangeError('a cost cannot be negative');
  for (const [, minutes] of input.usage) {
    if (!Number.isSafeInteger(minutes) || minutes < 0) throw new RangeError(`usage must be whole non-negative minutes, got ${minutes}`);
  }
  const { rule } = input;
  const shares = new Map<number, { shareCents: Cents; basis: Basis }>();
  let note: AllocationNote | null = null;
  const name = rule.rule;

  if (name === 'rate') {
    const rate = rule.rateCents ?? 0;
    for (const { memberId, weight: minutes } of usageKey(input)) {
      shares.set(memberId, { shareCents: rateShare(rate, minutes), basis: { rule: name, method: 'rate', minutes, rateCents: rate } });
    }
    if (rule.rateCents === null) note = { code: 'no_rate' };
  } else if (name === 'usage_over_allowance') {
    overAllowance(input, shares);
  } else if (name === 'mixed') {
    const fixedPercent = Math.min(100, Math.max(0, rule.fixedPercent ?? DEFAULT_MIXED_PERCENT));
    const [fixedTotal, usageTotal] = allocate(input.costCents, [fixedPercent, 100 - fixedPercent]) as [Cents, Cents];
    const fixed = firstKey(input, ['weights', 'equal']);
    const used = firstKey(input, ['usage', 'weights', 'equal']);
    const fixedParts = split(fixedTotal, fixed.key);
    const usedParts = split(usageTotal, used.key);
    const ids = new Set([...fixedParts.keys(), ...usedParts.keys()]);
    for (const memberId of ids) {
      const f = fixedParts.get(memberId);
      const u = usedParts.get(memberId);
      const fixedCents = f?.cents ?? 0;
      const usageCents = u?.cents ?? 0;
      const fixedBasis = keyBasis(fixed.kind, f);
      const usageBasis = keyBasis(used.kind, u);
      const percent = round2(
        (fixedPercent * (f ? f.weight / f.totalWeight : 0)) + ((100 - fixedPercent) * (u ? u.weight / u.totalWeight : 0)),
      );
      shares.set(memberId, {
        shareCents: fixedCents + usageCents,
        basis: {
          rule: name,
          method: 'mixed',
          fixedPercent,
          fixedCents,
          usageCents,
          ...(fixed.kind === 'equal' || fixed.kind === 'bearer' ? { fallback: fixed.kind } : {}),
          ...(used.kind !== 'usage' ? { usageFallback: used.kind } : {}),
          weight: fixedBasis.weight ?? 0,
          totalWeight: fixed.key.reduce((a, k) => a + k.weight, 0),
          minutes: used.kind === 'usage' ? (usageBasis.minutes ?? 0) : undefined,
          totalMinutes: used.kind === 'usage' ? used.key.reduce((a, k) => a + k.weight, 0) : undefined,
          percent,
        },
      });
    }
    if (used.kind !== 'usage') note = { code: 'fallback', part: 'usage', rule: name, fallback: used.kind };
  } else {
    const chain: Exclude<KeyKind, 'bearer'>[] = name === 'usage' ? ['usage', 'weights', 'equal'] : name === 'weights' ? ['weights', 'equal'] : ['equal'];
    const { kind, key } = firstKey(input, chain);
    for (const [memberId, part] of split(input.costCents, key)) {
      shares.set(memberId, {
        shareCents: part.cents,
        basis: { rule: name, method: kind, ...(kind !== name ? { fallback: kind as Basis['fallback'] } : {}), ...keyBasis(kind, part) },
      });
    }
    if (kind !== name) note = { code: 'fallback', part: 'all', rule: name, fallback: kind as 'weights' | 'equal' | 'bearer' };
  }

  // Members that used the resource appear with their minutes, even when the rule gives them nothing.
  for (const [memberId, minutes] of input.usage) {
    if (minutes > 0 && !shares.has(memberId)) {
      shares.set(memberId, { shareCents: 0, basis: { rule: name, method: name === 'mixed' ? 'mixed' : (name as Basis['method']), percent: 0 } });
    }
  }

  const rows: Share[] = [...shares]
    .sort(([a], [b]) => a - b)
    .map(([memberId, s]) => ({ memberId, usageMinutes: input.usage.get(memberId) ?? 0, shareCents: s.shareCents, basis: clean(s.basis) }));
  const allocatedCents = rows.reduce((a, r) => a + r.shareCents, 0);
  const usageMinutes = [...input.usage.values()].reduce((a, m) => a + m, 0);
  return {
    resourceId: input.resourceId,
    bearerMemberId: input.bearerMemberId,
    rule,
    costCents: input.costCents,
    allocatedCents,
    gapCents: input.costCents - allocatedCents,
    usageMinutes,
    note,
    shares: rows,
  };
}

/**
 * usage_over_allowance: the cost is split between what members used within their allowance and what they used
 * beyond it, pro rata to those minutes; the included part is covered by the weights (every active member pays
 * its subscription, used or not), the overruns by each member's overrun minutes. No usage: all by weights.
 */
function overAllowance(input: ResourceCostInput, shares: Map<number, { shareCents: Cents; basis: Basis }>): void {
  const used = usageKey(input);
  const included = (memberId: number) => (input.allowance ? includedMinutes(input.allowance, memberId) : 0);
  const over = positive(used.map((k) => ({ memberId: k.memberId, weight: Math.max(0, k.weight - included(k.memberId)) })));
  const totalUsed = used.reduce((a, k) => a + k.weight, 0);
  const totalOver = over.reduce((a, k) => a + k.weight, 0);
  const [overTotal, fixedTotal] = totalUsed === 0 ? [0, input.costCents] : (allocate(input.costCents, [totalOver, totalUsed - totalOver]) as [Cents, Cents]);
  const fixed = firstKey(input, ['weights', 'equal']);
  const fixedParts = split(fixedTotal, fixed.key);
  const overParts = over.length ? split(overTotal, over) : new Map<number, KeyedPart>();
  const totalWeight = fixed.key.reduce((a, k) => a + k.weight, 0);
  for (const memberId of new Set([...fixedParts.keys(), ...overParts.keys()])) {
    const f = fixedParts.get(memberId);
    const o = overParts.get(memberId);
    const fixedCents = f?.cents ?? 0;
    const usageCents = o?.cents ?? 0;
    const shareCents = fixedCents + usageCents;
    if (shareCents === 0) continue; // members that used it come back below with their minutes
    shares.set(memberId, {
      shareCents,
      basis: {
        rule: 'usage_over_allowance',
        method: 'usage_over_allowance',
        ...(fixed.kind === 'equal' || fixed.kind === 'bearer' ? { fallback: fixed.kind } : {}),
        weight: f?.weight ?? 0,
        totalWeight,
        includedMinutes: included(memberId),
        overrunMinutes: o?.weight ?? 0,
        totalMinutes: totalOver,
        fixedCents,
        usageCents,
        percent: input.costCents === 0 ? 0 : round2((shareCents * 100) / input.costCents),
      },
    });
  }
}

/** Drops undefined fields so that bases compare and serialise the same everywhere. */
function clean(basis: Basis): Basis {
  return Object.fromEntries(Object.entries(basis).filter(([, v]) => v !== undefined)) as unknown as Basis;
}

/** The part of each share the bearer invoices: every share but the bearer's own. */
export function invoicedShares(allocation: ResourceAllocation): Share[] {
  return allocation.shares.filter((s) => s.memberId !== allocation.bearerMemberId && s.shareCents > 0);
}

/** Whether a member is active during a month (dates are YYYY-MM-DD, month YYYY-MM). */
export function isActiveInMonth(member: { joinedOn: string; leftOn: string | null }, month: string): boolean {
  const first = `${month}-01`;
  const last = `${month}-31`; // string comparison: any day of the month is <= "YYYY-MM-31"
  return member.joinedOn <= last && (member.leftOn === null || member.leftOn >= first);
}
