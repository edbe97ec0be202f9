import type { Clock } from '../../../shared/clock.js';
import type { CameraRecord, CameraStore, ProbeResult } from '../../db/camera-store.js';
import type { AccessUnit, ParameterSets } from '../../../media/types.js';
import type { FrameSink } from './camera-supervisor.js';
import { resolutionOf } from './probe.js';
import { measureFrames, sampleComplete } from './stream-measure.js';

/**
 * Measures a camera from the stream it records, as a probe would, at the start of every
 * connection: a camera added without a probe (the demo camera), or whose probe failed while it was
 * offline, shows its codec, resolution, frame rate and bitrate once it sends video, and a camera
 * whose settings changed shows the new ones after its next reconnection.
 */
export function streamProbeSink(save: (result: ProbeResult) => void): FrameSink {
  let frames: Pick<AccessUnit, 'pts90k' | 'nalus'>[] = [];
  let measured = false;
  return {
    onFrame(au: AccessUnit, parameterSets: ParameterSets | undefined) {
      if (measured) return;
      frames.push(au);
      if (!sampleComplete(frames)) return;
      measured = true;
      save({ codec: au.codec, ...resolutionOf(parameterSets), ...measureFrames(frames) });
      frames = [];
    },
    onGap() {
      frames = [];
      measured = false;
    },
  };
}

/**
 * Keeps what a camera's own stream measured as its probe. Made when its supervisor starts: a
 * result that arrives after the camera's address, login or transport changed is not this camera's.
 */
export function measuredStreamSink(deps: { cameras: Pick<CameraStore, 'get' | 'saveProbe'>; clock: Clock }, cameraId: number): FrameSink {
  const reach = (camera: CameraRecord | undefined) => camera && JSON.stringify([camera.url, camera.username, camera.transport]);
  const started = reach(deps.cameras.get(cameraId));
  return streamProbeSink((result) => {
    if (reach(deps.cameras.get(cameraId)) === started) deps.cameras.saveProbe(cameraId, result, deps.clock.now());
  });
}
