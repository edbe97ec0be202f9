import type { Clock } from '../../../shared/clock.js';
import type { Timers } from '../../../shared/timers.js';
import type { ProbeResult } from '../../db/camera-store.js';
import { trackConfig } from '../../../media/codec/track-config.js';
import type { AccessUnit, ParameterSets, RtspSource } from '../../../media/types.js';
import type { CameraConnect } from './connect.js';
import { connectFailureKindOf, describeConnectFailure, type ConnectFailureKind } from './connect-failure.js';
import { measureFrames, sampleComplete } from './stream-measure.js';

export interface ProbeDeps {
  connect: CameraConnect;
  clock: Clock;
  timers: Timers;
}

export type ProbeOutcome = { ok: true; result: ProbeResult } | { ok: false; kind: ConnectFailureKind; message: string };

export const PROBE_LIMITS = {
  /** For the RTSP exchange up to PLAY. */
  connectTimeoutMs: 5_000,
  /** For the frames after it: a camera that stops sending must not hold the request forever. */
  sampleTimeoutMs: 5_000,
} as const;

/** Connects to a camera, reads about two seconds of video and says what it is. */
export async function probeCamera(source: RtspSource, deps: ProbeDeps): Promise<ProbeOutcome> {
  let stream;
  try {
    stream = await deps.connect(source, { clock: deps.clock, timeoutMs: PROBE_LIMITS.connectTimeoutMs });
  } catch (error) {
    return failed(connectFailureKindOf(error));
  }
  const frames: AccessUnit[] = [];
  // Closing the stream ends the iteration below: that is how the wait for frames is bounded.
  const cancelDeadline = deps.timers.after(PROBE_LIMITS.sampleTimeoutMs, () => stream.close());
  try {
    for await (const au of stream.frames()) {
      frames.push(au);
      if (sampleComplete(frames)) break;
    }
  } catch (error) {
    if (frames.length === 0) return failed(connectFailureKindOf(error));
  } finally {
    cancelDeadline();
    stream.close();
  }
  if (frames.length === 0) return failed('no_video');
  return { ok: true, result: { codec: stream.codec, ...resolutionOf(stream.parameterSets()), ...measureFrames(frames) } };
}

/** From the sequence parameter set; a camera whose SPS cannot be read still probes, without a size. */
export function resolutionOf(params: ParameterSets | undefined): { width?: number; height?: number } {
  if (!params) return {};
  try {
    const { width, height } = trackConfig(params);
    return { width, height };
  } catch {
    return {};
  }
}

const failed = (kind: ConnectFailureKind): ProbeOutcome => ({ ok: false, kind, message: describeConnectFailure(kind) });
