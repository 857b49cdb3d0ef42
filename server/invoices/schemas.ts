import { Type } from 'typebox';
import { COST_NATURES, INVOICE_KINDS, LEGACY_VAT_REGIMES, LEGAL_FORMS, PAYMENT_METHODS, VAT_STATUSES } from '../../db/schema/enums';
import { INVOICE_STATUSES } from '../payments/rules';
import { Id, LocalDate, Month, ShortText } from '../shared/schemas';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const PartySchema = Type.Object({
  id: Id,
  name: Type.String(),
  legalForm: Type.Enum(LEGAL_FORMS),
  siren: Type.String(),
  siret: Type.String(),
  address: Type.String(),
  vatNumber: Nullable(Type.String()),
  billingEmail: Type.String(),
  // Since #10; documents issued before carry `vatRegime` and none of these.
  vatStatus: Type.Optional(Type.Enum(VAT_STATUSES)),
  vatRegime: Type.Optional(Type.Enum(LEGACY_VAT_REGIMES)),
  eligible261B: Type.Optional(Type.Boolean()),
  eligible261BSince: Type.Optional(Nullable(Type.String())),
  vatOnDebits: Type.Optional(Type.Boolean()),
  postalCode: Type.Optional(Nullable(Type.String())),
  city: Type.Optional(Nullable(Type.String())),
  countryCode: Type.Optional(Type.String()),
  deliveryAddress: Type.Optional(Nullable(Type.String())),
  publicBody: Type.Optional(Type.Boolean()),
  chorusServiceCode: Type.Optional(Nullable(Type.String())),
  chorusEngagement: Type.Optional(Nullable(Type.String())),
  shareCapitalCents: Type.Optional(Nullable(Type.Integer())),
  rcsCity: Type.Optional(Nullable(Type.String())),
  iban: Type.Optional(Nullable(Type.String())),
  bic: Type.Optional(Nullable(Type.String())),
  einvoiceAddress: Type.Optional(Nullable(Type.String())),
  billingMandateSince: Type.Optional(Nullable(Type.String())),
  nettingAgreement: Type.Optional(Type.Boolean()),
  nettingAgreementSince: Type.Optional(Nullable(Type.String())),
});

const VatCategory = Type.Union([Type.Literal('S'), Type.Literal('E'), Type.Literal('O')], { description: 'UNCL5305: S standard, E exempt, O outside the scope of VAT' });

/** Why a member pays what it pays: rule, method, minutes, weights, percent, and the same in words (`text`). */
export const BasisSchema = Type.Object(
  {
    rule: Type.String(),
    method: Type.String(),
    text: Type.Optional(Type.String()),
    fallback: Type.Optional(Type.String()),
    minutes: Type.Optional(Type.Integer()),
    totalMinutes: Type.Optional(Type.Integer()),
    weight: Type.Optional(Type.Integer()),
    totalWeight: Type.Optional(Type.Integer()),
    percent: Type.Optional(Type.Number()),
    fixedPercent: Type.Optional(Type.Number()),
    fixedCents: Type.Optional(Type.Integer()),
    usageCents: Type.Optional(Type.Integer()),
    usageFallback: Type.Optional(Type.String()),
    rateCents: Type.Optional(Type.Integer()),
    byNature: Type.Optional(
      Type.Array(
        Type.Object({ nature: Type.String(), cents: Type.Integer(), hourlyCostCents: Type.Optional(Type.Integer()), feesRatePercent: Type.Optional(Type.Number()) }),
        { description: 'staff lent to an employee’s user member: the cents of each nature its agreement bills, and agreed management fees' },
      ),
    ),
  },
  { additionalProperties: true },
);

export const LineSchema = Type.Object({
  description: Type.String(),
  resourceId: Nullable(Type.Integer()),
  nature: Nullable(Type.Enum(COST_NATURES)),
  quantity: Type.Number(),
  unit: Type.String(),
  unitPriceExclVatCents: Type.Integer(),
  // Lines issued before #10 have no category, code nor text (a zero rate then takes the document's VAT mention).
  vatCategory: Type.Optional(VatCategory),
  vatRate: Type.Number({ description: 'percent, e.g. 20 or 5.5; 0 for E and O' }),
  exemptionCode: Type.Optional(Nullable(Type.String({ description: 'VATEX-EU-132-1F (261 B), VATEX-FR-FRANCHISE (293 B), VATEX-EU-O' }))),
  exemptionText: Type.Optional(Nullable(Type.String())),
  totalExclVatCents: Type.Integer(),
  basis: Nullable(BasisSchema),
  creditedLine: Type.Optional(Type.Integer()),
});

