import type { Logger } from '../../shared/logger.js';
import { startTimedPasses, type TimedPasses } from '../../shared/timed-passes.js';
import type { Timers } from '../../shared/timers.js';
import { RECOVERY_PASS_MAX_DELAY_MS } from './account-recovery-policy.js';

/**
 * Runs the account-recovery pass now, then again after the delay it answers (the next notice or end
 * of a wait, at most RECOVERY_PASS_MAX_DELAY_MS). On Timers, so tests move a manual clock instead of
 * waiting a week. A failed pass is logged and tried again after the longest sleep.
 */
export function startAccountRecoverySchedule(pass: () => Promise<number>, deps: { timers: Timers; logger: Logger }): TimedPasses {
  return startTimedPasses(
    () =>
      pass().catch((err: unknown) => {
        deps.logger.error({ err }, 'an account-recovery pass failed: notices or completions wait for the next one');
        return RECOVERY_PASS_MAX_DELAY_MS;
      }),
    deps.timers,
  );
}
