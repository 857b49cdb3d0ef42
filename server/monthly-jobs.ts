import type { AppContext } from './context';
import { autoCarryForward } from './costs/auto-carry';

const EVERY_MS = 10 * 60_000;

/**
 * What the server does by itself as months turn, at start and every ten minutes: carry last month's recurring
 * costs into the new month (once per month, logged in the audit trail). Each job decides from the clock and
 * the database whether it is due, so restarts, several processes or a missed tick change nothing.
 */
export function startMonthlyJobs(ctx: AppContext, log: (line: string, error?: unknown) => void): { stop(): void } {
  const run = () => {
    try {
      const carried = autoCarryForward(ctx);
      if (carried) log(`recurring costs of ${carried.fromMonth} carried into ${carried.month}: ${carried.costIds.length}`);
    } catch (err) {
      log('carrying recurring costs forward failed', err);
    }
  };
  run();
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
