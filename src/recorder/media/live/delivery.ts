/**
 * Whether a live subscriber gets the next fragment. Pure: the subscriber's state and the
 * fragment in, a decision out. A subscriber whose connection does not keep up is never buffered
 * without bound: past `maxBacklogBytes` it misses fragments until the next keyframe (a decoder can
 * only resume there), and one that stays behind for `maxSkippedKeyframes` keyframes in a row is
 * dropped.
 */
export interface DeliveryLimits {
  /** Bytes written to the subscriber's connection and not yet sent. */
  maxBacklogBytes: number;
  maxSkippedKeyframes: number;
}

export const DEFAULT_DELIVERY_LIMITS: DeliveryLimits = { maxBacklogBytes: 2 * 1024 * 1024, maxSkippedKeyframes: 3 };

export interface SubscriberState {
  /** False until the subscriber has had a keyframe, and again after it missed a fragment. */
  inStep: boolean;
  backlogBytes: number;
  /** Keyframes missed in a row because the backlog was too long. */
  skippedKeyframes: number;
}

export type Delivery = 'send' | 'skip' | 'drop';

export function decideDelivery(state: SubscriberState, keyframe: boolean, limits: DeliveryLimits): Delivery {
  const behind = state.backlogBytes > limits.maxBacklogBytes;
  if (keyframe) {
    if (!behind) return 'send';
    return state.skippedKeyframes + 1 >= limits.maxSkippedKeyframes ? 'drop' : 'skip';
  }
  return state.inStep && !behind ? 'send' : 'skip';
}

/** The subscriber's state after `decision` about a fragment. */
export function afterDelivery(state: SubscriberState, keyframe: boolean, decision: Delivery): SubscriberState {
  if (decision === 'send') return { ...state, inStep: true, skippedKeyframes: 0 };
  return { ...state, inStep: false, skippedKeyframes: state.skippedKeyframes + (keyframe ? 1 : 0) };
}
