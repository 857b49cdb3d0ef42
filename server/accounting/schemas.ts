import { Type, type TSchema } from 'typebox';
import { COST_NATURES, RESOURCE_KINDS } from '../../db/schema/enums';
import { Id, LocalDate } from '../shared/schemas';

const Account = Type.String({ pattern: '^[0-9]{3,12}$', description: 'account number (PCG), e.g. 6214' });
const AuxPrefix = Type.String({ pattern: '^[A-Z0-9]{0,4}$' });
const JournalSchema = Type.Object({ code: Type.String({ pattern: '^[A-Z0-9]{1,6}$' }), label: Type.String({ minLength: 1, maxLength: 60 }) }, { additionalProperties: false });

const byNature = (account: TSchema) => Type.Object(Object.fromEntries(COST_NATURES.map((n) => [n, account])), { additionalProperties: false });
const byKind = (account: TSchema) => Type.Object(Object.fromEntries(RESOURCE_KINDS.map((k) => [k, account])), { additionalProperties: false });

const side = Type.Object({ byNature: byNature(Type.Union([Type.String(), Type.Null()])), byKind: byKind(Type.String()), fallback: Type.String() });
const Journal = Type.Object({ code: Type.String(), label: Type.String() });

export const MappingSchema = Type.Object({
  chart: Type.Union([Type.Literal('pcg'), Type.Literal('associations')]),
  sales: side,
  expenses: side,
  customers: Type.String(),
  suppliers: Type.String(),
  bank: Type.String(),
  vatCollected: Type.String(),
  vatDeductible: Type.String(),
  recoverVat: Type.Union([Type.Literal('auto'), Type.Literal('yes'), Type.Literal('no')]),
  customerAuxPrefix: Type.String(),
  supplierAuxPrefix: Type.String(),
  journals: Type.Object({ sales: Journal, purchases: Journal, bank: Journal, misc: Type.Optional(Journal) }),
});

const sideOverride = Type.Object(
  {
    byNature: Type.Optional(Type.Partial(byNature(Type.Union([Account, Type.Null()])), { additionalProperties: false })),
    byKind: Type.Optional(Type.Partial(byKind(Account), { additionalProperties: false })),
    fallback: Type.Optional(Account),
  },
  { additionalProperties: false },
);

/** What a member stores: any part of the mapping; `{}` restores the defaults. */
export const MappingOverridesBody = Type.Object(
  {
    chart: Type.Optional(Type.Union([Type.Literal('pcg'), Type.Literal('associations')])),
    sales: Type.Optional(sideOverride),
    expenses: Type.Optional(sideOverride),
    customers: Type.Optional(Account),
    suppliers: Type.Optional(Account),
    bank: Type.Optional(Account),
    vatCollected: Type.Optional(Account),
    vatDeductible: Type.Optional(Account),
    recoverVat: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('yes'), Type.Literal('no')])),
    customerAuxPrefix: Type.Optional(AuxPrefix),
    supplierAuxPrefix: Type.Optional(AuxPrefix),
    journals: Type.Optional(
      Type.Object(
        { sales: Type.Optional(JournalSchema), purchases: Type.Optional(JournalSchema), bank: Type.Optional(JournalSchema), misc: Type.Optional(JournalSchema) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const MappingViewSchema = Type.Object({
  memberId: Id,
  chart: Type.String(),
  mapping: MappingSchema,
  defaults: MappingSchema,
  overrides: Type.Unknown(),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
});

export const FecQuery = Type.Object(
  {
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
    exportId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1, description: 'a recorded export, downloaded again as it was' })),
  },
  { additionalProperties: false },
);

export const ExportSchema = Type.Object({
  id: Id,
  memberId: Id,
  from: Type.String(),
  to: Type.String(),
  mapping: MappingSchema,
  filename: Type.String(),
  sha256: Type.String(),
  entryCount: Type.Integer(),
  createdAt: Type.String(),
  createdByUserId: Type.Union([Id, Type.Null()]),
});
