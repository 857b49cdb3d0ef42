import { createHash } from 'node:crypto';
import type { FeedScope } from '../../db/schema/enums';
import { hashSecret, randomToken } from '../auth/tokens';
import type { AppContext } from '../context';
import { getPole } from '../pole/repository';
import type { Actor } from '../shared/actor';
import { badRequest, conflict, notFound } from '../shared/errors';
import { DAY_MS } from '../shared/time';
import { renderCalendar } from './ical';
import { createFeedRepository, type FeedFilter, type FeedRepository, type FeedRow } from './repository';
import { planFeed } from './rules';

/** Days of bookings a feed shows around today unless the URL asks otherwise. */
export const DEFAULT_PAST_DAYS = 90;
export const DEFAULT_FUTURE_DAYS = 365;
/** Active feeds a user may hold at once: enough for every calendar app, not a way to fill the table. */
export const MAX_FEEDS_PER_USER = 50;

const repos = new WeakMap<AppContext, FeedRepository>();
/** One repository (and its prepared statements) per app context. */
function repoOf(ctx: AppContext): FeedRepository {
  let repo = repos.get(ctx);
  if (!repo) {
    repo = createFeedRepository(ctx.sqlite);
    repos.set(ctx, repo);
  }
  return repo;
}

export interface FeedView {
  id: number;
  scope: FeedScope;
  memberId: number | null;
  resourceId: number | null;
  userId: number;
  createdAt: string;
}

const view = (row: FeedRow): FeedView => ({
  id: row.id,
  scope: row.scope,
  memberId: row.memberId,
  resourceId: row.resourceId,
  userId: row.userId,
  createdAt: new Date(row.createdAt).toISOString(),
});

export function feedUrl(ctx: AppContext, token: string): string {
  return `${ctx.config.publicUrl.replace(/\/+$/, '')}/ical/${token}.ics`;
}

export interface FeedCreate {
  scope: FeedScope;
  memberId?: number;
  resourceId?: number;
}

/**
 * Creates a feed and hands out its secret URL, the only time the token is ever shown. A member's user
 * creates feeds only over its own structure: its own member, a resource (showing only its structure's
 * bookings of it), or its own bookings. Another structure answers 404, as elsewhere, so ids reveal nothing.
 */
export function createFeed(ctx: AppContext, actor: Actor, input: FeedCreate): FeedView & { url: string } {
  const repo = repoOf(ctx);
  let memberId: number | null = null;
  let resourceId: number | null = null;
  if (input.scope === 'member') {
    if (input.memberId === undefined) throw badRequest('feed.member_required', 'A member feed needs a memberId');
    if (input.resourceId !== undefined) throw badRequest('feed.unexpected_target', 'A member feed takes no resourceId');
    const visible = actor.role === 'coordinator' || actor.memberId === input.memberId;
    if (!visible || repo.memberName(input.memberId) === undefined) throw notFound('member', input.memberId);
    memberId = input.memberId;
  } else if (input.scope === 'resource') {
    if (input.resourceId === undefined) throw badRequest('feed.resource_required', 'A resource feed needs a resourceId');
    if (input.memberId !== undefined) throw badRequest('feed.unexpected_target', 'A resource feed takes no memberId');
    const resource = repo.resource(input.resourceId);
    // An inactive resource is invisible to members, as in GET /api/resources/:id.
    if (!resource || (!resource.active && actor.role !== 'coordinator')) throw notFound('resource', input.resourceId);
    resourceId = input.resourceId;
  } else if (input.memberId !== undefined || input.resourceId !== undefined) {
    throw badRequest('feed.unexpected_target', 'A user feed shows the caller’s own bookings and takes no memberId or resourceId');
  }
  if (repo.listActive(actor.userId).length >= MAX_FEEDS_PER_USER) {
    throw conflict('feed.limit', `A user keeps at most ${MAX_FEEDS_PER_USER} active feeds: revoke one first`);
  }
  const token = randomToken(24);
  const row = repo.insert({ userId: actor.userId, scope: input.scope, memberId, resourceId, tokenHash: hashSecret(token), createdAt: ctx.clock.now() });
  return { ...view(row), url: feedUrl(ctx, token) };
}

/** A user's own feeds; coordinators see every active feed. Revoked feeds are not listed. */
export function listFeeds(ctx: AppContext, actor: Actor): FeedView[] {
  return repoOf(ctx)
    .listActive(actor.role === 'coordinator' ? undefined : actor.userId)
    .map(view);
}

