import { Type } from 'typebox';
import { COST_NATURES } from '../../db/schema/enums';
import { Id, Month, ShortText } from '../shared/schemas';
import { BasisSchema, InvoiceSchema } from '../invoices/schemas';

export const MonthBody = Type.Object({ month: Month }, { additionalProperties: false });
/** A close or its preview: the month, and the engagement number (Chorus Pro) of each public buyer for this month's invoices. */
export const CloseBody = Type.Object(
  {
    month: Month,
    engagements: Type.Optional(
      Type.Array(
        Type.Object(
          { memberId: Id, engagement: Type.String({ minLength: 1, maxLength: 50, pattern: '^\\S(.*\\S)?$', description: 'n° d’engagement juridique (BT-13)' }) },
          { additionalProperties: false },
        ),
        { maxItems: 1000, description: 'per public-body buyer; overrides its standing engagement number on this close’s invoices' },
      ),
    ),
  },
  { additionalProperties: false },
);
export const MonthQuery = Type.Object({ month: Month }, { additionalProperties: false });

/** A close's warning: a stable code with params to word it, and an English message (as error messages). */
export const WarningSchema = Type.Object({
  code: Type.String({
    description:
      'allocation.fallback, allocation.no_rate, allocation.rate_gap, allocation.rate_not_exact_share, allocation.no_paid_hours, allocation.staff_remainder, allocation.staff_overbooked, allocation.note, invoice.no_billing_mandate, bookings.pending',
  }),
  message: Type.String({ description: 'in English, for API consumers' }),
  resourceId: Type.Optional(Id),
  params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
});

export const ClosingSchema = Type.Object({
  month: Type.String(),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  invoices: Type.Array(InvoiceSchema),
  warnings: Type.Array(WarningSchema),
});

/**
 * Why a resource's rule could not apply as such: `no_rate`, `fallback` (part, rule, fallback), an old snapshot's
 * `text`; for staff lent at cost `no_paid_hours`, `staff_remainder` (remainderCents not made available) and
 * `staff_overbooked` (bookedMinutes, paidHours).
 */
export const NoteSchema = Type.Object({
  code: Type.String(),
  part: Type.Optional(Type.String()),
  rule: Type.Optional(Type.String()),
  fallback: Type.Optional(Type.String()),
  text: Type.Optional(Type.String()),
  remainderCents: Type.Optional(Type.Integer()),
  bookedMinutes: Type.Optional(Type.Integer()),
  paidHours: Type.Optional(Type.Number()),
});

export const ClosingListItem = Type.Object({
  month: Type.String(),
  closedAt: Type.String(),
  closedByUserId: Type.Union([Id, Type.Null()]),
  invoiceCount: Type.Integer(),
  totalInclVatCents: Type.Integer(),
});

const ReconciliationLineSchema = Type.Object({
  resourceId: Type.Union([Id, Type.Null()], { description: 'null on the total line' }),
  costCents: Type.Integer({ description: 'cost shared (excl. VAT, incl. the input VAT its bearer cannot recover)' }),
  invoicedNetCents: Type.Integer({ description: 'invoices issued less credit notes, excl. VAT' }),
  creditNotesCents: Type.Integer(),
  ownShareCents: Type.Integer({ description: 'the bearer’s own share (never invoiced)' }),
  keptByBearerCents: Type.Integer({ description: 'remainder kept by the employer (staff not made available) or the gap a rate leaves' }),
  revenueTitlesCents: Type.Integer({ description: 'shares a public body bills with its own revenue titles' }),
  adjustmentsCents: Type.Integer(),
  differenceCents: Type.Integer({ description: 'what nothing explains: 0 when the month reconciles to the cent' }),
});

const AdjustmentSummarySchema = Type.Object({
  id: Id,
  kind: Type.Union([Type.Literal('resource'), Type.Literal('invoice')]),
  resourceId: Type.Union([Id, Type.Null()]),
  invoiceId: Type.Union([Id, Type.Null()]),
  costDeltaCents: Type.Integer({ description: 'cost shared after − before (excl. VAT, as shared); 0 for a corrected share' }),
  reason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  documents: Type.Array(
    Type.Object({ id: Id, number: Type.String(), kind: Type.Union([Type.Literal('invoice'), Type.Literal('credit_note')]), totalExclVatCents: Type.Integer(), totalInclVatCents: Type.Integer() }),
  ),
});

export const ClosedMonthSchema = Type.Object({
  month: Type.String(),
  closedAt: Type.String(),
  invoiceCount: Type.Integer(),
  creditNoteCount: Type.Integer(),
  reconciliation: Type.Object({ resources: Type.Array(ReconciliationLineSchema), total: ReconciliationLineSchema }),
  adjustments: Type.Array(AdjustmentSummarySchema),
});

