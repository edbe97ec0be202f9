// How the recorder keeps a camera's pull-point subscription alive. Pure: times are arguments.

export const SUBSCRIPTION_POLICY = {
  /** Each subscription, and each renewal, asks for this long: a recorder that vanishes leaves nothing behind for longer. */
  lifetimeS: 60,
  /** Renewed once less than this is left: more than one PullMessages wait plus its answer, so it never lapses between pulls. */
  renewMarginS: 25,
  /** How long the camera holds each PullMessages open when nothing happens. */
  pullTimeoutS: 10,
  /** Messages per PullMessages. */
  pullLimit: 32,
  /** Setting up, renewing or ending a subscription takes at most this. */
  callTimeoutMs: 5_000,
} as const;

export type SubscriptionPolicy = { readonly [K in keyof typeof SUBSCRIPTION_POLICY]: number };

/** Whether the subscription granted at `grantedAt` (the recorder's clock) is renewed before the next pull. */
export function renewDue(grantedAt: number, now: number, policy: SubscriptionPolicy = SUBSCRIPTION_POLICY): boolean {
  return now - grantedAt >= (policy.lifetimeS - policy.renewMarginS) * 1000;
}
