import type { Logger } from '../../shared/logger.js';
import type { ParameterSets } from '../../media/types.js';
import { AnnexBFrameReader } from './access-units.js';
import { cameraEncoderArgs, type EncodingSpec, testPatternInput, timeCodeFilter } from './encoding.js';
import { FfmpegProcess } from './ffmpeg-process.js';
import { FrameFanout, type FrameSource, frameTime90k, packetise } from './frame-source.js';
import { findParameterSets } from './nal.js';
import { fitsTimeCode } from './time-code.js';

/**
 * A live test pattern with the wall clock burned in, as text and as a machine-readable time code
 * (time-code.ts, drawn by timeCodeFilter): one ffmpeg encodes it in real time (`-re`) and
 * its frames go out as they come, so the picture shows the time it was captured, like a camera's.
 * Resolves once the first keyframe arrived (its parameter sets make the SDP).
 */
export async function startPatternSource(spec: EncodingSpec, log?: Logger): Promise<FrameSource> {
  const timeCode = fitsTimeCode(spec.width, spec.height) ? ['-vf', timeCodeFilter(spec)] : []; // tiny pictures go without
  const ffmpeg = new FfmpegProcess(['-re', ...testPatternInput(spec, 'Vigil  %{localtime}'), ...timeCode, ...cameraEncoderArgs(spec), '-']);
  const reader = new AnnexBFrameReader(spec.codec);
  const fanout = new FrameFanout();
  let frameIndex = 0;
  let stopping = false;

  const parameterSets = await new Promise<ParameterSets>((resolve, reject) => {
    let known: ParameterSets | undefined;
    ffmpeg.child.stdout.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) {
        if (!known) {
          known = frame.keyframe ? findParameterSets(spec.codec, frame.nalus) : undefined;
          if (!known) continue; // nothing is sent before the first keyframe with its parameter sets
          resolve(known);
        }
        const wallClockMs = Date.now();
        fanout.emit({ ...packetise(spec.codec, frame), pts90k: frameTime90k(frameIndex++, spec.fps), wallClockMs });
      }
    });
    ffmpeg.exited.then(
      (code) => {
        const problem = `the test pattern encoder (ffmpeg) exited with code ${code}: ${ffmpeg.errorOutput || 'no message'}`;
        if (!known) reject(new Error(problem));
        else if (!stopping) log?.error(problem);
      },
      (error: Error) => reject(new Error(`ffmpeg cannot be started (${error.message}): install it (Debian: apt-get install ffmpeg)`)),
    );
  });

  return {
    codec: spec.codec,
    fps: spec.fps,
    parameterSets,
    subscribe: (listener) => fanout.subscribe(listener),
    stop: async () => {
      stopping = true;
      await ffmpeg.stop();
    },
  };
}
