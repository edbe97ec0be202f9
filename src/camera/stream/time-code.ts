// The machine-readable time code the live test pattern burns in: when each frame was captured, as a
// strip of big black and white blocks that survive H.264/H.265 at camera bitrates, so a viewer
// (the browser, a plain ffmpeg client) can measure camera-to-screen latency from the picture alone.
//
// One row of square blocks inside a black margin one block wide:
//   [white][black][32 bits of capture time, MSB first][8 check bits, MSB first]
// The two reference blocks give the reader its threshold (whatever the decoder did to levels);
// the value is the capture time in epoch milliseconds modulo 2^32 (it wraps every 49.7 days: the
// reader takes the full time nearest to its own clock); the check is that value modulo 251, a prime,
// so any single flipped bit (and all but about 1 in 251 multi-bit misreads) is caught.
//
// Pure and free of Node APIs: `readTimeCode` runs in the browser too (serialised into the page), so it
// refers to nothing outside its own body and its arguments.

/** The bit format, passed to the reader with the geometry so that it needs nothing else. */
export interface TimeCodeFormat {
  dataBits: number;
  checkBits: number;
  checkModulus: number;
}

export const TIME_CODE_FORMAT: TimeCodeFormat = { dataBits: 32, checkBits: 8, checkModulus: 251 };

/** Where the strip is in the picture, and its format: what a reader needs to find and read it. */
export interface TimeCodeLayout {
  format: TimeCodeFormat;
  /** Side of one square block, in pixels. */
  block: number;
  /** The strip's box in the picture, margin included: readers crop this and read within it. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The white and the black reference block before the bits. */
const REFERENCE_BLOCKS = 2;

/** Blocks in the row: references, then bits. */
export function cellCount(format: TimeCodeFormat): number {
  return REFERENCE_BLOCKS + format.dataBits + format.checkBits;
}

/** Blocks smaller than this do not survive compression reliably: smaller pictures get no strip. */
const MIN_BLOCK = 4;

/**
 * The block size for a picture of this size: about 1/45 of the height (16 px at 720p: one H.264
 * macroblock each, on the macroblock grid), not under 8 px unless the strip would not fit otherwise.
 */
function blockSize(width: number, height: number, format: TimeCodeFormat): number {
  const preferred = Math.max(8, Math.round(height / 45));
  return Math.min(preferred, Math.floor(width / (cellCount(format) + 3)), Math.floor(height / 4));
}

/** Whether a picture this size can carry the strip (from about 180x16 px up). */
export function fitsTimeCode(width: number, height: number, format: TimeCodeFormat = TIME_CODE_FORMAT): boolean {
  return blockSize(width, height, format) >= MIN_BLOCK;
}

/** The strip for a picture of this size: bottom left, one block from the edges. */
export function timeCodeLayout(width: number, height: number, format: TimeCodeFormat = TIME_CODE_FORMAT): TimeCodeLayout {
  const block = blockSize(width, height, format);
  if (block < MIN_BLOCK) throw new Error(`a ${width}x${height} picture is too small for the time code strip`);
  const boxHeight = 3 * block;
  return { format, block, x: block, y: height - boxHeight - block, width: (cellCount(format) + 2) * block, height: boxHeight };
}

/** Where cell `index` (0 = white reference) is, in the picture. */
export function cellBox(layout: TimeCodeLayout, index: number): { x: number; y: number; size: number } {
  return { x: layout.x + (index + 1) * layout.block, y: layout.y + layout.block, size: layout.block };
}

/** The value a capture time is written as: epoch milliseconds modulo 2^dataBits. */
export function timeCodeValue(captureMs: number, format: TimeCodeFormat = TIME_CODE_FORMAT): number {
  const range = 2 ** format.dataBits;
  return ((Math.round(captureMs) % range) + range) % range;
}

/** Every cell of the strip for one capture time: true is white. */
export function timeCodeCells(captureMs: number, format: TimeCodeFormat = TIME_CODE_FORMAT): boolean[] {
  const value = timeCodeValue(captureMs, format);
  const check = value % format.checkModulus;
  const bits = (n: number, count: number) => Array.from({ length: count }, (_, i) => Math.floor(n / 2 ** (count - 1 - i)) % 2 === 1);
  return [true, false, ...bits(value, format.dataBits), ...bits(check, format.checkBits)];
}

export type TimeCodeReading =
  | { ok: true; captureMs: number }
  /** `no-strip`: the references are not white and black; `unclear`: a block is neither; `check`: the check bits disagree. */
  | { ok: false; reason: 'no-strip' | 'unclear' | 'check' };

/** A cropped picture: the strip's box (`layout.x`, `layout.y`, `layout.width` x `layout.height`), row by row. */
export interface StripPixels {
  /** Grey (1 channel) or RGBA (4; the first three are averaged), as ffmpeg's gray or a canvas's ImageData gives them. */
  data: ArrayLike<number>;
  channels: number;
}

/**
 * Reads the strip from its cropped pixels: the capture time in epoch ms (the one nearest `nowMs` with
 * the value read), or why not. Each block is judged by the mean of its middle half, against the
 * midpoint of the two references; a block within the middle fifth of their range is unclear.
 * Self-contained on purpose (no helper outside this body): it is serialised into the browser.
 */
export function readTimeCode(pixels: StripPixels, layout: TimeCodeLayout, nowMs: number): TimeCodeReading {
  const { block, width, format } = layout;
  const inset = Math.floor(block / 4);
  const side = block - 2 * inset;
  const cells = 2 + format.dataBits + format.checkBits;
  const levels: number[] = [];
  for (let cell = 0; cell < cells; cell++) {
    const left = (cell + 1) * block + inset;
    const top = block + inset;
    let sum = 0;
    for (let y = top; y < top + side; y++) {
      for (let x = left; x < left + side; x++) {
        const at = (y * width + x) * pixels.channels;
        sum += pixels.channels === 1 ? pixels.data[at]! : (pixels.data[at]! + pixels.data[at + 1]! + pixels.data[at + 2]!) / 3;
      }
    }
    levels.push(sum / (side * side));
  }
  const white = levels[0]!;
  const black = levels[1]!;
  // Full-range white over black is ~220 in limited-range video; under a third of that is not our strip.
  if (white - black < 70) return { ok: false, reason: 'no-strip' };
  const threshold = (white + black) / 2;
  const margin = (white - black) / 10;
  let value = 0;
  let check = 0;
  for (let i = 0; i < format.dataBits + format.checkBits; i++) {
    const level = levels[2 + i]!;
    if (Math.abs(level - threshold) < margin) return { ok: false, reason: 'unclear' };
    const bit = level > threshold ? 1 : 0;
    if (i < format.dataBits) value = value * 2 + bit;
    else check = check * 2 + bit;
  }
  if (value % format.checkModulus !== check) return { ok: false, reason: 'check' };
  // The full time whose low bits are `value`, nearest to the reader's clock (exact: all under 2^53).
  const range = 2 ** format.dataBits;
  let captureMs = nowMs - (((nowMs % range) + range) % range) + value;
  if (captureMs > nowMs + range / 2) captureMs -= range;
  else if (captureMs < nowMs - range / 2) captureMs += range;
  return { ok: true, captureMs };
}
