import type { Clock } from '../../../shared/clock.js';
import type { Logger } from '../../../shared/logger.js';
import type { Timers } from '../../../shared/timers.js';
import { OnvifError } from '../../../media/onvif/onvif-client.js';
import type { OnvifEvents, PullPointSubscription } from '../../../media/onvif/onvif-events.js';
import type { MotionEventsStore } from '../../db/motion-events-store.js';
import { backoffDelay, failuresAfter, SUPERVISOR_POLICY, type SupervisorPolicy } from '../cameras/supervisor-policy.js';
import { applyChange, closeAtDisconnect, NO_MOTION, toRecorderTime, type MotionStep, type MotionTrack } from './motion-tracker.js';
import type { MotionStatus } from './motion-status.js';
import { renewDue, SUBSCRIPTION_POLICY, type SubscriptionPolicy } from './subscription-policy.js';

export interface MotionSubscriberDeps {
  events: MotionEventsStore;
  status: MotionStatus;
  clock: Clock;
  timers: Timers;
  /** In [0, 1), for the backoff's jitter. */
  random: () => number;
  logger: Logger;
  policy?: SubscriptionPolicy;
  /** The camera supervisor's reconnection backoff, shared so a camera that is down is not called more often for its events. */
  backoff?: SupervisorPolicy;
}

/**
 * Watches one camera's motion for as long as it runs: subscribes to its ONVIF events (a pull
 * point), pulls, renews the subscription before it lapses, and resubscribes with the camera
 * supervisor's backoff when the camera is lost or refuses. Each motion event goes into the
 * database as it starts and ends; losing the camera ends an open event (motion-tracker.ts decides).
 */
export class MotionSubscriber {
  readonly #deps: MotionSubscriberDeps;
  readonly #policy: SubscriptionPolicy;
  #track: MotionTrack = NO_MOTION;
  #openId: number | null = null;
  readonly #stopping = new AbortController();
  #interruptWait: () => void = () => undefined;
  #loop: Promise<void> | undefined;
  /** The last problem logged: a camera that stays down is logged once, not at every retry. */
  #loggedProblem: string | null = null;

  constructor(
    readonly cameraId: number,
    private readonly onvif: OnvifEvents,
    deps: MotionSubscriberDeps,
  ) {
    this.#deps = deps;
    this.#policy = deps.policy ?? SUBSCRIPTION_POLICY;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Ends the loop, the open event (now) and, as a courtesy, the camera's subscription. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#interruptWait();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { clock, random } = this.#deps;
    const backoff = this.#deps.backoff ?? SUPERVISOR_POLICY;
    let failures = 0;
    while (!this.#stopping.signal.aborted) {
      const { connectedAt, lastHeardAt } = await this.#subscribeOnce();
      this.#deps.status.subscribed(this.cameraId, false);
      this.#take(closeAtDisconnect(this.#track, lastHeardAt ?? clock.now()));
      if (this.#stopping.signal.aborted) break;
      failures = failuresAfter(failures, connectedAt, clock.now(), backoff);
      await this.#wait(backoffDelay(failures, random(), backoff));
    }
  }

  /** One subscription, from subscribing until it fails or the subscriber stops. */
  async #subscribeOnce(): Promise<{ connectedAt: number | null; lastHeardAt: number | null }> {
    const { clock, logger } = this.#deps;
    const policy = this.#policy;
    const signal = this.#stopping.signal;
    const call = { timeoutMs: policy.callTimeoutMs, signal };
    let connectedAt: number | null = null;
    let lastHeardAt: number | null = null;
    let subscription: PullPointSubscription | undefined;
    try {
      subscription = await this.onvif.subscribe(policy.lifetimeS, call);
      connectedAt = lastHeardAt = clock.now();
      let grantedAt = connectedAt;
      this.#deps.status.subscribed(this.cameraId, true);
      if (this.#loggedProblem !== null) logger.info({ event: 'motion_events_resumed', cameraId: this.cameraId }, "the camera's motion events are watched again");
      this.#loggedProblem = null;
      while (!signal.aborted) {
        if (renewDue(grantedAt, clock.now(), policy)) {
          await this.onvif.renew(subscription, policy.lifetimeS, call);
          grantedAt = clock.now();
          logger.debug({ event: 'motion_subscription_renewed', cameraId: this.cameraId }, "the camera's motion event subscription was renewed");
        }
        const pulled = await this.onvif.pull(subscription, policy.pullTimeoutS, policy.pullLimit, signal);
        const localNow = clock.now();
        lastHeardAt = localNow;
        for (const change of pulled.motion) {
          this.#take(applyChange(this.#track, { at: toRecorderTime(change.at, pulled.currentTime, localNow), active: change.active }));
        }
      }
    } catch (error) {
      if (!signal.aborted) this.#logProblem(error);
    }
    // The camera forgets a subscription at its termination time anyway; ending it spares it a slot.
    if (subscription && signal.aborted) await this.onvif.unsubscribe(subscription, { timeoutMs: policy.callTimeoutMs }).catch(() => undefined);
    return { connectedAt, lastHeardAt };
  }

  /** Keeps what the tracker decided: in the database, and in the live status motion-only recording reads. */
  #take(decided: { track: MotionTrack; step: MotionStep | null }): void {
    this.#track = decided.track;
    const { step } = decided;
    if (!step) return;
    const { events, status } = this.#deps;
    if (step.kind === 'start') {
      this.#openId = events.start(this.cameraId, step.at);
      status.started(this.cameraId, step.at);
    } else {
      if (this.#openId !== null) events.end(this.#openId, step.at);
      this.#openId = null;
      status.ended(this.cameraId, step.at);
    }
  }

  #logProblem(error: unknown): void {
    const problem = error instanceof OnvifError ? error.kind : 'failed';
    if (problem === this.#loggedProblem) return;
    this.#loggedProblem = problem;
    // The message only: an OnvifError never holds the login, and nothing else here does.
    this.#deps.logger.warn(
      { event: 'motion_events_lost', cameraId: this.cameraId, problem, reason: (error as Error).message },
      "the camera's motion events cannot be watched; retrying",
    );
  }

  async #wait(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const cancel = this.#deps.timers.after(ms, resolve);
      this.#interruptWait = () => {
        cancel();
        resolve();
      };
    });
  }
}
