/**
 * A sliding-window counter, pure apart from the time it is given: `hit` records an event for `key` at
 * `now` and says whether the key is still within `limit` events per `windowMs`.
 */
export function createWindowCounter(limit: number, windowMs: number) {
  const events = new Map<string, number[]>();

  function recent(key: string, now: number): number[] {
    const kept = (events.get(key) ?? []).filter((t) => now - t < windowMs);
    if (kept.length === 0) events.delete(key);
    else events.set(key, kept);
    return kept;
  }

  return {
    /** Seconds until the key may try again, or 0 when it is not limited. */
    retryAfterSeconds(key: string, now: number): number {
      const kept = recent(key, now);
      if (kept.length < limit) return 0;
      return Math.max(1, Math.ceil((kept[0]! + windowMs - now) / 1000));
    },
    hit(key: string, now: number): void {
      // Many distinct keys (a spray of e-mails or addresses) must not grow the map without bound.
      if (events.size > 10_000) for (const k of [...events.keys()]) recent(k, now);
      const kept = recent(key, now);
      kept.push(now);
      events.set(key, kept);
    },
    /** Takes back the latest event of `key` (an attempt reserved before checking turned out to be allowed). */
    release(key: string): void {
      const kept = events.get(key);
      kept?.pop();
      if (kept && kept.length === 0) events.delete(key);
    },
    reset(key: string): void {
      events.delete(key);
    },
  };
}
