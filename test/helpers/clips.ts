// Real encoder output for the media tests: ffmpeg's test pattern (testsrc2), each clip made once.
// Files are cached in the OS temp dir on purpose: they are a few hundred kB, deterministic for
// their settings, and making an H.265 one costs seconds of CPU on a shared machine; so later test
// files (and later runs) reuse them. Frames read from a clip are kept per process as well.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { groupFrames, splitAnnexB, type Frame } from '../../src/media/codec/annex-b.js';
import { inBandParameterSets } from '../../src/media/codec/track-config.js';
import type { AccessUnit, ParameterSets, VideoCodec } from '../../src/media/types.js';

const run = promisify(execFile);

export interface ClipSettings {
  width: number;
  height: number;
  fps: number;
  seconds: number;
  /** Frames from one keyframe to the next; fixed (no scene-cut keyframes), and no B-frames, like cameras. */
  gop: number;
}

/** What the test cameras serve over RTSP. */
export const STANDARD_CLIP: ClipSettings = { width: 640, height: 360, fps: 25, seconds: 4, gop: 25 };
/** Recording, playback and live tests: small frames keep segments and decodes cheap. */
export const SMALL_CLIP: ClipSettings = { width: 320, height: 240, fps: 25, seconds: 2, gop: 25 };
/** A camera's usual 720p, where the size of the frames matters. */
export const HD_CLIP: ClipSettings = { width: 1280, height: 720, fps: 25, seconds: 2, gop: 25 };

const CACHE_DIR = join(tmpdir(), 'vigil-test-clips');

/** An MP4 file for the RTSP test cameras, or a raw Annex B stream as cameras send it. */
type Container = 'mp4' | 'annex-b';

function encoderArgs(codec: VideoCodec, settings: ClipSettings, container: Container): string[] {
  const gop = `keyint=${settings.gop}:min-keyint=${settings.gop}:scenecut=0:bframes=0`;
  const encoder =
    codec === 'h264'
      ? ['-c:v', 'libx264', '-preset', 'veryfast', '-x264-params', gop]
      : ['-c:v', 'libx265', '-preset', 'veryfast', '-x265-params', `${gop}:log-level=error`];
  if (container === 'mp4') return [...encoder, ...(codec === 'h265' ? ['-tag:v', 'hvc1'] : []), '-f', 'mp4'];
  return [...encoder, '-f', codec === 'h264' ? 'h264' : 'hevc'];
}

function cachedPath(codec: VideoCodec, settings: ClipSettings, container: Container): string {
  const { width, height, fps, seconds, gop } = settings;
  const extension = container === 'mp4' ? 'mp4' : codec;
  return join(CACHE_DIR, `testsrc2-${codec}-${width}x${height}-${fps}fps-${seconds}s-gop${gop}.${extension}`);
}

const encoding = new Map<string, Promise<string>>();

async function encode(codec: VideoCodec, settings: ClipSettings, container: Container): Promise<string> {
  const path = cachedPath(codec, settings, container);
  if (existsSync(path)) return path;
  mkdirSync(CACHE_DIR, { recursive: true });
  // Written under a unique name and renamed, so test files running in parallel never see half a clip.
  const partial = `${path}.${process.pid}.partial`;
  await run('ffmpeg', [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${settings.width}x${settings.height}:rate=${settings.fps}`,
    '-t', String(settings.seconds), '-pix_fmt', 'yuv420p', ...encoderArgs(codec, settings, container), partial,
  ]);
  renameSync(partial, path);
  return path;
}

/** Encodes each clip once per process even when tests ask for it at the same time. */
function once(codec: VideoCodec, settings: ClipSettings, container: Container): Promise<string> {
  const path = cachedPath(codec, settings, container);
  let pending = encoding.get(path);
  if (!pending) {
    pending = encode(codec, settings, container);
    encoding.set(path, pending);
  }
  return pending;
}

/** The path of an MP4 clip with these settings, made on first use. */
export function testClip(codec: VideoCodec, settings: ClipSettings = STANDARD_CLIP): Promise<string> {
  return once(codec, settings, 'mp4');
}

/** The path of a raw Annex B stream with these settings, made on first use. */
export function annexBClip(codec: VideoCodec, settings: ClipSettings): Promise<string> {
  return once(codec, settings, 'annex-b');
}

const framesByPath = new Map<string, Frame[]>();

/** The frames of a clip with these settings, as the camera client groups them. */
export async function clipFrames(codec: VideoCodec, settings: ClipSettings): Promise<Frame[]> {
  const path = await annexBClip(codec, settings);
  let frames = framesByPath.get(path);
  if (!frames) {
    frames = groupFrames(codec, splitAnnexB(readFileSync(path)));
    framesByPath.set(path, frames);
  }
  return frames;
}

export function parameterSetsOf(codec: VideoCodec, frames: readonly Frame[]): ParameterSets {
  const params = inBandParameterSets(codec, frames[0]!.nalus);
  if (!params) throw new Error('the clip does not start with parameter sets');
  return params;
}

/**
 * `count` frames cycling through the clip (it starts with a keyframe at every loop), `step`
 * apart on the 90 kHz clock, received at the matching wall-clock time.
 */
export function accessUnits(codec: VideoCodec, frames: readonly Frame[], options: { count?: number; startPts?: number; step?: number; startMs?: number } = {}): AccessUnit[] {
  const { count = frames.length, startPts = 0, step = 3600, startMs = Date.UTC(2026, 0, 1, 12) } = options;
  return Array.from({ length: count }, (_, i) => {
    const frame = frames[i % frames.length]!;
    return { codec, nalus: frame.nalus, keyframe: frame.keyframe, pts90k: startPts + i * step, receivedAt: startMs + Math.round((i * step) / 90) };
  });
}

export interface ProbedStream {
  codec_name: string;
  width: number;
  height: number;
  nb_read_frames: string;
  duration: string;
}

export function probeVideo(file: string): ProbedStream {
  const out = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_streams', '-of', 'json', file], { encoding: 'utf8' });
  return (JSON.parse(out) as { streams: ProbedStream[] }).streams[0]!;
}

/** What ffmpeg reports while decoding the whole file (empty when it decodes cleanly). */
export function decodeErrors(file: string): string {
  const run = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  return run.status === 0 ? run.stderr : `exit ${run.status}: ${run.stderr}`;
}
