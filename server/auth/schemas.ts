import { Type } from 'typebox';
import { ROLES } from '../../db/schema/enums';
import { Id } from '../shared/schemas';

/** The signed-in user, as `GET /api/me` and a login answer it. */
export const MeSchema = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  role: Type.Enum(ROLES),
  memberId: Type.Union([Id, Type.Null()]),
});
