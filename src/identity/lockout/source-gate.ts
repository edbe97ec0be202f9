import type { ThrottleDecision } from './attempt-throttle.js';

/**
 * A part's per-source budget of failed checks, as a core service uses it: asked before anything
 * is hashed or looked up, told of each failure. Sync or async, whatever the part keeps it in.
 */
export interface SourceGate {
  check(sourceIp: string): ThrottleDecision | Promise<ThrottleDecision>;
  countFailure(sourceIp: string): unknown;
}
