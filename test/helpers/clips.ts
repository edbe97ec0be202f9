// Short test clips made with ffmpeg, once: later calls (and later test runs) reuse the cached file.
// The cache lives in the OS temp dir on purpose: the clips are a few hundred kB, deterministic for
// their settings, and making an H.265 one costs seconds of CPU on a shared machine.
import { execFile } from 'node:child_process';
import { mkdirSync, existsSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { VideoCodec } from '../../src/media/types.js';

const run = promisify(execFile);

export interface ClipSpec {
  codec: VideoCodec;
  width: number;
  height: number;
  fps: number;
  seconds: number;
  /** Frames from one keyframe to the next; fixed (no scene-cut keyframes), and no B-frames, like cameras. */
  gop: number;
}

export const STANDARD_CLIP: Omit<ClipSpec, 'codec'> = { width: 640, height: 360, fps: 25, seconds: 4, gop: 25 };

const CACHE_DIR = join(tmpdir(), 'vigil-test-clips');

function encoderArgs(spec: ClipSpec): string[] {
  const gop = `keyint=${spec.gop}:min-keyint=${spec.gop}:scenecut=0:bframes=0`;
  return spec.codec === 'h264'
    ? ['-c:v', 'libx264', '-preset', 'veryfast', '-x264-params', gop]
    : ['-c:v', 'libx265', '-preset', 'veryfast', '-x265-params', `${gop}:log-level=error`, '-tag:v', 'hvc1'];
}

/** The path of an MP4 clip of testsrc2 with these settings, made on first use. */
export async function testClip(codec: VideoCodec, settings: Omit<ClipSpec, 'codec'> = STANDARD_CLIP): Promise<string> {
  const spec: ClipSpec = { codec, ...settings };
  const path = join(CACHE_DIR, `testsrc2-${codec}-${spec.width}x${spec.height}-${spec.fps}fps-${spec.seconds}s-gop${spec.gop}.mp4`);
  if (existsSync(path)) return path;
  mkdirSync(CACHE_DIR, { recursive: true });
  // Written under a unique name and renamed, so test files running in parallel never see half a clip.
  const partial = `${path}.${process.pid}.partial.mp4`;
  await run('ffmpeg', [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${spec.width}x${spec.height}:rate=${spec.fps}`,
    '-t', String(spec.seconds), '-pix_fmt', 'yuv420p', ...encoderArgs(spec), partial,
  ]);
  renameSync(partial, path);
  return path;
}
