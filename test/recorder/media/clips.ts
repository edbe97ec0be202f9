import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupFrames, splitAnnexB, type Frame } from '../../../src/media/codec/annex-b.js';
import { inBandParameterSets } from '../../../src/media/codec/track-config.js';
import type { AccessUnit, ParameterSets, VideoCodec } from '../../../src/media/types.js';

/** Real encoder output for the media tests: ffmpeg's test pattern, no B-frames (cameras send none). */
export function encodeClip(dir: string, codec: VideoCodec, options: { seconds?: number; size?: string; fps?: number; gop?: number } = {}): Buffer {
  const { seconds = 2, size = '1280x720', fps = 25, gop = 25 } = options;
  const out = join(dir, `clip-${codec}-${size}-${seconds}s-${fps}fps-gop${gop}.${codec}`);
  const encoder =
    codec === 'h264'
      ? ['-c:v', 'libx264', '-bf', '0', '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0', '-f', 'h264']
      : ['-c:v', 'libx265', '-x265-params', `bframes=0:keyint=${gop}:min-keyint=${gop}:scenecut=0:log-level=error`, '-f', 'hevc'];
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${fps}`, '-t', String(seconds), '-pix_fmt', 'yuv420p', ...encoder, out]);
  return readFileSync(out);
}

export function clipFrames(codec: VideoCodec, annexB: Buffer): Frame[] {
  return groupFrames(codec, splitAnnexB(annexB));
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