export const MentionsSchema = Type.Object({
  vat: Nullable(Type.String()),
  operation: Type.String(),
  latePenalty: Nullable(Type.String()),
  recoveryIndemnity: Nullable(Type.String()),
  discount: Nullable(Type.String()),
  costSharing: Nullable(Type.String()),
  staffLending: Nullable(Type.String()),
  creditNote: Nullable(Type.String()),
  vatOnDebits: Type.Optional(Nullable(Type.String())),
  deliveryAddress: Type.Optional(Nullable(Type.String())),
  payment: Type.Optional(Nullable(Type.String())),
  billingMandate: Type.Optional(Nullable(Type.String())),
  publicProcurement: Type.Optional(Nullable(Type.String())),
});

export const InvoiceSchema = Type.Object({
  id: Nullable(Id),
  number: Type.String(),
  kind: Type.Enum(INVOICE_KINDS),
  sellerMemberId: Id,
  buyerMemberId: Id,
  month: Type.String(),
  issueDate: Type.String(),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  dueDate: Type.String(),
  currency: Type.String(),
  seller: PartySchema,
  buyer: PartySchema,
  lines: Type.Array(LineSchema),
  vatBreakdown: Type.Array(
    Type.Object({
      vatCategory: Type.Optional(VatCategory),
      vatRate: Type.Number(),
      exemptionCode: Type.Optional(Nullable(Type.String())),
      exemptionText: Type.Optional(Nullable(Type.String())),
      baseCents: Type.Integer(),
      vatCents: Type.Integer(),
    }),
  ),
  totalExclVatCents: Type.Integer(),
  totalVatCents: Type.Integer(),
  totalInclVatCents: Type.Integer(),
  mentions: MentionsSchema,
  paymentTermsDays: Type.Integer(),
  latePenaltyRateBp: Type.Integer(),
  recoveryIndemnityCents: Nullable(Type.Integer()),
  creditedInvoiceId: Nullable(Id),
  creditedInvoiceNumber: Type.Optional(Nullable(Type.String())),
  creditNotes: Type.Optional(Type.Array(Type.Object({ id: Id, number: Type.String(), totalExclVatCents: Type.Integer() }))),
  creditableCents: Type.Optional(Type.Integer()),
  documentSha256: Type.Optional(Nullable(Type.String({ description: 'SHA-256 of the PDF stored at issue, served byte-identical by /api/invoices/:id/pdf (null until frozen)' }))),
  paidOn: Nullable(Type.String({ description: 'the day it became fully paid (its last payment); null while anything is open' })),
  paidCents: Type.Integer({ description: 'payments recorded and not deleted, incl. VAT' }),
  creditedCents: Type.Integer({ description: 'credit notes issued against it, incl. VAT (a credit note: its own total)' }),
  openCents: Type.Integer({ description: 'total incl. VAT − credited − paid; negative when a credit note came after payment (a refund is due)' }),
  status: Type.Enum(INVOICE_STATUSES),
  hash: Type.String(),
  prevHash: Type.String(),
});

export const InvoiceQuery = Type.Object(
  {
    month: Type.Optional(Month),
    memberId: Type.Optional(Id),
    kind: Type.Optional(Type.Enum(INVOICE_KINDS)),
    status: Type.Optional(Type.Enum(INVOICE_STATUSES)),
  },
  { additionalProperties: false },
);

const CreditCents = Type.Integer({ minimum: 1, maximum: 1_000_000_000_00, description: 'integer cents excluding VAT' });

export const CreditNoteBody = Type.Object(
  {
    amountCents: Type.Optional(CreditCents),
    lines: Type.Optional(
      Type.Array(
        Type.Object({ line: Type.Integer({ minimum: 0, maximum: 10_000 }), amountCents: Type.Optional(CreditCents) }, { additionalProperties: false }),
        { maxItems: 1000 },
      ),
    ),
    reason: Type.Optional(ShortText(500)),
  },
  { additionalProperties: false },
);

export const PaymentBody = Type.Object({ paidOn: Nullable(LocalDate) }, { additionalProperties: false });

export const PaymentSchema = Type.Object({
  id: Id,
  invoiceId: Id,
  amountCents: Type.Integer({ description: 'incl. VAT; negative: a refund recorded by a settlement' }),
  paidOn: Type.String(),
  method: Type.Enum(PAYMENT_METHODS),
  reference: Nullable(Type.String()),
  settlementId: Nullable(Id),
  recordedAt: Type.String(),
  deletedAt: Nullable(Type.String({ description: 'deleted payments stay listed (audit trail) and count for nothing' })),
});

export const NewPaymentBody = Type.Object(
  {
    amountCents: Type.Integer({ minimum: 1, maximum: 1_000_000_000_00, description: 'integer cents incl. VAT' }),
    paidOn: LocalDate,
    method: Type.Enum(PAYMENT_METHODS),
    reference: Type.Optional(Nullable(ShortText(200))),
  },
  { additionalProperties: false },
);