/** Revokes a feed: its URL answers 404 from now on. Its owner or a coordinator may; anyone else gets 404. */
export function revokeFeed(ctx: AppContext, actor: Actor, id: number): void {
  const repo = repoOf(ctx);
  const feed = repo.find(id);
  if (!feed || feed.revokedAt !== null || (actor.role !== 'coordinator' && feed.userId !== actor.userId)) throw notFound('feed', id);
  repo.revoke(id, ctx.clock.now());
}

/** Bumped whenever the rendering changes, so that ETags of unchanged plans change with it. */
const FEED_FORMAT = 1;

export interface FeedVersion {
  /** Strong validator of the document: a hash of everything it is rendered from. */
  etag: string;
  lastModifiedMs: number;
  /** The iCalendar text; rendered only when the client does not already hold this version. */
  render(): string;
}

/**
 * The feed behind a token, or 404 for an unknown or revoked token, a disabled owner, or an owner who no
 * longer belongs to the feed's structure. What the feed shows follows the owner's current rights. The ETag
 * is computed from the planned events (cheap), so a polling client holding the current version gets its 304
 * without the calendar being rendered (ical-generator's line folding dominates a render).
 */
export function feedVersion(ctx: AppContext, token: string, window: { pastDays?: number; futureDays?: number } = {}): FeedVersion {
  const repo = repoOf(ctx);
  const feed = /^[a-z2-7]{20,80}$/.test(token) ? repo.findActiveByHash(hashSecret(token)) : undefined;
  if (!feed) throw notFound('feed');
  const owner = repo.owner(feed.userId);
  if (!owner || !owner.active) throw notFound('feed');
  const coordinator = owner.role === 'coordinator';

  let filter: FeedFilter;
  let title: string;
  if (feed.scope === 'member') {
    if (!coordinator && owner.memberId !== feed.memberId) throw notFound('feed');
    filter = { memberId: feed.memberId, resourceId: null, userId: null };
    title = repo.memberName(feed.memberId!) ?? 'Structure';
  } else if (feed.scope === 'resource') {
    const resource = repo.resource(feed.resourceId!);
    // Deactivated since: the feed stops for members, as the resource disappears from their catalogue.
    if (!coordinator && (!resource || !resource.active)) throw notFound('feed');
    filter = { memberId: coordinator ? null : owner.memberId, resourceId: feed.resourceId, userId: null };
    title = resource?.name ?? 'Ressource';
    if (!coordinator) title += ` (${repo.memberName(owner.memberId!) ?? 'ma structure'})`;
  } else {
    filter = { memberId: null, resourceId: null, userId: owner.id };
    title = `Réservations de ${owner.name}`;
  }

  const pole = getPole(ctx.db);
  const now = ctx.clock.now();
  const from = now - (window.pastDays ?? DEFAULT_PAST_DAYS) * DAY_MS;
  const to = now + (window.futureDays ?? DEFAULT_FUTURE_DAYS) * DAY_MS;
  const { rows, rules } = repo.bookings(filter, from, to);
  const events = planFeed(rows, rules, pole.timeZone, uidDomain(ctx));
  const name = `${pole.name} — ${title}`;
  const digest = createHash('sha256').update(JSON.stringify({ format: FEED_FORMAT, name, zone: pole.timeZone, events })).digest('base64url');
  const etag = `"${digest.slice(0, 27)}"`;
  return {
    etag,
    lastModifiedMs: rows.reduce((max, r) => Math.max(max, r.updatedAt), feed.createdAt),
    render: () => rendered(`${feed.id}:${etag}`, () => renderCalendar({ name, zone: pole.timeZone, events })),
  };
}

/** Recently rendered feeds by (feed, version): clients that poll without validators get the same text again. */
const RENDERED_LIMIT = 100;
const renderedCache = new Map<string, string>();
function rendered(key: string, render: () => string): string {
  let text = renderedCache.get(key);
  if (text === undefined) {
    text = render();
    if (renderedCache.size >= RENDERED_LIMIT) renderedCache.delete(renderedCache.keys().next().value!);
  } else renderedCache.delete(key);
  renderedCache.set(key, text);
  return text;
}

/** UIDs must stay the same across polls and be unique worldwide: the booking's id at the pole's host. */
function uidDomain(ctx: AppContext): string {
  try {
    return new URL(ctx.config.publicUrl).hostname || 'mutualise';
  } catch {
    return 'mutualise';
  }
}
