/** The only source of "now" for the domain, so that tests can move time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock for tests: starts at `start` and moves only when told. */
export function manualClock(start: Date | number | string): Clock & { set(t: Date | number | string): void; advance(ms: number): void } {
  let current = new Date(start).getTime();
  return {
    now: () => current,
    set(t) {
      current = new Date(t).getTime();
    },
    advance(ms) {
      current += ms;
    },
  };
}
