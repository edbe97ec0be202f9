import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Recording } from '../../db/recordings-store.js';
import type { TrackConfig } from '../../../media/codec/track-config.js';
import type { SampleInfo } from '../../../media/mp4/fragmented.js';
import { trackConfigOfMovie } from '../../../media/mp4/fragmented.js';
import { standardMp4Header, type Chunk } from '../../../media/mp4/standard.js';
import { planPlayback, timelinePosition } from './playback-plan.js';
import { readAt } from './segment-file.js';
import { storedFragments } from './stored-fragments.js';

export interface Mp4Export {
  /** For Content-Length. */
  byteLength: number;
  /** Wall-clock time of the first frame (the keyframe at or before the range's start). */
  startMs: number;
  /** On the 90 kHz clock. */
  duration90k: number;
  chunks: AsyncIterable<Buffer>;
}

interface ChunkSource extends Chunk {
  path: string;
  dataStart: number;
  dataLength: number;
}

/**
 * One camera's [fromMs, toMs) as a standard MP4 download: from the keyframe at or before
 * `fromMs`, up to the last frame starting before `toMs`. A gap between segments is held on the
 * frame before it, so the file's duration is the wall-clock span. Reads the index of the samples
 * first (headers only), then streams the video a stored fragment at a time.
 */
export async function exportMp4(footageDir: string, segments: readonly Recording[], fromMs: number, toMs: number): Promise<Mp4Export | undefined> {
  const plan = planPlayback(segments, fromMs, toMs);
  if (!plan) return undefined;
  const inits: Buffer[] = [];
  const configs: TrackConfig[] = [];
  const chunks: ChunkSource[] = [];
  let timelineEnd = 0;
  for (const read of plan.reads) {
    for await (const { init, fragment } of storedFragments(footageDir, read)) {
      let configIndex = inits.findIndex((i) => i.equals(init));
      if (configIndex < 0) {
        configIndex = inits.push(init) - 1;
        configs.push(trackConfigOfMovie(init));
      }
      const start = timelinePosition(plan, read.segment, fragment.baseMediaDecodeTime);
      const previous = chunks[chunks.length - 1]?.samples.at(-1);
      if (previous && start > timelineEnd) previous.duration += start - timelineEnd;
      const samples = samplesBefore(fragment.samples, start, (toMs - plan.originMs) * 90);
      chunks.push({
        configIndex,
        samples,
        path: read.segment.path,
        dataStart: fragment.dataStart,
        dataLength: samples.reduce((sum, s) => sum + s.size, 0),
      });
      timelineEnd = start + fragment.samples.reduce((sum, s) => sum + s.duration, 0);
    }
  }
  if (chunks.length === 0) return undefined;
  const header = standardMp4Header(configs, chunks);
  async function* bytes(): AsyncGenerator<Buffer> {
    yield header;
    let current: { path: string; file: FileHandle } | undefined;
    try {
      for (const chunk of chunks) {
        if (current?.path !== chunk.path) {
          await current?.file.close();
          current = { path: chunk.path, file: await open(join(footageDir, chunk.path), 'r') };
        }
        yield await readAt(current.file, chunk.dataStart, chunk.dataLength);
      }
    } finally {
      await current?.file.close();
    }
  }
  return {
    byteLength: header.length + chunks.reduce((sum, c) => sum + c.dataLength, 0),
    startMs: plan.originMs,
    duration90k: chunks.flatMap((c) => c.samples).reduce((sum, s) => sum + s.duration, 0),
    chunks: bytes(),
  };
}

/** The samples (copies) of a fragment starting at `start` on the timeline that begin before `until`. */
function samplesBefore(samples: readonly SampleInfo[], start: number, until: number): SampleInfo[] {
  const kept: SampleInfo[] = [];
  let at = start;
  for (const s of samples) {
    if (at >= until) break;
    kept.push({ ...s });
    at += s.duration;
  }
  return kept;
}
