import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { SegmentRead } from './playback-plan.js';
import { readAt, readFragmentAt, type StoredFragment } from './segment-file.js';

/**
 * The fragments a plan reads from one segment, with the segment's init segment: only as far as
 * the index row vouches for (bytes), and one fragment at a time, so memory stays at a fragment.
 */
export async function* storedFragments(
  footageDir: string,
  read: SegmentRead,
): AsyncGenerator<{ init: Buffer; fragment: StoredFragment; bytes: () => Promise<Buffer> }> {
  const { segment } = read;
  const file = await open(join(footageDir, segment.path), 'r');
  try {
    const init = await readAt(file, 0, segment.keyframes[0]!.offset);
    for (let offset = read.fromOffset; ; ) {
      const fragment = await readFragmentAt(file, offset, segment.bytes);
      if (!fragment || segment.startMs + fragment.baseMediaDecodeTime / 90 >= read.untilMs) return;
      yield { init, fragment, bytes: () => readAt(file, fragment.offset, fragment.length) };
      offset += fragment.length;
    }
  } finally {
    await file.close();
  }
}
