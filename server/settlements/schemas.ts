import { Type } from 'typebox';
import { PAYMENT_METHODS, SETTLEMENT_MODES } from '../../db/schema/enums';
import { Id, LocalDate, ShortText } from '../shared/schemas';

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const InvoiceIds = Type.Array(Id, { description: 'the invoices the transfer settles', maxItems: 10_000 });
export const PlannedTransfer = Type.Object({
  fromMemberId: Id,
  toMemberId: Id,
  amountCents: Type.Integer(),
  basis: Type.Optional(Type.Enum(['bilateral', 'gross', 'multilateral'])),
  offsetCents: Type.Optional(Type.Integer()),
  invoiceIds: Type.Optional(InvoiceIds),
});
export const SettlementSchema = Type.Object({
  month: Type.Optional(Type.String()),
  final: Type.Optional(Type.Boolean()),
  asOf: Type.Optional(Type.String()),
  mode: Type.Optional(Type.Enum(SETTLEMENT_MODES)),
  positions: Type.Array(Type.Object({ memberId: Id, netCents: Type.Integer(), receivableCents: Type.Integer(), payableCents: Type.Integer() })),
  pairs: Type.Optional(Type.Array(Type.Object({ fromMemberId: Id, toMemberId: Id, amountCents: Type.Integer(), owedCents: Type.Integer(), offsetCents: Type.Integer() }))),
  transfers: Type.Array(PlannedTransfer),
});
export const BalancesSchema = Type.Object({
  asOf: Type.String(),
  items: Type.Array(Type.Object({ fromMemberId: Id, toMemberId: Id, openCents: Type.Integer(), invoiceIds: InvoiceIds })),
});
export const TransfersBody = Type.Object(
  {
    paidOn: LocalDate,
    asOf: Type.Optional(LocalDate),
    mode: Type.Optional(Type.Enum(SETTLEMENT_MODES)),
    method: Type.Optional(Type.Enum(PAYMENT_METHODS)),
    reference: Type.Optional(Nullable(ShortText(200))),
    transfers: Type.Array(
      Type.Object({ fromMemberId: Id, toMemberId: Id, amountCents: Type.Integer({ minimum: 0, maximum: 1_000_000_000_00 }), invoiceIds: InvoiceIds }, { additionalProperties: false }),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);
