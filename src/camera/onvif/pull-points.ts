import { randomBytes } from 'node:crypto';

/** One change of the motion alarm, as every subscription receives it. */
export interface MotionMessage {
  at: number;
  active: boolean;
  /** `Initialized`: the state when the subscription began; `Changed`: a change since. */
  operation: 'Initialized' | 'Changed';
}

interface Subscription {
  owner: number;
  terminatesAt: number;
  queue: MotionMessage[];
  /** A PullMessages waiting for the next message. */
  waiter?: { wake(): void };
}

/** How many subscriptions at once, and how many undelivered messages each keeps (the oldest go first). */
export const MAX_PULL_POINTS = 8;
const MAX_QUEUED = 100;

export class TooManyPullPoints extends Error {}

/**
 * The pull-point subscriptions of ONVIF events (WS-BaseNotification, as ONVIF Core 9.1 uses it):
 * each belongs to the account that made it, ends at its termination time (on the camera's clock)
 * unless renewed, and queues the motion alarm's changes until they are pulled.
 */
export class PullPoints {
  readonly #subscriptions = new Map<string, Subscription>();

  /** A new subscription, starting with the alarm's current state; its id goes in its address. */
  create(owner: number, now: number, lifetimeMs: number, state: boolean): string {
    this.#prune(now);
    if (this.#subscriptions.size >= MAX_PULL_POINTS) throw new TooManyPullPoints();
    const id = randomBytes(16).toString('hex');
    this.#subscriptions.set(id, { owner, terminatesAt: now + lifetimeMs, queue: [{ at: now, active: state, operation: 'Initialized' }] });
    return id;
  }

  /** The subscription `id` of `owner` while it lasts, or undefined (no such one, another's, or ended). */
  find(id: string, owner: number, now: number): { terminatesAt: number } | undefined {
    this.#prune(now);
    const subscription = this.#subscriptions.get(id);
    return subscription?.owner === owner ? subscription : undefined;
  }

  renew(id: string, owner: number, now: number, lifetimeMs: number): number | undefined {
    const subscription = this.find(id, owner, now) as Subscription | undefined;
    if (!subscription) return undefined;
    subscription.terminatesAt = now + lifetimeMs;
    return subscription.terminatesAt;
  }

  unsubscribe(id: string, owner: number, now: number): boolean {
    if (!this.find(id, owner, now)) return false;
    this.#end(id);
    return true;
  }

  publish(message: MotionMessage): void {
    for (const subscription of this.#subscriptions.values()) {
      subscription.queue.push(message);
      if (subscription.queue.length > MAX_QUEUED) subscription.queue.shift();
      subscription.waiter?.wake();
    }
  }

  /**
   * Up to `limit` queued messages; when there are none, waits up to `timeoutMs` (real time, as
   * PullMessages' Timeout is) for the next. Undefined if the subscription is not the owner's.
   */
  async pull(id: string, owner: number, now: number, limit: number, timeoutMs: number): Promise<MotionMessage[] | undefined> {
    const subscription = this.find(id, owner, now) as Subscription | undefined;
    if (!subscription) return undefined;
    if (subscription.queue.length === 0 && timeoutMs > 0) {
      subscription.waiter?.wake(); // one waiter at a time: an earlier pull answers empty
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => subscription.waiter?.wake(), timeoutMs);
        subscription.waiter = {
          wake: () => {
            clearTimeout(timer);
            subscription.waiter = undefined;
            resolve();
          },
        };
      });
    }
    return subscription.queue.splice(0, Math.max(1, limit));
  }

  /** Ends every subscription, answering waiting pulls: the camera stops. */
  close(): void {
    for (const id of [...this.#subscriptions.keys()]) this.#end(id);
  }

  #end(id: string): void {
    const subscription = this.#subscriptions.get(id);
    this.#subscriptions.delete(id);
    subscription?.waiter?.wake();
  }

  #prune(now: number): void {
    for (const [id, subscription] of this.#subscriptions) if (subscription.terminatesAt <= now) this.#end(id);
  }
}
