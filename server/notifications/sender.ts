import type { AppContext } from '../context';
import { composeDigest, composeMail } from './compose';
import { expandNotices } from './notices';
import { enqueueReminders } from './reminders';
import { outboxRepository, type OutboxRow } from './repository';
import type { MailTransport } from './transport';

/** A claimed row is left alone by other senders this long (a crashed sender's rows are retried after it). */
export const CLAIM_MS = 5 * 60_000;
const MAX_BACKOFF_MS = 3_600_000;
const BATCH = 10;
const REMINDERS_EVERY_MS = 10 * 60_000;
const NOTICES_BATCH = 200;

export interface SenderOptions {
  log?: (line: string, error?: unknown) => void;
}

/**
 * Delivers the outbox: claims due rows, renders and sends each (a recipient's digest rows as one mail), marks
 * them sent; a failure is retried after base × 2^(attempts − 1) (at most an hour) and after `mailMaxAttempts`
 * failures the row is dead (coordinators see it and may send it again). At least once: a crash between the
 * send and the mark sends it again after the claim expires, with the same Message-ID. Time-based reminders
 * (overdue invoices, missing costs) are enqueued by the same loop.
 */
export function createSender(ctx: AppContext, transport: MailTransport, options: SenderOptions = {}) {
  const repo = outboxRepository(ctx.sqlite);
  const { clock, config } = ctx;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<number> | undefined;
  let stopped = false;
  let remindersAt = -Infinity;
  const log = options.log ?? (() => undefined);

  const backoff = (attempts: number) =>
    attempts >= config.mailMaxAttempts ? null : clock.now() + Math.min(config.mailRetryBaseMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);

  /** One mail: a single row, or a recipient's digest rows together. */
  async function deliver(group: OutboxRow[]): Promise<number> {
    const row = group[0]!;
    const ids = group.map((r) => r.id);
    try {
      const mail = row.digest ? composeDigest(ctx, group) : await composeMail(ctx, row);
      await transport.send(mail);
      repo.markSent(ids, clock.now());
      return ids.length;
    } catch (err) {
      log(`mail ${row.messageId} failed`, err);
      repo.markFailed(ids, err instanceof Error ? err.message : String(err), backoff);
      return 0;
    }
  }

  /** One pass: notices addressed, reminders when due, then up to one batch of due mails, one at a time. Returns the mails sent. */
  async function tick(): Promise<number> {
    // Booking changes' notices become outbox rows first (addressed now, outside the bookings' transactions),
    // a batch per transaction so that bookings are not kept waiting behind a long backlog. A failure leaves
    // its batch of notices whole for the next pass and does not hold up the mails already in the outbox.
    try {
      for (let n = NOTICES_BATCH; n === NOTICES_BATCH; ) n = expandNotices(ctx, NOTICES_BATCH);
    } catch (err) {
      log('booking notices: expansion failed, retried at the next pass', err);
    }
    const now = clock.now();
    if (now - remindersAt >= REMINDERS_EVERY_MS) {
      remindersAt = now;
      enqueueReminders(ctx);
    }
    const groups: OutboxRow[][] = [];
    const digests = new Map<number, OutboxRow[]>();
    for (const row of repo.claimDue(now, now + CLAIM_MS, BATCH)) {
      if (row.digest && row.recipientUserId !== null) digests.set(row.recipientUserId, [...(digests.get(row.recipientUserId) ?? []), row]);
      else groups.push([row]);
    }
    for (const [userId, rows] of digests) groups.push([...rows, ...repo.claimDigestGroup(userId, now, now + CLAIM_MS)]);
    let sent = 0;
    for (const group of groups) sent += await deliver(group);
    return sent;
  }

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = tick()
        .catch((err: unknown) => {
          log('outbox pass failed', err);
          return 0;
        })
        .finally(() => schedule(config.mailPollMs));
    }, ms);
  };

  return {
    tick,
    start() {
      log(`mail: sending through ${transport.describe}`);
      schedule(0);
    },
    /** Stops polling and waits for the pass in flight (its current mail finishes and is marked). Its timer keeps the process alive until then. */
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
      transport.close();
    },
  };
}

export type Sender = ReturnType<typeof createSender>;
