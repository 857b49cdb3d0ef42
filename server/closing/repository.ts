import type { Allowance } from '../resources/allowance';
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';
import type { CostNature, LegalForm, ResourceKind, VatStatus } from '../../db/schema/enums';
import type { AllocationNote, Basis, RuleSpec } from './allocation';

/** SQL of the close: what it reads (members, resources, rules, costs, usage) and what it writes (snapshots). */

export interface MemberRecord {
  id: number;
  name: string;
  legalForm: LegalForm;
  siren: string;
  siret: string;
  address: string;
  billingEmail: string;
  vatStatus: VatStatus;
  eligible261B: boolean;
  eligible261BSince: string | null;
  vatOnDebits: boolean;
  vatNumber: string | null;
  postalCode: string | null;
  city: string | null;
  countryCode: string;
  deliveryAddress: string | null;
  publicBody: boolean;
  chorusServiceCode: string | null;
  chorusEngagement: string | null;
  shareCapitalCents: number | null;
  rcsCity: string | null;
  iban: string | null;
  bic: string | null;
  einvoiceAddress: string | null;
  billingMandateSince: string | null;
  nettingAgreement: boolean;
  nettingAgreementSince: string | null;
  weight: number;
  invoicePrefix: string;
  joinedOn: string;
  leftOn: string | null;
}

export interface ResourceRecord {
  id: number;
  name: string;
  kind: ResourceKind;
  bearerMemberId: number;
  vatRateBp: number;
  managementFeesAgreed: boolean;
  /** Included quantity per member and month (usage_over_allowance); null: none. */
  allowance: Allowance | null;
}

/** A resource's month cost of one nature: excl. VAT, the input VAT paid, and the paid hours (hundredths) entered with it. */
export interface CostSum {
  resourceId: number;
  nature: CostNature;
  amountCents: number;
  inputVatCents: number;
  paidHoursHundredths: number;
}

export interface UsageRow {
  resourceId: number;
  memberId: number;
  minutes: number;
}

export interface ClosingRecord {
  month: string;
  closedAt: number;
  closedByUserId: number | null;
}

export interface SnapshotRow {
  resourceId: number;
  memberId: number;
  usageMinutes: number;
  shareCents: number;
  basis: Basis & { text?: string };
}

export interface SnapshotResource {
  resourceId: number;
  bearerMemberId: number;
  rule: RuleSpec;
  costCents: number;
  allocatedCents: number;
  gapCents: number;
  usageMinutes: number;
  note: AllocationNote | null;
}

/**
 * A stored allocation note: JSON since notes are structured; an older snapshot's plain sentence (or anything
 * that is not a note object) reads as `{ code: 'text', text }`, so no closed month loses its note.
 */
export function parseStoredNote(stored: string | null): AllocationNote | null {
  if (stored === null || stored === '') return null;
  try {
    const value: unknown = JSON.parse(stored);
    if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as { code?: unknown }).code === 'string') return value as AllocationNote;
  } catch {
    // a plain sentence written before notes were structured
  }
  return { code: 'text', text: stored };
}

type MemberFlag = 'eligible261B' | 'vatOnDebits' | 'publicBody' | 'nettingAgreement';
/** SQLite answers booleans as 0/1. */
type RawFlags<T, K extends keyof T> = Omit<T, K> & Record<K, number>;

