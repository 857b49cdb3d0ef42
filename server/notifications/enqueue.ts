import type { Sqlite } from '../../db/index';
import type { Clock } from '../shared/clock';
import { poleZone } from '../pole/repository';
import { instantOfLocal, localFields } from '../shared/zone';
import type { MailKind, Payload } from './kinds';
import { outboxRepository } from './repository';

/** A mail to write to the outbox: to a user (their preferences apply) or to an address (a structure's billing e-mail). */
export type Notice = {
  kind: MailKind;
  /** Unique per message: with the recipient, it makes the Message-ID (the idempotency key). */
  key: string;
  payload: Payload;
  memberId?: number | null;
} & ({ userId: number } | { address: string; cc?: string | null; lang?: 'fr' | 'en' });

export interface EnqueueContext {
  sqlite: Sqlite;
  clock: Clock;
  /** The host named in Message-IDs (the public URL's). */
  mailHost: string;
}

/** Digests go out once a day at this local hour. */
export const DIGEST_HOUR = 7;

export function nextDigestAt(now: number, zone: string): number {
  const f = localFields(now, zone);
  const today = instantOfLocal(zone, f.year, f.month, f.day, DIGEST_HOUR);
  return today > now ? today : instantOfLocal(zone, f.year, f.month, f.day + 1, DIGEST_HOUR);
}

/**
 * Writes notices to the outbox. Synchronous and called inside the transaction of the change that causes them,
 * so they commit or roll back with it. A user who turned the kind off gets nothing; one on a daily digest gets
 * the row held until the next digest hour.
 */
export function enqueue(ctx: EnqueueContext, notices: readonly Notice[]): void {
  if (!notices.length) return;
  const repo = outboxRepository(ctx.sqlite);
  const now = ctx.clock.now();
  let zone: string | undefined;
  for (const n of notices) {
    const common = { kind: n.kind, memberId: n.memberId ?? null, payload: JSON.stringify(n.payload), createdAt: now };
    if ('userId' in n) {
      const r = repo.recipient(n.userId);
      if (!r || r.disabled.includes(n.kind)) continue;
      const digest = r.mode === 'digest';
      repo.insert({
        ...common,
        messageId: `<${n.key}.u${r.userId}@${ctx.mailHost}>`,
        recipientUserId: r.userId,
        toAddress: r.email,
        ccAddress: null,
        lang: r.lang,
        digest,
        nextAttemptAt: digest ? nextDigestAt(now, (zone ??= poleZone(ctx.sqlite))) : now,
      });
    } else {
      repo.insert({
        ...common,
        messageId: `<${n.key}@${ctx.mailHost}>`,
        recipientUserId: null,
        toAddress: n.address,
        ccAddress: n.cc ?? null,
        lang: n.lang ?? 'fr',
        digest: false,
        nextAttemptAt: now,
      });
    }
  }
}

const hosts = new Map<string, string>();
export const mailHostOf = (publicUrl: string): string => {
  let host = hosts.get(publicUrl);
  if (host === undefined) {
    try {
      host = new URL(publicUrl).hostname || 'mutualise.invalid';
    } catch {
      host = 'mutualise.invalid';
    }
    hosts.set(publicUrl, host);
  }
  return host;
};

/** Enqueues with the app's clock and host; nothing when the app runs with notifications off (a benchmark's baseline). */
export function notify(ctx: { sqlite: Sqlite; clock: Clock; config: { publicUrl: string; notifications: boolean } }, notices: readonly Notice[]): void {
  if (!ctx.config.notifications || !notices.length) return;
  enqueue({ sqlite: ctx.sqlite, clock: ctx.clock, mailHost: mailHostOf(ctx.config.publicUrl) }, notices);
}
