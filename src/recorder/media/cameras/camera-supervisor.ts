import type { Clock } from '../../../shared/clock.js';
import type { Logger } from '../../../shared/logger.js';
import type { Timers } from '../../../shared/timers.js';
import type { AccessUnit, ParameterSets, RtspSource, VideoStream } from '../../../media/types.js';
import type { CameraConnect } from './connect.js';
import { connectFailureKindOf } from './connect-failure.js';
import { frameBytes } from './stream-measure.js';
import {
  backoffDelay,
  deriveStatus,
  expiredSamples,
  failuresAfter,
  isFrozen,
  SUPERVISOR_POLICY,
  type CameraProblem,
  type CameraStatus,
  type FrameSample,
  type SupervisorPhase,
  type SupervisorPolicy,
} from './supervisor-policy.js';

/** Expired bitrate samples dropped at once: about a second's worth, instead of one array shift per frame. */
const SAMPLE_TRIM_BATCH = 25;

/**
 * Why frames stopped: the next frame a sink gets does not follow on from the last one. `paused`:
 * motion-only recording stopped writing between motion events (recording/motion-gate.ts).
 */
export type GapReason = 'lost' | 'frozen' | 'stopped' | 'paused';

/** Where a camera's frames go (the segment writer, the live view). Called in order, never concurrently. */
export interface FrameSink {
  onFrame(au: AccessUnit, parameterSets: ParameterSets | undefined): void;
  onGap(reason: GapReason): void;
}

export interface SupervisorDeps {
  connect: CameraConnect;
  clock: Clock;
  timers: Timers;
  /** In [0, 1), for the backoff's jitter. */
  random: () => number;
  /** Each gets every frame and gap, in order; one that throws is logged and the others carry on. */
  sinks: readonly FrameSink[];
  logger: Logger;
  policy?: SupervisorPolicy;
}

/**
 * Keeps one camera's stream open for as long as it runs: connects, hands every frame to the sink,
 * reconnects with backoff when the camera is lost or freezes, and tells its status. The decisions
 * are in supervisor-policy.ts; this is the loop and its waits.
 */
export class CameraSupervisor {
  readonly #deps: SupervisorDeps;
  readonly #policy: SupervisorPolicy;
  #phase: SupervisorPhase = { kind: 'stopped' };
  #lastFrameAt: number | null = null;
  #samples: FrameSample[] = [];
  #problem: CameraProblem | null = null;
  #stopRequested = false;
  /** Ends what the loop is waiting for (a retry wait, a connection attempt, the stream) at once: stop() calls it. */
  #interrupt: () => void = () => undefined;
  #loop: Promise<void> | undefined;

