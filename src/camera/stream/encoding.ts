import type { VideoCodec } from '../../media/types.js';
import { cellBox, timeCodeLayout } from './time-code.js';

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

/**
 * The `-vf` chain that burns the time code strip (time-code.ts) into each frame. It runs after `-re`
 * has released the frame, right before the encoder: `setpts` stamps the frame with the wall clock
 * (RTCTIME, once a frame, so every block reads the same instant) in milliseconds, one `drawbox` a
 * white block is shown for that time's bits (`enable` sees the stamp as `t`), then the frames get
 * their steady timestamps back (N / fps) for the encoder. About 42 boxes of 16x16 px: cheap.
 */
export function timeCodeFilter(spec: EncodingSpec): string {
  const layout = timeCodeLayout(spec.width, spec.height);
  const { dataBits, checkBits, checkModulus } = layout.format;
  const value = `mod(round(t*1000),${2 ** dataBits})`;
  const check = `mod(${value},${checkModulus})`;
  const bit = (of: string, weight: number) => `mod(floor(${of}/${weight}),2)`;
  const box = (index: number, color: string, enable?: string) => {
    const { x, y, size } = cellBox(layout, index);
    return `drawbox=x=${x}:y=${y}:w=${size}:h=${size}:color=${color}:t=fill${enable ? `:enable='${enable}'` : ''}`;
  };
  const bitBoxes = [
    ...Array.from({ length: dataBits }, (_, i) => box(2 + i, 'white', bit(value, 2 ** (dataBits - 1 - i)))),
    ...Array.from({ length: checkBits }, (_, i) => box(2 + dataBits + i, 'white', bit(check, 2 ** (checkBits - 1 - i)))),
  ];
  return [
    'settb=1/1000',
    "setpts='floor(RTCTIME/1000)'",
    `drawbox=x=${layout.x}:y=${layout.y}:w=${layout.width}:h=${layout.height}:color=black:t=fill`,
    box(0, 'white'),
    ...bitBoxes,
    `setpts='N/(${spec.fps}*TB)'`,
  ].join(',');
}