const MaxCents = 1_000_000_000_00;

/** A cost item of an adjustment, shaped as the costs API's entries: `costId` corrects that entry, none adds a late cost. */
const AdjustmentCost = Type.Object(
  {
    costId: Type.Optional(Id),
    label: Type.Optional(ShortText(200)),
    nature: Type.Optional(Type.Enum(COST_NATURES)),
    amountCents: Type.Integer({ minimum: 0, maximum: MaxCents, description: 'integer cents excl. VAT; a late cost is positive, a corrected entry may go down to 0' }),
    vatRate: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'percent with at most 2 decimals' })),
    inputVatCents: Type.Optional(Type.Integer({ minimum: 0, maximum: MaxCents })),
    paidHours: Type.Optional(Type.Union([Type.Number({ minimum: 0.01, maximum: 744 }), Type.Null()])),
  },
  { additionalProperties: false },
);

/** `{ resourceId, costs }` (a late or corrected cost) or `{ invoiceId, lines }` (the corrected amount of invoice lines, excl. VAT). */
export const AdjustmentBody = Type.Object(
  {
    resourceId: Type.Optional(Id),
    costs: Type.Optional(Type.Array(AdjustmentCost, { minItems: 1, maxItems: 100 })),
    invoiceId: Type.Optional(Id),
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          { line: Type.Integer({ minimum: 0, maximum: 10_000 }), amountCents: Type.Integer({ minimum: 0, maximum: MaxCents, description: 'the line’s corrected amount, excl. VAT' }) },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 1000 },
      ),
    ),
    reason: Type.Optional(ShortText(500)),
  },
  { additionalProperties: false },
);

export const AdjustmentSchema = Type.Object({
  id: Type.Union([Id, Type.Null()], { description: 'null in a preview' }),
  month: Type.String(),
  kind: Type.Union([Type.Literal('resource'), Type.Literal('invoice')]),
  resourceId: Type.Union([Id, Type.Null()]),
  invoiceId: Type.Union([Id, Type.Null()]),
  label: Type.String({ description: 'the mention the documents carry, e.g. « Régularisation d’octobre 2026 »' }),
  costBeforeCents: Type.Integer(),
  costAfterCents: Type.Integer(),
  deltas: Type.Array(
    Type.Object({
      resourceId: Type.Union([Id, Type.Null()]),
      sellerMemberId: Id,
      buyerMemberId: Id,
      deltaCents: Type.Integer({ description: 'change of the invoiced share, excl. VAT' }),
      invoiceId: Type.Optional(Id),
      line: Type.Optional(Type.Integer()),
    }),
  ),
  createdAt: Type.Union([Type.String(), Type.Null()]),
  documents: Type.Array(InvoiceSchema),
});

const RuleSchema = Type.Object({
  rule: Type.String(),
  weights: Type.Union([Type.Record(Type.String(), Type.Number()), Type.Null()]),
  fixedPercent: Type.Union([Type.Number(), Type.Null()]),
  rateCents: Type.Union([Type.Integer(), Type.Null()]),
  fromMonth: Type.Union([Type.String(), Type.Null()]),
});

export const AllocationSchema = Type.Object({
  month: Type.String(),
  final: Type.Boolean(),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  rows: Type.Array(
    Type.Object({ resourceId: Id, memberId: Id, usageMinutes: Type.Integer(), shareCents: Type.Integer(), basis: BasisSchema }),
  ),
  totals: Type.Object({
    costCents: Type.Integer(),
    allocatedCents: Type.Integer(),
    gapCents: Type.Integer(),
    usageMinutes: Type.Integer(),
    resources: Type.Array(
      Type.Object({
        resourceId: Id,
        bearerMemberId: Id,
        rule: RuleSchema,
        costCents: Type.Integer(),
        allocatedCents: Type.Integer(),
        gapCents: Type.Integer(),
        usageMinutes: Type.Integer(),
        note: Type.Union([NoteSchema, Type.Null()]),
      }),
    ),
    members: Type.Array(Type.Object({ memberId: Id, usageMinutes: Type.Integer(), shareCents: Type.Integer() })),
  }),
});

export const IntegritySchema = Type.Object({
  ok: Type.Boolean(),
  documents: Type.Integer(),
  auditRows: Type.Integer(),
  frozen: Type.Integer({ description: 'documents whose PDF is stored; the others are frozen on first use' }),
  problems: Type.Array(Type.Object({ invoiceId: Type.Union([Id, Type.Null()]), number: Type.String(), code: Type.String(), reason: Type.String() })),
});
