// What a camera's supervisor decides: how long to wait before reconnecting, when a camera that is
// connected but sends nothing counts as frozen, and what status to show. Pure: time and chance are
// arguments.
import type { ConnectFailureKind } from './connect-failure.js';

export const SUPERVISOR_POLICY = {
  /** The first retry waits about this long, each failure doubles it... */
  baseBackoffMs: 1_000,
  /** ...up to this. */
  maxBackoffMs: 30_000,
  /** Each wait is drawn from [(1 − jitter) × d, d]: cameras lost together (a switch reboots) do not all call back at once. */
  jitter: 0.5,
  /** A connection that delivered for this long was fine: the next loss starts again from the base wait. */
  stableAfterMs: 60_000,
  /**
   * No frame for this long while connected: frozen. Checked every watchdogIntervalMs, so noticed
   * within 6.5 s of the last frame: 3.5 s short of the 10 s promised, for a busy machine whose timers
   * fire late. Long enough for the slowest camera we support, 1 frame a second (a long GOP does not
   * matter: frames between keyframes arrive as steadily as keyframes), to miss five frames in a row.
   */
  freezeAfterMs: 6_000,
  watchdogIntervalMs: 500,
  /** Bitrate shown in the status: over the last this-many milliseconds. */
  bitrateWindowMs: 5_000,
  /** Given to the RTSP client for each attempt. */
  connectTimeoutMs: 10_000,
} as const;

export type SupervisorPolicy = typeof SUPERVISOR_POLICY;

/**
 * The wait before reconnect attempt number `failures` (1 after the first failure): base × 2^(failures − 1),
 * capped, then shortened by up to `jitter` of itself; `random` is in [0, 1).
 */
export function backoffDelay(
  failures: number,
  random: number,
  policy: { baseBackoffMs: number; maxBackoffMs: number; jitter: number } = SUPERVISOR_POLICY,
): number {
  const exponent = Math.max(0, failures - 1);
  // 2^exponent past ~30 doublings is far over any cap; keep the arithmetic finite.
  const ceiling = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** Math.min(exponent, 30));
  return Math.round(ceiling * (1 - policy.jitter * random));
}

/**
 * Failures counted after a connection ended: a connection that lasted a stable minute starts the
 * count again, anything shorter (a camera that accepts and drops at once) keeps doubling the wait.
 * `connectedAt` is null when the attempt never connected.
 */
export function failuresAfter(previousFailures: number, connectedAt: number | null, endedAt: number, policy: SupervisorPolicy = SUPERVISOR_POLICY): number {
  if (connectedAt !== null && endedAt - connectedAt >= policy.stableAfterMs) return 1;
  return previousFailures + 1;
}

/**
 * Frozen: connected, and nothing arrived for freezeAfterMs since the last frame (or since the
 * connection was made, if no frame ever came).
 */
export function isFrozen(lastActivityAt: number, now: number, policy: SupervisorPolicy = SUPERVISOR_POLICY): boolean {
  return now - lastActivityAt >= policy.freezeAfterMs;
}

/** One received frame, for the bitrate: when it arrived and how many bytes it had. */
export interface FrameSample {
  at: number;
  bytes: number;
}

/** How many of the oldest samples have left the window (samples are in arrival order). */
export function expiredSamples(samples: readonly FrameSample[], now: number, policy: SupervisorPolicy = SUPERVISOR_POLICY): number {
  let count = 0;
  while (count < samples.length && samples[count]!.at <= now - policy.bitrateWindowMs) count++;
  return count;
}

/**
 * Bits per second over the window, or over the time since the stream started when that is shorter
 * (so a camera that just came online is not shown at a fraction of its rate). Null without frames.
 */
export function bitrateOf(samples: readonly FrameSample[], streamingSince: number, now: number, policy: SupervisorPolicy = SUPERVISOR_POLICY): number | null {
  const recent = samples.slice(expiredSamples(samples, now, policy));
  if (recent.length === 0) return null;
  const windowMs = Math.max(1_000, Math.min(policy.bitrateWindowMs, now - streamingSince));
  const bytes = recent.reduce((sum, s) => sum + s.bytes, 0);
  return Math.round((bytes * 8 * 1000) / windowMs);
}

/** Where a supervisor's loop is. */
export type SupervisorPhase =
  | { kind: 'stopped' }
  | { kind: 'connecting' }
  | { kind: 'streaming'; since: number }
  | { kind: 'waiting'; until: number };

export type CameraState = 'disabled' | 'connecting' | 'online' | 'offline';

/** Why the last connection failed or ended, when it did. */
export type CameraProblem = ConnectFailureKind | 'frozen' | 'lost';

export interface CameraStatus {
  state: CameraState;
  /** When the last frame arrived (ms since the epoch), on this run of the recorder. */
  lastFrameAt: number | null;
  /** Bits per second over the last few seconds, while online. */
  bitrate: number | null;
  problem: CameraProblem | null;
  /** While offline: when the next attempt starts. */
  retryAt: number | null;
}

export interface SupervisorFacts {
  phase: SupervisorPhase;
  lastFrameAt: number | null;
  samples: readonly FrameSample[];
  problem: CameraProblem | null;
}

/**
 * Online means frames are arriving: connected and one came within the freeze window. Connected
 * without frames yet is still connecting; between attempts is offline.
 */
export function deriveStatus(facts: SupervisorFacts, now: number, policy: SupervisorPolicy = SUPERVISOR_POLICY): CameraStatus {
  const base = { lastFrameAt: facts.lastFrameAt, bitrate: null, problem: facts.problem, retryAt: null };
  const { phase } = facts;
  switch (phase.kind) {
    case 'stopped':
      return { ...base, state: 'disabled', problem: null };
    case 'connecting':
      return { ...base, state: 'connecting' };
    case 'waiting':
      return { ...base, state: 'offline', retryAt: phase.until };
    case 'streaming': {
      const receiving = facts.lastFrameAt !== null && facts.lastFrameAt >= phase.since && !isFrozen(facts.lastFrameAt, now, policy);
      if (!receiving) return { ...base, state: 'connecting' };
      return { ...base, state: 'online', problem: null, bitrate: bitrateOf(facts.samples, phase.since, now, policy) };
    }
  }
}