function prepare(sqlite: Sqlite) {
  return {
    members: sqlite.prepare(
      `SELECT id, name, legal_form AS legalForm, siren, siret, address, billing_email AS billingEmail, vat_status AS vatStatus,
              eligible_261b AS eligible261B, eligible_261b_since AS eligible261BSince, vat_on_debits AS vatOnDebits,
              vat_number AS vatNumber, postal_code AS postalCode, city, country_code AS countryCode, delivery_address AS deliveryAddress,
              public_body AS publicBody, chorus_service_code AS chorusServiceCode, chorus_engagement AS chorusEngagement,
              share_capital_cents AS shareCapitalCents, rcs_city AS rcsCity, iban, bic, einvoice_address AS einvoiceAddress,
              billing_mandate_since AS billingMandateSince, netting_agreement AS nettingAgreement, netting_agreement_since AS nettingAgreementSince,
              weight, invoice_prefix AS invoicePrefix, joined_on AS joinedOn, left_on AS leftOn
         FROM members ORDER BY id`,
    ) as Statement<[], RawFlags<MemberRecord, MemberFlag>>,
    resources: sqlite.prepare(
      `SELECT id, name, kind, bearer_member_id AS bearerMemberId, vat_rate_bp AS vatRateBp, management_fees_agreed AS managementFeesAgreed, allowance
         FROM resources ORDER BY id`,
    ) as Statement<[], Omit<RawFlags<ResourceRecord, 'managementFeesAgreed'>, 'allowance'> & { allowance: string | null }>,
    costs: sqlite.prepare(
      `SELECT resource_id AS resourceId, nature, sum(amount_cents) AS amountCents, sum(input_vat_cents) AS inputVatCents,
              coalesce(sum(paid_hours_hundredths), 0) AS paidHoursHundredths
         FROM costs WHERE month = ? GROUP BY resource_id, nature ORDER BY resource_id, nature`,
    ) as Statement<[string], CostSum>,
    longest: sqlite.prepare('SELECT coalesce(max(longest_booking_ms), 0) FROM resources').pluck() as Statement<[], number>,
    // Confirmed bookings clipped to [start, end): minutes × quantity per (resource, member). Instants are UTC
    // milliseconds, so a 23- or 25-hour day counts its real length.
    usage: sqlite.prepare(
      `SELECT resource_id AS resourceId, member_id AS memberId,
              sum(((min(end_ms, @end) - max(start_ms, @start)) / 60000) * quantity) AS minutes
         FROM bookings
        WHERE status = 'confirmed' AND start_ms < @end AND start_ms >= @lower AND end_ms > @start
        GROUP BY resource_id, member_id ORDER BY resource_id, member_id`,
    ) as Statement<[{ start: number; end: number; lower: number }], UsageRow>,
    closing: sqlite.prepare(
      'SELECT month, closed_at AS closedAt, closed_by_user_id AS closedByUserId FROM closings WHERE month = ?',
    ) as Statement<[string], ClosingRecord>,
    closings: sqlite.prepare(
      'SELECT month, closed_at AS closedAt, closed_by_user_id AS closedByUserId FROM closings ORDER BY month DESC',
    ) as Statement<[], ClosingRecord>,
    insertClosing: sqlite.prepare('INSERT INTO closings (month, closed_at, closed_by_user_id) VALUES (?, ?, ?)'),
    insertRow: sqlite.prepare(
      `INSERT INTO allocation_rows (month, resource_id, member_id, usage_minutes, share_cents, basis)
       VALUES (@month, @resourceId, @memberId, @usageMinutes, @shareCents, @basis)`,
    ),
    insertResource: sqlite.prepare(
      `INSERT INTO allocation_resources (month, resource_id, bearer_member_id, rule, cost_cents, allocated_cents, gap_cents, usage_minutes, note)
       VALUES (@month, @resourceId, @bearerMemberId, @rule, @costCents, @allocatedCents, @gapCents, @usageMinutes, @note)`,
    ),
    rows: sqlite.prepare(
      `SELECT resource_id AS resourceId, member_id AS memberId, usage_minutes AS usageMinutes, share_cents AS shareCents, basis
         FROM allocation_rows WHERE month = ? ORDER BY resource_id, member_id`,
    ) as Statement<[string], Omit<SnapshotRow, 'basis'> & { basis: string }>,
    snapshotResources: sqlite.prepare(
      `SELECT resource_id AS resourceId, bearer_member_id AS bearerMemberId, rule, cost_cents AS costCents,
              allocated_cents AS allocatedCents, gap_cents AS gapCents, usage_minutes AS usageMinutes, note
         FROM allocation_resources WHERE month = ? ORDER BY resource_id`,
    ) as Statement<[string], Omit<SnapshotResource, 'rule' | 'note'> & { rule: string; note: string | null }>,
  };
}

const cache = new WeakMap<Sqlite, ReturnType<typeof prepare>>();
function statements(sqlite: Sqlite) {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  return s;
}

export function closingRepository(sqlite: Sqlite) {
  const s = statements(sqlite);
  return {
    members: (): MemberRecord[] =>
      s.members.all().map((m) => ({
        ...m,
        eligible261B: m.eligible261B === 1,
        vatOnDebits: m.vatOnDebits === 1,
        publicBody: m.publicBody === 1,
        nettingAgreement: m.nettingAgreement === 1,
      })),
    resources: (): ResourceRecord[] =>
      s.resources.all().map((r) => ({ ...r, managementFeesAgreed: r.managementFeesAgreed === 1, allowance: r.allowance === null ? null : (JSON.parse(r.allowance) as Allowance | null) })),
    costSums: (month: string) => s.costs.all(month),
    usage(startMs: number, endMs: number): UsageRow[] {
      return s.usage.all({ start: startMs, end: endMs, lower: startMs - s.longest.get()! - 1 });
    },
    closing: (month: string) => s.closing.get(month),
    closings: () => s.closings.all(),
    insertClosing(month: string, closedAt: number, userId: number | null) {
      s.insertClosing.run(month, closedAt, userId);
    },
    insertSnapshot(month: string, resources: SnapshotResource[], rows: SnapshotRow[]) {
      for (const r of resources) s.insertResource.run({ ...r, month, rule: JSON.stringify(r.rule), note: r.note === null ? null : JSON.stringify(r.note) });
      for (const r of rows) s.insertRow.run({ ...r, month, basis: JSON.stringify(r.basis) });
    },
    snapshot(month: string): { resources: SnapshotResource[]; rows: SnapshotRow[] } {
      return {
        resources: s.snapshotResources.all(month).map((r) => ({ ...r, rule: JSON.parse(r.rule) as RuleSpec, note: parseStoredNote(r.note) })),
        rows: s.rows.all(month).map((r) => ({ ...r, basis: JSON.parse(r.basis) as SnapshotRow['basis'] })),
      };
    },
  };
}
export type ClosingRepository = ReturnType<typeof closingRepository>;
