import { open, type FileHandle } from 'node:fs/promises';
import type { TrackConfig } from '../../../media/codec/track-config.js';
import { readBoxHeader } from '../../../media/mp4/box.js';
import { initSegmentLength, parseMoof, trackConfigOfMovie, type FragmentHeader } from '../../../media/mp4/fragmented.js';

/**
 * Reading a segment file back box by box: the init segment, then each fragment whose moof and
 * mdat are both whole. Reads headers only (never the video), so scanning a file costs little.
 */

export interface StoredFragment extends FragmentHeader {
  /** Where the moof starts. */
  offset: number;
  /** moof + mdat. */
  length: number;
  moofLength: number;
  /** Where the mdat's payload (the samples) starts, and its length. */
  dataStart: number;
  dataLength: number;
}

export interface SegmentScan {
  fileLength: number;
  init: Buffer;
  track: TrackConfig;
  fragments: StoredFragment[];
  /** End of the last whole fragment: what the file should be truncated to if it is longer. */
  wholeLength: number;
}

/** How much of a file's start holds its init segment (a few hundred bytes in practice). */
const INIT_READ_LENGTH = 64 * 1024;

export class UnreadableSegmentError extends Error {}

export async function scanSegment(path: string): Promise<SegmentScan> {
  const file = await open(path, 'r');
  try {
    return await scanOpenSegment(file);
  } finally {
    await file.close();
  }
}

async function scanOpenSegment(file: FileHandle): Promise<SegmentScan> {
  const fileLength = (await file.stat()).size;
  const head = await readAt(file, 0, Math.min(INIT_READ_LENGTH, fileLength));
  const initLength = initSegmentLength(head);
  if (initLength === undefined) throw new UnreadableSegmentError(`no whole init segment in the first ${head.length} bytes`);
  const init = head.subarray(0, initLength);
  const track = trackConfigOfMovie(init);
  const fragments: StoredFragment[] = [];
  let offset = initLength;
  for (;;) {
    const fragment = await readFragmentAt(file, offset, fileLength);
    if (!fragment) break;
    fragments.push(fragment);
    offset += fragment.length;
  }
  return { fileLength, init: Buffer.from(init), track, fragments, wholeLength: offset };
}

/** The fragment at `offset` if it is whole within `fileLength`, otherwise undefined (end of file or torn). */
export async function readFragmentAt(file: FileHandle, offset: number, fileLength: number): Promise<StoredFragment | undefined> {
  const moofHeader = readBoxHeader(await readAt(file, offset, Math.min(16, fileLength - offset)), 0);
  if (moofHeader?.type !== 'moof' || offset + moofHeader.size + 8 > fileLength) return undefined;
  const moof = await readAt(file, offset, moofHeader.size);
  const mdatAt = offset + moofHeader.size;
  const mdatHeader = readBoxHeader(await readAt(file, mdatAt, Math.min(16, fileLength - mdatAt)), 0);
  if (mdatHeader?.type !== 'mdat' || mdatAt + mdatHeader.size > fileLength) return undefined;
  let header: FragmentHeader;
  try {
    header = parseMoof(moof);
  } catch {
    return undefined;
  }
  const dataLength = mdatHeader.size - mdatHeader.headerSize;
  if (header.samples.reduce((sum, s) => sum + s.size, 0) !== dataLength) return undefined;
  return { ...header, offset, length: moofHeader.size + mdatHeader.size, moofLength: moofHeader.size, dataStart: mdatAt + mdatHeader.headerSize, dataLength };
}

export async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(Math.max(0, length));
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await file.read(buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buffer.subarray(0, done);
}

/** The segment's duration on the 90 kHz clock: where its last fragment ends. */
export function scannedDuration90k(fragments: readonly FragmentHeader[]): number {
  const last = fragments[fragments.length - 1];
  return last ? last.baseMediaDecodeTime + last.samples.reduce((sum, s) => sum + s.duration, 0) : 0;
}
