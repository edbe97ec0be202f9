import type { SecurityEvent } from '../audit/security-event.js';
import type { ThrottleDecision } from './attempt-throttle.js';

/**
 * The audit entry for a source address the per-source throttle blocks, given its decision right
 * after a failure was counted: one while the block runs, none when the address may still try.
 */
export function sourceBlockEvent(sourceIp: string, after: ThrottleDecision): SecurityEvent | undefined {
  if (after.allowed) return undefined;
  return { type: 'auth.lockout', outcome: 'info', sourceIp, target: `source:${sourceIp}`, details: { retryAfterSeconds: after.retryAfterSeconds } };
}
