import { throttleDecision, type ThrottleDecision, type ThrottlePolicy } from '../identity/lockout/attempt-throttle.js';
import { sourceBlockEvent } from '../identity/lockout/source-block-event.js';
import type { SourceAttemptStore } from '../identity/lockout/source-attempt-store.js';
import type { SourceThrottle } from '../identity/lockout/source-throttle.js';
import type { Clock } from '../shared/clock.js';
import type { CloudAuditLog } from './audit.js';

/**
 * The per-source throttle over the database (the core's SourceAttemptStore port), so every instance
 * sharing it counts the same attempts. The decisions are the core's `throttleDecision`; a failure
 * counted after its check (a wrong second factor, a wrong current password) audits the block it starts.
 */
export function storedSourceThrottle(
  store: SourceAttemptStore,
  policy: ThrottlePolicy,
  clock: Clock,
  audit: Pick<CloudAuditLog, 'append'>,
): SourceThrottle {
  const windowMs = policy.windowSeconds * 1000;
  const check = async (source: string): Promise<ThrottleDecision> => throttleDecision(await store.times(source), clock.now(), policy);
  return {
    check,
    async countFailure(source) {
      const now = clock.now();
      await store.reserve(source, now, now - windowMs - policy.maxBlockSeconds * 1000);
      const blocked = sourceBlockEvent(source, await check(source));
      if (blocked) await audit.append(blocked);
    },
    async reserve(source) {
      const now = clock.now();
      // Counted and read back in one step: of concurrent reservations each sees the ones before it.
      const times = await store.reserve(source, now, now - windowMs - policy.maxBlockSeconds * 1000);
      const before = throttleDecision(times.slice(0, -1), now, policy);
      if (before.allowed) return { allowed: true, at: now };
      // A refused attempt counts nothing: it checked no secret.
      await store.removeOne(source, now);
      return before;
    },
    withdraw: (source, at) => store.removeOne(source, at),
  };
}
