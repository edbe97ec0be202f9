import type { VideoCodec } from '../recorder/media/types.js';

/** What the simulated cameras stream. */
export interface EncodingSpec {
  codec: VideoCodec;
  width: number;
  height: number;
  fps: number;
  /** Bits per second. */
  bitrate: number;
}

export const DEFAULT_ENCODING: EncodingSpec = { codec: 'h264', width: 1280, height: 720, fps: 25, bitrate: 2_000_000 };

/** Where the burned-in text goes: white on a black box, top left, its size following the picture's. */
export function textPlacement(spec: EncodingSpec): { fontSize: number; x: number; y: number } {
  const fontSize = Math.max(16, Math.round(spec.height / 18));
  return { fontSize, x: fontSize, y: fontSize };
}

/**
 * The lavfi test pattern with a text line burned in. `text` may use drawtext's expansions, such as
 * %{localtime} (the wall clock, for a live camera) or %{pts\:hms} (the clip's own time).
 */
export function testPatternInput(spec: EncodingSpec, text: string): string[] {
  const { fontSize, x, y } = textPlacement(spec);
  const drawtext = [
    `text='${text}'`,
    'font=monospace',
    `fontsize=${fontSize}`,
    'fontcolor=white',
    'box=1',
    'boxcolor=black',
    `boxborderw=${Math.round(fontSize / 4)}`,
    `x=${x}`,
    `y=${y}`,
  ].join(':');
  return ['-f', 'lavfi', '-i', `testsrc2=size=${spec.width}x${spec.height}:rate=${spec.fps},drawtext=${drawtext}`];
}

/**
 * Encoder options for a camera-like stream: constant bitrate around `bitrate`, a keyframe every
 * second (with the parameter sets repeated before each, as cameras do), no B-frames, cheap to encode,
 * written as an Annex B byte stream.
 */
export function cameraEncoderArgs(spec: EncodingSpec): string[] {
  const gop = String(Math.max(1, Math.round(spec.fps)));
  const rate = String(spec.bitrate);
  const common = ['-pix_fmt', 'yuv420p', '-preset', 'ultrafast', '-tune', 'zerolatency', '-b:v', rate, '-maxrate', rate, '-bufsize', rate];
  if (spec.codec === 'h264') {
    return ['-c:v', 'libx264', ...common, '-g', gop, '-keyint_min', gop, '-sc_threshold', '0', '-bf', '0', '-f', 'h264'];
  }
  const x265 = `keyint=${gop}:min-keyint=${gop}:scenecut=0:open-gop=0:bframes=0:repeat-headers=1:log-level=error`;
  return ['-c:v', 'libx265', ...common, '-x265-params', x265, '-f', 'hevc'];
}
