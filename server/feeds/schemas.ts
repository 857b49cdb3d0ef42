import { Type, type Static } from 'typebox';
import { FEED_SCOPES } from '../../db/schema/enums';
import { Id } from '../shared/schemas';

export const FeedSchema = Type.Object({
  id: Id,
  scope: Type.Enum(FEED_SCOPES),
  memberId: Type.Union([Id, Type.Null()]),
  resourceId: Type.Union([Id, Type.Null()]),
  userId: Id,
  createdAt: Type.String({ description: 'ISO 8601 instant' }),
});

/** Only the answer to a creation carries the secret URL: the token is not stored, it cannot be shown again. */
export const CreatedFeedSchema = Type.Object({
  ...FeedSchema.properties,
  url: Type.String({ description: 'Secret subscription URL ending in /ical/<token>.ics' }),
});

export const FeedCreateBody = Type.Object(
  {
    scope: Type.Enum(FEED_SCOPES),
    memberId: Type.Optional(Id),
    resourceId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type FeedCreateBody = Static<typeof FeedCreateBody>;

export const FeedTokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

/** Calendar clients may add their own query parameters: unknown ones are ignored, not refused. */
export const FeedWindowQuery = Type.Object({
  pastDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3660, description: 'days of past bookings (default 90)' })),
  futureDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 1830, description: 'days of future bookings (default 365)' })),
});
