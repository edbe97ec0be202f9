import type { Logger } from '../../shared/logger.js';
import type { Timers } from '../../shared/timers.js';
import { RECOVERY_PASS_MAX_DELAY_MS } from './account-recovery-policy.js';

export interface AccountRecoverySchedule {
  /** Resolves when the pass under way (or the last one) has ended. */
  settled(): Promise<void>;
  /** No more passes; resolves when the one under way has ended. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` now, then again after the delay it answers (the next notice or end of a wait, at most
 * RECOVERY_PASS_MAX_DELAY_MS), each after the one before has ended. On Timers, so tests move a
 * manual clock instead of waiting a week.
 */
export function startAccountRecoverySchedule(pass: () => Promise<number>, deps: { timers: Timers; logger: Logger }): AccountRecoverySchedule {
  let stopped = false;
  let cancelNext: () => void = () => {};
  let running: Promise<void> = Promise.resolve();
  const cycle = () => {
    running = pass()
      .catch((err: unknown) => {
        deps.logger.error({ err }, 'an account-recovery pass failed: notices or completions wait for the next one');
        return RECOVERY_PASS_MAX_DELAY_MS;
      })
      .then((delay) => {
        if (!stopped) cancelNext = deps.timers.after(delay, cycle);
      });
  };
  cycle();
  return {
    settled: () => running,
    async stop() {
      stopped = true;
      cancelNext();
      await running;
    },
  };
}