  constructor(
    readonly cameraId: number,
    readonly source: RtspSource,
    deps: SupervisorDeps,
  ) {
    this.#deps = deps;
    this.#policy = deps.policy ?? SUPERVISOR_POLICY;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Ends the loop and closes the stream; resolves once the sink has had its last call. */
  async stop(): Promise<void> {
    this.#stopRequested = true;
    this.#interrupt();
    await this.#loop;
    this.#phase = { kind: 'stopped' };
  }

  status(): CameraStatus {
    const now = this.#deps.clock.now();
    this.#samples.splice(0, expiredSamples(this.#samples, now, this.#policy));
    return deriveStatus({ phase: this.#phase, lastFrameAt: this.#lastFrameAt, samples: this.#samples, problem: this.#problem }, now, this.#policy);
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopRequested) {
      this.#phase = { kind: 'connecting' };
      const connectedAt = await this.#streamOnce();
      if (this.#stopRequested) break;
      failures = failuresAfter(failures, connectedAt, this.#deps.clock.now(), this.#policy);
      await this.#wait(backoffDelay(failures, this.#deps.random(), this.#policy));
    }
  }

  /** One connection, from connecting until it ends; returns when it was made (null if it was not). */
  async #streamOnce(): Promise<number | null> {
    const { clock, connect } = this.#deps;
    const attempt = connect(this.source, { clock, timeoutMs: this.#policy.connectTimeoutMs });
    let stream: VideoStream | undefined;
    try {
      stream = await new Promise<VideoStream | undefined>((resolve, reject) => {
        this.#interrupt = () => resolve(undefined);
        attempt.then(resolve, reject);
      });
    } catch (error) {
      this.#problem = connectFailureKindOf(error);
      return null;
    }
    if (!stream) {
      // Stopped while connecting: a stream that still arrives is closed unused.
      attempt.then((late) => late.close(), () => undefined);
      return null;
    }
    if (this.#stopRequested) {
      stream.close();
      return null;
    }
    const connectedAt = clock.now();
    this.#phase = { kind: 'streaming', since: connectedAt };
    this.#samples = [];
    let frozen = false;
    const cancelWatchdog = this.#watch(connectedAt, () => {
      frozen = true;
      stream.close();
    });
    this.#interrupt = () => stream.close();
    // Why the stream ended, if it broke: a clean end by the camera is "lost".
    let failure: CameraProblem = 'lost';
    // One function for every frame of the connection, not a closure per frame (25 a second a camera).
    let frame: AccessUnit;
    const toSink = (sink: FrameSink) => sink.onFrame(frame, stream.parameterSets());
    try {
      for await (const au of stream.frames()) {
        // Frames again: why an earlier connection ended no longer describes the camera, even if
        // this one goes quiet before it is judged frozen.
        this.#problem = null;
        this.#lastFrameAt = clock.now();
        this.#samples.push({ at: this.#lastFrameAt, bytes: frameBytes(au) });
        // Expired samples are trimmed in batches (status() trims them all before it reads them).
        const expired = expiredSamples(this.#samples, this.#lastFrameAt, this.#policy);
        if (expired >= SAMPLE_TRIM_BATCH) this.#samples.splice(0, expired);
        frame = au;
        this.#deliver(toSink);
      }
    } catch (error) {
      failure = connectFailureKindOf(error);
    } finally {
      cancelWatchdog();
      stream.close();
    }
    const reason: GapReason = this.#stopRequested ? 'stopped' : frozen ? 'frozen' : 'lost';
    if (reason !== 'stopped') this.#problem = reason === 'frozen' ? 'frozen' : failure;
    this.#deliver((sink) => sink.onGap(reason));
    return connectedAt;
  }

  /** Checks every watchdogIntervalMs whether the stream froze; calls `onFrozen` once if it did. */
  #watch(connectedAt: number, onFrozen: () => void): () => void {
    let cancel: () => void;
    const check = () => {
      // A frame from an earlier connection does not count: this one is judged from when it was made.
      const lastActivity = Math.max(this.#lastFrameAt ?? connectedAt, connectedAt);
      if (isFrozen(lastActivity, this.#deps.clock.now(), this.#policy)) onFrozen();
      else cancel = this.#deps.timers.after(this.#policy.watchdogIntervalMs, check);
    };
    cancel = this.#deps.timers.after(this.#policy.watchdogIntervalMs, check);
    return () => cancel();
  }

  async #wait(ms: number): Promise<void> {
    this.#phase = { kind: 'waiting', until: this.#deps.clock.now() + ms };
    await new Promise<void>((resolve) => {
      const cancel = this.#deps.timers.after(ms, resolve);
      this.#interrupt = () => {
        cancel();
        resolve();
      };
    });
  }

  /** A sink that throws must not stop the camera for the other sinks or the next frames. */
  #deliver(call: (sink: FrameSink) => void): void {
    for (const sink of this.#deps.sinks) {
      try {
        call(sink);
      } catch (err) {
        this.#deps.logger.error({ err, cameraId: this.cameraId }, 'a camera frame sink failed');
      }
    }
  }
}
