import type { Recording } from '../../db/recordings-store.js';
import { withBaseMediaDecodeTime } from '../../../media/mp4/fragmented.js';
import { planPlayback, timelinePosition } from './playback-plan.js';
import { storedFragments } from './stored-fragments.js';

export interface PlaybackStream {
  /** For MediaSource.addSourceBuffer: the codec of the first segment. */
  mimeType: string;
  /** Wall-clock time (ms) at media time 0: to show time T, a player seeks to (T - originMs) / 1000. */
  originMs: number;
  /**
   * An init segment, then fragments from the keyframe at or before the range's start to the
   * fragment that covers its end, on one timeline (gaps between segments stay gaps). A new init
   * segment comes only where the stored parameters change.
   */
  chunks: AsyncIterable<Buffer>;
}

/** Playback of one camera's [fromMs, toMs) for the browser (fMP4 for MSE); undefined if nothing was recorded then. */
export function playbackStream(footageDir: string, segments: readonly Recording[], fromMs: number, toMs: number): PlaybackStream | undefined {
  const plan = planPlayback(segments, fromMs, toMs);
  if (!plan) return undefined;
  async function* chunks(): AsyncGenerator<Buffer> {
    let currentInit: Buffer | undefined;
    for (const read of plan!.reads) {
      for await (const { init, fragment, bytes } of storedFragments(footageDir, read)) {
        if (!currentInit?.equals(init)) yield (currentInit = init);
        const data = await bytes();
        const moof = withBaseMediaDecodeTime(data.subarray(0, fragment.moofLength), timelinePosition(plan!, read.segment, fragment.baseMediaDecodeTime));
        yield Buffer.concat([moof, data.subarray(fragment.moofLength)]);
      }
    }
  }
  return { mimeType: `video/mp4; codecs="${plan.reads[0]!.segment.codec}"`, originMs: plan.originMs, chunks: chunks() };
}
