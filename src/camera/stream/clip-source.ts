import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AnnexBFrameReader } from './access-units.js';
import { cameraEncoderArgs, type EncodingSpec, testPatternInput } from './encoding.js';
import { FfmpegProcess } from './ffmpeg-process.js';
import { FrameFanout, type FrameSource, frameTime90k, packetise } from './frame-source.js';
import { findParameterSets } from './nal.js';

/** Long enough not to look like a stutter, short enough to keep in memory (about 2.5 MB at 2 Mbit/s). */
const DEFAULT_CLIP_SECONDS = 10;

export interface ClipOptions {
  cacheDir?: string;
  seconds?: number;
}

/** Where encoded clips are kept between runs ($XDG_CACHE_HOME/vigil/simcam). */
function defaultClipCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'vigil', 'simcam');
}

/**
 * A clip encoded once (then cached), held in memory already packetised, and replayed in a loop in
 * real time with timestamps that keep rising. Nothing is encoded or copied while it plays: the
 * cheap source for many streams.
 */
export async function startClipSource(spec: EncodingSpec, options: ClipOptions = {}): Promise<FrameSource> {
  const file = await ensureClip(spec, options.cacheDir ?? defaultClipCacheDir(), options.seconds ?? DEFAULT_CLIP_SECONDS);
  const reader = new AnnexBFrameReader(spec.codec);
  const encoded = [...reader.push(await readFile(file)), ...reader.end()];
  const first = encoded[0];
  const parameterSets = first?.keyframe ? findParameterSets(spec.codec, first.nalus) : undefined;
  if (!first || !parameterSets) throw new Error(`${file} does not start with a keyframe and its parameter sets: delete it to encode it again`);
  const frames = encoded.map((frame) => packetise(spec.codec, frame));
  const fanout = new FrameFanout();
  const pacer = new FramePacer(spec.fps, (index, wallClockMs) => {
    const frame = frames[index % frames.length]!;
    fanout.emit({ ...frame, pts90k: frameTime90k(index, spec.fps), wallClockMs });
  });
  return {
    codec: spec.codec,
    fps: spec.fps,
    parameterSets,
    subscribe: (listener) => fanout.subscribe(listener),
    stop: async () => pacer.stop(),
  };
}

/** Encodes the clip unless the cache has it; written under a temporary name, so a half-written clip is never used. */
async function ensureClip(spec: EncodingSpec, cacheDir: string, seconds: number): Promise<string> {
  const file = join(cacheDir, `testsrc2-${spec.codec}-${spec.width}x${spec.height}-${spec.fps}fps-${spec.bitrate}bps-${seconds}s.${spec.codec}`);
  if (await stat(file).then((s) => s.size > 0, () => false)) return file;
  await mkdir(cacheDir, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  const ffmpeg = new FfmpegProcess([
    ...testPatternInput(spec, 'Vigil clip  %{pts\\:hms}'),
    '-t',
    String(seconds),
    ...cameraEncoderArgs(spec),
    '-y',
    partial,
  ]);
  const code = await ffmpeg.exited.catch((error: Error) => {
    throw new Error(`ffmpeg cannot be started (${error.message}): install it (Debian: apt-get install ffmpeg)`);
  });
  if (code !== 0) {
    await rm(partial, { force: true });
    throw new Error(`encoding the test clip failed (ffmpeg exited with ${code}): ${ffmpeg.errorOutput}`);
  }
  await rename(partial, file);
  return file;
}

/** Calls `onFrame` with frame numbers 0, 1, 2... at `fps` against the wall clock, without drifting. */
class FramePacer {
  private readonly startedAt = performance.now();
  private next = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly fps: number,
    private readonly onFrame: (index: number, wallClockMs: number) => void,
  ) {
    this.tick();
  }

  private tick(): void {
    const elapsed = performance.now() - this.startedAt;
    const due = Math.floor((elapsed * this.fps) / 1000);
    // After a stall (a busy machine) the missed frames are skipped, not sent in a burst, as a camera would.
    if (due - this.next > this.fps) this.next = due;
    while (this.next <= due) this.onFrame(this.next++, Date.now());
    const nextAt = (this.next * 1000) / this.fps;
    this.timer = setTimeout(() => this.tick(), Math.max(0, nextAt - (performance.now() - this.startedAt)));
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
