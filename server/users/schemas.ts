import { Type, type Static } from 'typebox';
import { ROLES } from '../../db/schema/enums';
import { Email, Id, Name } from '../shared/schemas';
import { MIN_PASSWORD_LENGTH } from '../auth/passwords';

const Role = Type.Enum(ROLES);
export const Password = Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 256 });

/** Never carries the password hash: the serializer drops anything not listed here. */
export const UserSchema = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  role: Role,
  memberId: Type.Union([Id, Type.Null()]),
  active: Type.Boolean(),
});

export const UserCreate = Type.Object(
  {
    email: Email,
    name: Name(200),
    role: Role,
    memberId: Type.Optional(Type.Union([Id, Type.Null()])),
    password: Password,
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;

export const UserPatch = Type.Object(
  {
    email: Type.Optional(Email),
    name: Type.Optional(Name(200)),
    role: Type.Optional(Role),
    active: Type.Optional(Type.Boolean()),
    password: Type.Optional(Password),
    /** Required to change one's own password: a stolen session alone cannot take the account over. */
    currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UserPatch = Static<typeof UserPatch>;

export const UserListQuery = Type.Object({ memberId: Type.Optional(Id) }, { additionalProperties: false });
