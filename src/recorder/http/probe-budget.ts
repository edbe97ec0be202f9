import type { FastifyRequest } from 'fastify';
import type { AttemptThrottle } from '../../identity/lockout/attempt-throttle.js';
import { requireAuth } from './access.js';
import { tooManyRequests } from './errors.js';

/**
 * Spends one of the user's probes, or refuses with 429: each probe makes the recorder reach out to
 * the network for that user (connect to an address of their choosing, scan the LAN).
 */
export function spendProbe(throttle: AttemptThrottle, request: FastifyRequest): void {
  const budget = `user:${requireAuth(request).user.id}`;
  const verdict = throttle.check(budget);
  if (!verdict.allowed) throw tooManyRequests(verdict.retryAfterSeconds);
  throttle.record(budget);
}
