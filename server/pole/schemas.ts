import { Type } from 'typebox';
import { Id } from '../shared/schemas';

/** The pole's settings, as `GET /api/pole` answers them. */
export const PoleSchema = Type.Object({
  name: Type.String(),
  carrierMemberId: Type.Union([Id, Type.Null()]),
  groupingMemberId: Type.Union([Id, Type.Null()], { description: 'the pole’s groupement de moyens (CGI 261 B)' }),
  timeZone: Type.String(),
  currency: Type.String(),
  paymentTermsDays: Type.Integer(),
  latePenaltyRateBp: Type.Integer(),
});
