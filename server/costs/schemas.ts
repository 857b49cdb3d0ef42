import { Type, type Static } from 'typebox';
import { COST_NATURES } from '../../db/schema/enums';
import { Id, Month, PositiveCents, ShortText } from '../shared/schemas';

export const CostSchema = Type.Object({
  id: Id,
  resourceId: Id,
  month: Type.String(),
  amountCents: Type.Integer(),
  vatRate: Type.Number({ description: 'percent, e.g. 20 or 5.5: the supplier’s rate' }),
  inputVatCents: Type.Integer({ description: 'VAT paid on this cost; shared with it when the bearer cannot recover it' }),
  paidHours: Type.Union([Type.Number(), Type.Null()], { description: 'staff: the employee’s paid hours this entry covers' }),
  label: Type.String(),
  nature: Type.Enum(COST_NATURES),
  recurring: Type.Boolean(),
  carriedFromId: Type.Union([Id, Type.Null()]),
});
export type CostView = Static<typeof CostSchema>;

const VatRate = Type.Number({ minimum: 0, maximum: 100, description: 'percent with at most 2 decimals, e.g. 20, 10, 5.5, 2.1, 0' });
const InputVat = Type.Integer({ minimum: 0, maximum: 1_000_000_000_00, description: 'integer cents; derived from amount × vatRate when absent' });
const PaidHours = Type.Union([Type.Number({ minimum: 0.01, maximum: 744, description: 'hours with at most 2 decimals, e.g. 151.67' }), Type.Null()]);

export const CostCreate = Type.Object(
  {
    resourceId: Id,
    month: Month,
    amountCents: PositiveCents,
    vatRate: Type.Optional(VatRate),
    inputVatCents: Type.Optional(InputVat),
    paidHours: Type.Optional(PaidHours),
    label: ShortText(200),
    nature: Type.Enum(COST_NATURES),
    recurring: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CostCreate = Static<typeof CostCreate>;

export const CostPatch = Type.Object(
  {
    resourceId: Type.Optional(Id),
    month: Type.Optional(Month),
    amountCents: Type.Optional(PositiveCents),
    vatRate: Type.Optional(VatRate),
    inputVatCents: Type.Optional(InputVat),
    paidHours: Type.Optional(PaidHours),
    label: Type.Optional(ShortText(200)),
    nature: Type.Optional(Type.Enum(COST_NATURES)),
    recurring: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CostPatch = Static<typeof CostPatch>;

export const CostQuery = Type.Object(
  { month: Type.Optional(Month), resourceId: Type.Optional(Id) },
  { additionalProperties: false },
);

export const CarryForwardRunSchema = Type.Object(
  {
    month: Month,
    fromMonth: Month,
    at: Type.String({ description: 'when the server carried them, ISO 8601 in the pole’s zone' }),
    costIds: Type.Array(Type.Integer(), { description: 'the entries created (none when nothing recurring was left to carry)' }),
  },
  { additionalProperties: false },
);

export const CarryForwardBody = Type.Object(
  { fromMonth: Month, toMonth: Type.Optional(Month) },
  { additionalProperties: false },
);
