import { Type, type TSchema } from 'typebox';

/** Shared primitives for route schemas. Body schemas refuse unknown fields (additionalProperties: false). */
export const Id = Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const IsoInstant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
  maxLength: 40,
  description: 'ISO 8601 date-time with an offset, e.g. 2026-11-27T09:00:00+01:00',
});
export const Month = Type.String({ pattern: '^(20\\d\\d|2100)-(0[1-9]|1[0-2])$', description: 'YYYY-MM, 2000-01 to 2100-12' });
export const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description: 'YYYY-MM-DD' });
export const Cents = Type.Integer({ minimum: -(2 ** 53 - 1), maximum: 2 ** 53 - 1, description: 'integer cents' });
export const PositiveCents = Type.Integer({ minimum: 0, maximum: 1_000_000_000_00, description: 'integer cents' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
export const ShortText = (max = 200) => Type.String({ minLength: 1, maxLength: max });

/**
 * A display name (person, structure, resource, pole): at least one visible character (a name of spaces would be
 * stored empty once trimmed), no control character (NUL, line breaks, which end up in feeds, PDFs and logs) and
 * no bidirectional override or isolate, which can make a name read as another (e.g. "txt.exe" shown reversed).
 */
const NOT_IN_NAMES = '\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F\\u061C';
// No lookahead (the proofs generate matching strings with fast-check): allowed*, one visible, allowed*.
export const NAME_PATTERN = `^[^${NOT_IN_NAMES}]*[^\\s${NOT_IN_NAMES}][^${NOT_IN_NAMES}]*$`;
export const Name = (max = 200) => Type.String({ minLength: 1, maxLength: max, pattern: NAME_PATTERN });

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
});

/** A collection answers `{ items: [...] }`. */
export const Items = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

/** Error statuses a route may answer, for the OpenAPI document and the serializer. */
export const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ErrorResponse])) as Record<number, typeof ErrorResponse>;

export const NoContent = Type.Null();
