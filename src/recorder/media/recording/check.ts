import { readdir, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { NewRecording, Recording, RecordingsStore } from '../../db/recordings-store.js';
import { parseSegmentPath } from './segment-path.js';
import { scannedDuration90k, scanSegment, UnreadableSegmentError, type SegmentScan } from './segment-file.js';

/**
 * `vigil recorder check`: compares the recordings index with the segment files, like fsck, and
 * repairs what it can. Run it while the recorder is stopped: it takes every open segment to be
 * one a crash left behind.
 */

export type ProblemKind =
  /** A file no row names: its row is rebuilt from the fragments. */
  | 'file-without-row'
  /** A row whose file is gone: the row is removed. */
  | 'row-without-file'
  /** The file ends in a partly written fragment: it is truncated to the last whole one. */
  | 'torn-fragment'
  /** The row does not describe all of the file's whole fragments (or describes more than there are). */
  | 'row-differs-from-file'
  /** A file without a single whole fragment: nothing to play; removed with its row. */
  | 'empty-segment'
  /** A file Vigil cannot read (not a segment it wrote, or damaged at the start): left alone. */
  | 'unreadable-file';

export interface Problem {
  kind: ProblemKind;
  path: string;
  detail: string;
  repaired: boolean;
}

export interface CheckReport {
  rows: number;
  files: number;
  problems: Problem[];
}

/** A partly written init segment is at most this long: shorter unreadable files are crash leftovers. */
const MAX_INIT_SEGMENT_LENGTH = 4096;

type Report = (kind: ProblemKind, path: string, detail: string, repair: () => Promise<void> | void) => Promise<void> | void;

export async function checkRecordings(footageDir: string, store: RecordingsStore, options: { repair: boolean }): Promise<CheckReport> {
  const rows = store.listAll();
  const rowsByPath = new Map(rows.map((r) => [r.path, r]));
  const files = await listSegmentFiles(footageDir);
  const problems: Problem[] = [];
  const report: Report = (kind, path, detail, repair) => {
    problems.push({ kind, path, detail, repaired: options.repair });
    return options.repair ? repair() : undefined;
  };

  const onDisk = new Set(files);
  for (const row of rows) {
    if (!onDisk.has(row.path)) await report('row-without-file', row.path, 'the index names a file that is not there', () => store.delete(row.id));
  }
  for (const path of files) {
    const problem = await checkFile(footageDir, path, rowsByPath.get(path), store, report);
    if (problem) problems.push(problem);
  }
  return { rows: rows.length, files: files.length, problems };
}

/**
 * For the daemon's start, before any writer runs: the segments a crash left open are closed
 * and repaired as `check --repair` would (torn fragment cut off, row brought up to the file), so
 * that playback sees all that was written and retention can delete them. Returns what it did.
 */
export async function recoverOpenSegments(footageDir: string, store: RecordingsStore): Promise<Problem[]> {
  const problems: Problem[] = [];
  const report: Report = (kind, path, detail, repair) => {
    problems.push({ kind, path, detail, repaired: true });
    return repair();
  };
  for (const row of store.listAll().filter((r) => r.open)) {
    const exists = await stat(join(footageDir, row.path)).then(() => true, () => false);
    const problem = exists
      ? await checkFile(footageDir, row.path, row, store, report)
      : await report('row-without-file', row.path, 'the index names a file that is not there', () => store.delete(row.id));
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Checks one segment file against its row (if any); returns a problem it cannot repair. */
async function checkFile(footageDir: string, path: string, row: Recording | undefined, store: RecordingsStore, report: Report): Promise<Problem | undefined> {
  const full = join(footageDir, path);
  let scan: SegmentScan;
  try {
    scan = await scanSegment(full);
  } catch (error) {
    if (!(error instanceof UnreadableSegmentError)) throw error;
    const length = (await stat(full)).size;
    if (row || length >= MAX_INIT_SEGMENT_LENGTH) return { kind: 'unreadable-file', path, detail: error.message, repaired: false };
    await report('empty-segment', path, `${length} bytes, no whole init segment`, () => rm(full));
    return undefined;
  }
  if (scan.fragments.length === 0) {
    await report('empty-segment', path, 'no whole fragment', async () => {
      if (row) store.delete(row.id);
      await rm(full);
    });
    return undefined;
  }
  if (scan.fileLength > scan.wholeLength) {
    await report('torn-fragment', path, `${scan.fileLength - scan.wholeLength} bytes after the last whole fragment`, () =>
      truncate(full, scan.wholeLength),
    );
  }
  const { cameraId, startMs } = row ?? parseSegmentPath(path)!;
  const expected = recordingFromScan(cameraId, startMs, path, scan);
  const difference = row && describeDifference(row, expected);
  if (!row) {
    await report('file-without-row', path, `${expected.frames} frames rebuilt from the file`, () => void store.insert(expected));
  } else if (difference) {
    await report('row-differs-from-file', path, difference, () => store.update(row.id, expected));
  }
  return undefined;
}

/** The index row a segment file's whole fragments call for. Pure. */
export function recordingFromScan(cameraId: number, startMs: number, path: string, scan: SegmentScan): NewRecording {
  const duration90k = scannedDuration90k(scan.fragments);
  return {
    cameraId,
    startMs,
    endMs: startMs + Math.round(duration90k / 90),
    duration90k,
    path,
    bytes: scan.wholeLength,
    frames: scan.fragments.reduce((sum, f) => sum + f.samples.length, 0),
    codec: scan.track.codecString,
    keyframes: scan.fragments.filter((f) => f.samples[0]?.keyframe).map((f) => ({ time90k: f.baseMediaDecodeTime, offset: f.offset })),
    open: false,
  };
}

/** What differs between a row and the row its file calls for, in words; undefined if nothing does. Pure. */
export function describeDifference(row: Recording, expected: NewRecording): string | undefined {
  const differences: string[] = [];
  if (row.bytes !== expected.bytes) differences.push(`bytes ${row.bytes} in the index, ${expected.bytes} whole on disk`);
  if (row.frames !== expected.frames) differences.push(`frames ${row.frames} → ${expected.frames}`);
  if (row.duration90k !== expected.duration90k) differences.push(`duration ${row.duration90k} → ${expected.duration90k} (90 kHz)`);
  if (row.keyframes.length !== expected.keyframes.length) differences.push(`keyframes ${row.keyframes.length} → ${expected.keyframes.length}`);
  if (row.open) differences.push('left open by a writer that stopped');
  return differences.length > 0 ? differences.join('; ') : undefined;
}

/** Segment files under the footage directory, as paths relative to it, in name order. */
async function listSegmentFiles(footageDir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = async (dir: string) => {
    try {
      return (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  };
  for (const camera of await entries(footageDir)) {
    if (!camera.isDirectory()) continue;
    for (const day of await entries(join(footageDir, camera.name))) {
      if (!day.isDirectory()) continue;
      for (const file of await entries(join(footageDir, camera.name, day.name))) {
        const path = `${camera.name}/${day.name}/${file.name}`;
        if (file.isFile() && parseSegmentPath(path)) found.push(path);
      }
    }
  }
  return found;
}
