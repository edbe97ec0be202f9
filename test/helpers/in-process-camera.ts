import type { Clock } from '../../src/shared/clock.js';
import type { CameraConnect } from '../../src/recorder/media/cameras/connect.js';
import type { ConnectFailureKind } from '../../src/recorder/media/cameras/connect-failure.js';

/** A refusal with a kind, as the RTSP client's RtspError carries (plus the recorder's own `no_video`). */
class CameraConnectError extends Error {
  constructor(
    readonly kind: ConnectFailureKind,
    message: string,
  ) {
    super(message);
  }
}
import type { AccessUnit, ParameterSets, RtspSource, VideoCodec, VideoStream } from '../../src/media/types.js';

/** A frame of `bytes` bytes at `pts90k`. */
export function frame(pts90k: number, bytes: number, receivedAt: number, keyframe = false, codec: VideoCodec = 'h264'): AccessUnit {
  return { codec, nalus: [Buffer.alloc(bytes, 0x41)], pts90k, keyframe, receivedAt };
}

const PARAMETER_SETS: ParameterSets = { codec: 'h264', sps: Buffer.from([0x67, 0x42, 0x00, 0x1f]), pps: Buffer.from([0x68, 0xce, 0x3c, 0x80]) };

/**
 * A camera's stream as a real object the test drives: frames pushed here come out of frames() in
 * order; end() is the camera closing the connection, fail() the connection breaking.
 */
export class InProcessStream implements VideoStream {
  readonly #queue: AccessUnit[] = [];
  #waiting: { resolve: (r: IteratorResult<AccessUnit>) => void; reject: (e: unknown) => void } | undefined;
  #ended = false;
  #error: unknown;
  closed = false;

  constructor(
    readonly codec: VideoCodec,
    readonly source: RtspSource,
  ) {}

  parameterSets(): ParameterSets | undefined {
    return { ...PARAMETER_SETS, codec: this.codec };
  }

  push(au: AccessUnit): void {
    if (this.#ended) return;
    if (this.#waiting) {
      const { resolve } = this.#waiting;
      this.#waiting = undefined;
      resolve({ value: au, done: false });
    } else this.#queue.push(au);
  }

  end(): void {
    this.#finish(undefined);
  }

  fail(error: unknown): void {
    this.#finish(error);
  }

  close(): void {
    this.closed = true;
    this.end();
  }

  #finish(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (!waiting) return;
    if (error === undefined) waiting.resolve({ value: undefined, done: true });
    else waiting.reject(error);
  }

  frames(): AsyncIterable<AccessUnit> {
    return {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          const next = this.#queue.shift();
          if (next) return Promise.resolve({ value: next, done: false });
          if (this.#ended) return this.#error === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(this.#error);
          return new Promise<IteratorResult<AccessUnit>>((resolve, reject) => (this.#waiting = { resolve, reject }));
        },
        return: () => {
          this.close();
          return Promise.resolve({ value: undefined, done: true });
        },
      }),
    };
  }
}

export interface CameraBehaviour {
  codec?: VideoCodec;
  /** When set, other credentials are refused as `unauthorized`. */
  login?: { username: string; password: string };
  /** Frames the stream holds as soon as it opens: `count` frames at `fps`, `bytes` each. */
  burst?: { count: number; fps: number; bytes: number };
}

/**
 * In-process cameras by host name, for the recorder's `cameraConnect`: a host it does not know is
 * unreachable; refuseNext makes the next attempts fail with a given kind.
 */
export class InProcessCameras {
  readonly streams: InProcessStream[] = [];
  readonly attempts: RtspSource[] = [];
  readonly #refusals: ConnectFailureKind[] = [];
  readonly #waiters: ((stream: InProcessStream) => void)[] = [];
  readonly #countWaiters: { count: number; resolve: () => void }[] = [];

  constructor(
    readonly clock: Clock,
    readonly hosts: Record<string, CameraBehaviour> = {},
    /** For hosts not in `hosts` (e.g. the recorder's real adapter); by default they are unreachable. */
    readonly otherwise?: CameraConnect,
  ) {}

  refuseNext(...kinds: ConnectFailureKind[]): void {
    this.#refusals.push(...kinds);
  }

  /** The next stream opened (or the latest one, if it opened since the last call). */
  nextStream(): Promise<InProcessStream> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Resolves once `count` streams in all have been opened. */
  opened(count: number): Promise<void> {
    if (this.streams.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#countWaiters.push({ count, resolve }));
  }

  readonly connect: CameraConnect = async (source, options) => {
    this.attempts.push(source);
    const refusal = this.#refusals.shift();
    if (refusal) throw new CameraConnectError(refusal, `refused: ${refusal}`);
    const behaviour = this.hosts[new URL(source.url).hostname];
    if (!behaviour && this.otherwise) return this.otherwise(source, options);
    if (!behaviour) throw new CameraConnectError('unreachable', 'no such host');
    if (behaviour.login && (behaviour.login.username !== source.username || behaviour.login.password !== source.password)) {
      throw new CameraConnectError('unauthorized', '401');
    }
    const stream = new InProcessStream(behaviour.codec ?? 'h264', source);
    if (behaviour.burst) {
      const { count, fps, bytes } = behaviour.burst;
      for (let i = 0; i < count; i++) stream.push(frame(Math.round((i * 90_000) / fps), bytes, this.clock.now(), i === 0, stream.codec));
    }
    this.streams.push(stream);
    this.#waiters.shift()?.(stream);
    for (const waiter of this.#countWaiters.filter((w) => this.streams.length >= w.count)) {
      this.#countWaiters.splice(this.#countWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    return stream;
  };
}
