import { inBandParameterSets, sameParameterSets, trackConfig, type TrackConfig } from '../../../media/codec/track-config.js';
import { fragment, initSegment } from '../../../media/mp4/fragmented.js';
import type { FrameSink } from '../cameras/camera-supervisor.js';
import { frameBytes } from '../cameras/stream-measure.js';
import type { AccessUnit, ParameterSets } from '../../../media/types.js';
import { afterDelivery, decideDelivery, DEFAULT_DELIVERY_LIMITS, type DeliveryLimits, type SubscriberState } from './delivery.js';

/** Where a live viewer's bytes go: an HTTP response, in the daemon. */
export interface LiveOutput {
  write(chunk: Buffer): void;
  /** Bytes written and not yet sent: how far behind this viewer is. */
  backlogBytes(): number;
  /** The stream ended (the camera was lost, or the viewer fell too far behind). */
  end(): void;
}

export interface LiveSubscription {
  /** For MediaSource.addSourceBuffer. */
  mimeType: string;
  unsubscribe(): void;
}

/** What the feed keeps of the current GOP for new viewers; past it, they wait for the next keyframe. */
const MAX_GOP_BYTES = 4 * 1024 * 1024;
/** When a stream's first frames give no step yet, a common frame rate. */
const FALLBACK_FRAME_DURATION_90K = 3000;

interface Subscriber {
  output: LiveOutput;
  state: SubscriberState;
  /** The init segment this subscriber was sent last. */
  init: Buffer | undefined;
}

/** A frame of the current GOP; its fragment is built only once somebody watches. */
interface GopFrame {
  au: AccessUnit;
  /** 90 kHz from the feed's origin. */
  decodeTime: number;
  duration: number;
  fragment?: Buffer;
}

interface Track {
  params: ParameterSets;
  config: TrackConfig;
  init: Buffer;
}

/**
 * One camera's live view: while somebody watches, every frame becomes an fMP4 fragment of its own
 * at once (no waiting for the next frame: a frame's duration is the previous step, and the next
 * fragment's decode time is exact), fanned out to every viewer. A new viewer gets the init segment
 * and the current GOP's fragments (bounded), so the picture starts at once instead of at the next
 * keyframe. The GOP is kept as the frames themselves (no copy) and turned into fragments only when
 * a viewer or a snapshot needs them: most of the time nobody watches, and building a fragment per
 * frame for nobody cost more CPU than recording. Parameter changes send a new init segment.
 * Memory per camera: the current GOP (at most MAX_GOP_BYTES) and, per viewer, at most the
 * delivery limit's backlog.
 */
export class LiveFeed implements FrameSink {
  readonly #limits: DeliveryLimits;
  readonly #subscribers = new Set<Subscriber>();
  #track: Track | undefined;
  /** pts of decode time 0, set at the first keyframe after a gap. */
  #originPts: number | undefined;
  #lastPts: number | undefined;
  #lastStep = FALLBACK_FRAME_DURATION_90K;
  #sequence = 0;
  /** The frames from the latest keyframe on, while they fit in MAX_GOP_BYTES (the first is the keyframe). */
  #gop: GopFrame[] = [];
  #gopBytes = 0;
  /** The latest keyframe with its init segment, for snapshots. */
  #keyframe: { init: Buffer; frame: GopFrame } | undefined;

  constructor(limits: DeliveryLimits = DEFAULT_DELIVERY_LIMITS) {
    this.#limits = limits;
  }

  onFrame(au: AccessUnit, parameterSets: ParameterSets | undefined): void {
    if (au.keyframe) {
      const params = inBandParameterSets(au.codec, au.nalus) ?? parameterSets;
      if (params && !(this.#track && sameParameterSets(this.#track.params, params))) {
        const config = trackConfig(params);
        this.#track = { params, config, init: initSegment(config) };
      }
      this.#originPts ??= au.pts90k;
    }
    const track = this.#track;
    if (!track || this.#originPts === undefined) return; // nothing can be decoded before the first keyframe
    if (this.#lastPts !== undefined && au.pts90k > this.#lastPts) this.#lastStep = au.pts90k - this.#lastPts;
    this.#lastPts = au.pts90k;
    const frame: GopFrame = { au, decodeTime: au.pts90k - this.#originPts, duration: this.#lastStep };
    if (au.keyframe) {
      this.#gop = [];
      this.#gopBytes = 0;
      this.#keyframe = { init: track.init, frame };
    }
    if (this.#gop.length > 0 || au.keyframe) {
      this.#gopBytes += frameBytes(au);
      if (this.#gopBytes <= MAX_GOP_BYTES) this.#gop.push(frame);
      else this.#gop = []; // a GOP this big is not kept: new viewers wait for the next keyframe
    }
    if (this.#subscribers.size === 0) return;
    const bytes = this.#fragmentOf(frame);
    for (const subscriber of this.#subscribers) this.#deliver(subscriber, bytes, au.keyframe, track.init);
  }

  /** The camera was lost, froze or stopped: viewers' streams end (a browser reconnects); the next frames start a new timeline. */
  onGap(): void {
    for (const subscriber of this.#subscribers) subscriber.output.end();
    this.#subscribers.clear();
    this.#originPts = undefined;
    this.#lastPts = undefined;
    this.#gop = [];
    this.#gopBytes = 0;
    this.#keyframe = undefined;
  }

  /** undefined while the camera sends no video (the viewer should retry). */
  subscribe(output: LiveOutput): LiveSubscription | undefined {
    const track = this.#track;
    if (!track || !this.#keyframe) return undefined;
    const subscriber: Subscriber = { output, state: { inStep: false, backlogBytes: 0, skippedKeyframes: 0 }, init: track.init };
    output.write(track.init);
    if (this.#gop.length > 0) {
      for (const frame of this.#gop) output.write(this.#fragmentOf(frame));
      subscriber.state = { ...subscriber.state, inStep: true };
    }
    this.#subscribers.add(subscriber);
    return { mimeType: mimeTypeOf(track.config), unsubscribe: () => this.#subscribers.delete(subscriber) };
  }

  /** The init segment and the latest keyframe's fragment: one picture, for a snapshot. */
  latestKeyframe(): { init: Buffer; fragment: Buffer } | undefined {
    return this.#keyframe && { init: this.#keyframe.init, fragment: this.#fragmentOf(this.#keyframe.frame) };
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  #deliver(subscriber: Subscriber, bytes: Buffer, keyframe: boolean, init: Buffer): void {
    const state = { ...subscriber.state, backlogBytes: subscriber.output.backlogBytes() };
    const decision = decideDelivery(state, keyframe, this.#limits);
    subscriber.state = afterDelivery(state, keyframe, decision);
    if (decision === 'drop') {
      this.#subscribers.delete(subscriber);
      subscriber.output.end();
      return;
    }
    if (decision === 'skip') return;
    if (subscriber.init !== init) {
      subscriber.output.write(init);
      subscriber.init = init;
    }
    subscriber.output.write(bytes);
  }

  /** Built once per frame, when first needed. */
  #fragmentOf(frame: GopFrame): Buffer {
    if (frame.fragment) return frame.fragment;
    const { au } = frame;
    frame.fragment = fragment(au.codec, ++this.#sequence, frame.decodeTime, [{ duration: frame.duration, keyframe: au.keyframe, nalus: au.nalus }]);
    return frame.fragment;
  }
}

export const mimeTypeOf = (config: TrackConfig) => `video/mp4; codecs="${config.codecString}"`;
