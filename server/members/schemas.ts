import { Type, type Static } from 'typebox';
import { LEGAL_FORMS, VAT_REGIMES } from '../../db/schema/enums';
import { Email, Id, LocalDate, Name, ShortText } from '../shared/schemas';

export const MemberSchema = Type.Object({
  id: Id,
  name: Type.String(),
  legalForm: Type.Enum(LEGAL_FORMS),
  siren: Type.String(),
  siret: Type.String(),
  address: Type.String(),
  billingEmail: Type.String(),
  vatRegime: Type.Enum(VAT_REGIMES),
  vatNumber: Type.Union([Type.String(), Type.Null()]),
  weight: Type.Integer(),
  invoicePrefix: Type.String(),
  joinedOn: Type.String(),
  leftOn: Type.Union([Type.String(), Type.Null()]),
});

const fields = {
  name: Name(200),
  legalForm: Type.Enum(LEGAL_FORMS),
  siren: Type.String({ minLength: 9, maxLength: 11, description: '9 digits (spaces allowed)' }),
  siret: Type.String({ minLength: 14, maxLength: 17, description: '14 digits (spaces allowed)' }),
  address: ShortText(500),
  billingEmail: Email,
  vatRegime: Type.Enum(VAT_REGIMES),
  vatNumber: Type.Union([Type.String({ pattern: '^[A-Z]{2}[0-9A-Z]{2,13}$' }), Type.Null()]),
  weight: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  invoicePrefix: Type.String({ pattern: '^[A-Z0-9]{2,12}$' }),
  joinedOn: LocalDate,
  leftOn: Type.Union([LocalDate, Type.Null()]),
};

export const MemberCreate = Type.Object(
  {
    name: fields.name,
    legalForm: fields.legalForm,
    siren: Type.Optional(fields.siren),
    siret: fields.siret,
    address: fields.address,
    billingEmail: fields.billingEmail,
    vatRegime: fields.vatRegime,
    vatNumber: Type.Optional(fields.vatNumber),
    weight: Type.Optional(fields.weight),
    invoicePrefix: Type.Optional(fields.invoicePrefix),
    joinedOn: Type.Optional(fields.joinedOn),
    leftOn: Type.Optional(fields.leftOn),
  },
  { additionalProperties: false },
);
export type MemberCreate = Static<typeof MemberCreate>;

export const MemberPatch = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });
export type MemberPatch = Static<typeof MemberPatch>;

/** What a member_admin may change on its own structure; the rest (identity, VAT, weight) is the coordinators'. */
export const MEMBER_ADMIN_FIELDS: ReadonlySet<keyof MemberPatch> = new Set(['address', 'billingEmail', 'vatNumber']);
