import { Type, type Static } from 'typebox';
import { LEGACY_VAT_REGIMES, LEGAL_FORMS, VAT_STATUSES } from '../../db/schema/enums';
import { Email, Id, LocalDate, Name, ShortText } from '../shared/schemas';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const MemberSchema = Type.Object({
  id: Id,
  name: Type.String(),
  legalForm: Type.Enum(LEGAL_FORMS),
  siren: Type.String(),
  siret: Type.String(),
  address: Type.String({ description: 'street line(s)' }),
  postalCode: Nullable(Type.String()),
  city: Nullable(Type.String()),
  countryCode: Type.String(),
  deliveryAddress: Nullable(Type.String()),
  billingEmail: Type.String(),
  vatStatus: Type.Enum(VAT_STATUSES),
  eligible261B: Type.Boolean(),
  eligible261BSince: Nullable(Type.String()),
  vatOnDebits: Type.Boolean(),
  vatNumber: Nullable(Type.String()),
  publicBody: Type.Boolean(),
  chorusServiceCode: Nullable(Type.String()),
  chorusEngagement: Nullable(Type.String()),
  shareCapitalCents: Nullable(Type.Integer()),
  rcsCity: Nullable(Type.String()),
  iban: Nullable(Type.String()),
  bic: Nullable(Type.String()),
  einvoiceAddress: Nullable(Type.String({ description: 'the SIREN when null' })),
  billingMandateSince: Nullable(Type.String()),
  nettingAgreement: Type.Boolean(),
  nettingAgreementSince: Nullable(Type.String()),
  weight: Type.Integer(),
  invoicePrefix: Type.String(),
  joinedOn: Type.String(),
  leftOn: Nullable(Type.String()),
});

const Text = (max: number) => Nullable(Type.String({ maxLength: max }));

const fields = {
  name: Name(200),
  legalForm: Type.Enum(LEGAL_FORMS),
  siren: Type.String({ minLength: 9, maxLength: 11, description: '9 digits (spaces allowed)' }),
  siret: Type.String({ minLength: 14, maxLength: 17, description: '14 digits (spaces allowed)' }),
  address: ShortText(500),
  postalCode: Text(10),
  city: Text(120),
  countryCode: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  deliveryAddress: Text(500),
  billingEmail: Email,
  vatStatus: Type.Enum(VAT_STATUSES),
  eligible261B: Type.Boolean(),
  eligible261BSince: Nullable(LocalDate),
  vatOnDebits: Type.Boolean(),
  vatNumber: Nullable(Type.String({ maxLength: 20, description: 'FR + 2-digit key computed from the SIREN + SIREN (spaces allowed)' })),
  publicBody: Type.Boolean(),
  chorusServiceCode: Text(100),
  chorusEngagement: Text(50),
  shareCapitalCents: Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000_000_000_00 })),
  rcsCity: Text(120),
  iban: Text(42),
  bic: Text(14),
  einvoiceAddress: Text(200),
  billingMandateSince: Nullable(LocalDate),
  nettingAgreement: Type.Boolean(),
  nettingAgreementSince: Nullable(LocalDate),
  weight: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  invoicePrefix: Type.String({ pattern: '^[A-Z0-9]{2,12}$' }),
  joinedOn: LocalDate,
  leftOn: Nullable(LocalDate),
  /** Before #10 a member had one regime; still accepted on input and mapped to a status and the 261 B flag. */
  vatRegime: Type.Enum(LEGACY_VAT_REGIMES, { deprecated: true, description: 'deprecated: use vatStatus and eligible261B' }),
};

export const MemberCreate = Type.Object(
  {
    name: fields.name,
    legalForm: fields.legalForm,
    siret: fields.siret,
    address: fields.address,
    billingEmail: fields.billingEmail,
    siren: Type.Optional(fields.siren),
    postalCode: Type.Optional(fields.postalCode),
    city: Type.Optional(fields.city),
    countryCode: Type.Optional(fields.countryCode),
    deliveryAddress: Type.Optional(fields.deliveryAddress),
    vatStatus: Type.Optional(fields.vatStatus),
    eligible261B: Type.Optional(fields.eligible261B),
    eligible261BSince: Type.Optional(fields.eligible261BSince),
    vatOnDebits: Type.Optional(fields.vatOnDebits),
    vatNumber: Type.Optional(fields.vatNumber),
    publicBody: Type.Optional(fields.publicBody),
    chorusServiceCode: Type.Optional(fields.chorusServiceCode),
    chorusEngagement: Type.Optional(fields.chorusEngagement),
    shareCapitalCents: Type.Optional(fields.shareCapitalCents),
    rcsCity: Type.Optional(fields.rcsCity),
    iban: Type.Optional(fields.iban),
    bic: Type.Optional(fields.bic),
    einvoiceAddress: Type.Optional(fields.einvoiceAddress),
    billingMandateSince: Type.Optional(fields.billingMandateSince),
    nettingAgreement: Type.Optional(fields.nettingAgreement),
    nettingAgreementSince: Type.Optional(fields.nettingAgreementSince),
    weight: Type.Optional(fields.weight),
    invoicePrefix: Type.Optional(fields.invoicePrefix),
    joinedOn: Type.Optional(fields.joinedOn),
    leftOn: Type.Optional(fields.leftOn),
    vatRegime: Type.Optional(fields.vatRegime),
  },
  { additionalProperties: false },
);
export type MemberCreate = Static<typeof MemberCreate>;

export const MemberPatch = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });
export type MemberPatch = Static<typeof MemberPatch>;

/** What a member_admin may change on its own structure; identity, VAT status, mandate and weight are the coordinators'. */
export const MEMBER_ADMIN_FIELDS: ReadonlySet<keyof MemberPatch> = new Set([
  'address',
  'postalCode',
  'city',
  'countryCode',
  'deliveryAddress',
  'billingEmail',
  'vatNumber',
  'iban',
  'bic',
  'einvoiceAddress',
]);
