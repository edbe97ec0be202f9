import { dirname, join } from 'node:path';
import type { Clock } from '../../../shared/clock.js';
import type { KeyframePosition, RecordingsStore } from '../../db/recordings-store.js';
import { frameBytes } from '../cameras/stream-measure.js';
import { inBandParameterSets, sameParameterSets, trackConfig } from '../../../media/codec/track-config.js';
import { fragmentPieces, initSegment } from '../../../media/mp4/fragmented.js';
import type { AccessUnit, ParameterSets } from '../../../media/types.js';
import { decideFrame, DEFAULT_LIMITS, type FrameDecision, type SegmentLimits } from './segment-plan.js';
import { diskSegmentFileSystem, type SegmentFile, type SegmentFileSystem } from './segment-fs.js';
import { segmentPath } from './segment-path.js';

export interface SegmentWriterOptions {
  cameraId: number;
  footageDir: string;
  store: RecordingsStore;
  clock: Clock;
  limits?: SegmentLimits;
  /**
   * How often the file is fsynced and its index row brought up to date. A power cut loses at
   * most this much plus the open fragment; a process crash loses only the open fragment (the
   * written bytes are in the page cache, and `check` extends the row over them).
   */
  syncIntervalMs?: number;
  /** The disk (default); a test gives a slow or failing one. */
  fs?: SegmentFileSystem;
}

const DONE: Promise<void> = Promise.resolve();

/** When a segment has a single frame, its duration is unknown: assume a common frame rate. */
const FALLBACK_FRAME_DURATION_90K = 3000;

interface OpenSegment {
  id: number;
  file: SegmentFile;
  startMs: number;
  startPts: number;
  params: ParameterSets;
  /** Bytes written to the file so far (all whole fragments). */
  written: number;
  frames: number;
  keyframes: KeyframePosition[];
  /** End of the last written fragment, 90 kHz from the segment's start. */
  duration90k: number;
  sequence: number;
  lastSyncAt: number;
  /** The frames of the fragment being filled, as received (no copy of them is made). */
  fragment: AccessUnit[];
}

/**
 * Records one camera: frames in, fragmented MP4 segment files and their index rows out. Each
 * fragment (about a second, or less when a keyframe comes) is held in memory until it is
 * complete, then written with one write; nothing else is buffered. Fragments per second rather
 * than per GOP bound both the memory and what a crash loses, whatever GOP the camera uses; every
 * keyframe still starts a fragment, so playback can start at any keyframe.
 *
 * Call `push` for each frame in order, `close` when the stream ends. Calls run one after another
 * in the order they were made, even when the caller does not await each one. A caller that cannot
 * wait (a camera does not slow down for a slow disk) watches `backlogBytes` and drops frames when
 * it grows too big (see recording-feed.ts).
 */
export class SegmentWriter {
  readonly #o: Required<SegmentWriterOptions>;
  #segment: OpenSegment | undefined;
  #lastPts = 0;
  #lastStep: number | undefined;
  /** The last call queued: each call starts when it settles. */
  #tail: Promise<void> = DONE;
  /** Calls queued and not yet settled. */
  #queued = 0;
  #backlogBytes = 0;

  constructor(options: SegmentWriterOptions) {
    this.#o = { limits: DEFAULT_LIMITS, syncIntervalMs: 3000, ...options, fs: options.fs ?? diskSegmentFileSystem };
  }

  /**
   * `params` are the stream's latest parameter sets; a keyframe's in-band ones take precedence.
   * Undefined when the frame joined the open fragment at once: nothing to wait for, and no promise
   * made for it (25 frames a second per camera).
   */
  push(frame: AccessUnit, params: ParameterSets | undefined): Promise<void> | undefined {
    // Most frames only join the open fragment: with nothing queued, that is done at once, without
    // the promises a queued call costs.
    if (this.#queued === 0) {
      const { decision } = this.#plan(frame, params);
      if (decision === 'append') {
        this.#take(frame, decision);
        return undefined;
      }
    }
    return this.#enqueue(() => this.#push(frame, params), frameBytes(frame));
  }

  /**
   * Bytes of the frames pushed and not yet taken into a fragment: what waits in memory for the
   * disk. Zero while the disk keeps up (frames then join the open fragment at once).
   */
  get backlogBytes(): number {
    return this.#backlogBytes;
  }

  /** Ends the open segment (the stream stopped or the camera was lost): the timeline shows a gap after it. */
  close(): Promise<void> {
    return this.#enqueue(() => this.#close());
  }

  #enqueue(call: () => Promise<void>, bytes = 0): Promise<void> {
    const result = this.#tail.then(call);
    this.#queued++;
    this.#backlogBytes += bytes;
    const settled = () => {
      this.#queued--;
      this.#backlogBytes -= bytes;
    };
    // A failed call is reported to its caller; the next still runs.
    this.#tail = result.then(settled, settled);
    return result;
  }

  /** What to do with the frame, from where the writer is now (decided again when a queued call runs). */
  #plan(frame: AccessUnit, params: ParameterSets | undefined): { decision: FrameDecision; frameParams: ParameterSets | undefined } {
    const segment = this.#segment;
    const frameParams = frame.keyframe ? (inBandParameterSets(frame.codec, frame.nalus) ?? params) : params;
    const newParameters = Boolean(segment && frame.keyframe && frameParams && !sameParameterSets(segment.params, frameParams));
    const state = segment && {
      segmentStartPts: segment.startPts,
      fragmentStartPts: segment.fragment[0]?.pts90k ?? frame.pts90k,
      lastPts: this.#lastPts,
    };
    return { decision: decideFrame(state, { pts90k: frame.pts90k, keyframe: frame.keyframe, newParameters }, this.#o.limits), frameParams };
  }

  /** Adds the frame to the open fragment, once what its decision asked for is done. */
  #take(frame: AccessUnit, decision: FrameDecision): void {
    if (decision !== 'start') this.#lastStep = frame.pts90k - this.#lastPts;
    this.#lastPts = frame.pts90k;
    this.#segment?.fragment.push(frame);
  }

  async #push(frame: AccessUnit, params: ParameterSets | undefined): Promise<void> {
    const segment = this.#segment;
    const { decision, frameParams } = this.#plan(frame, params);
    switch (decision) {
      case 'skip':
        return;
      case 'break':
        await this.#close();
        return this.#push(frame, params);
      case 'roll-over': {
        await this.#endSegment(frame.pts90k);
        // The next segment continues the timeline exactly where this one ended (no gap, no overlap).
        const continuesAt = segment!.startMs + Math.round((frame.pts90k - segment!.startPts) / 90);
        await this.#startSegment(frame, frameParams ?? segment!.params, continuesAt);
        break;
      }
      case 'start':
        if (!frameParams) return; // cannot describe the stream yet: wait for a keyframe with parameters
        await this.#startSegment(frame, frameParams, frame.receivedAt);
        break;
      case 'new-fragment':
        await this.#writeFragment(frame.pts90k);
        break;
      case 'append':
        break;
    }
    this.#take(frame, decision);
  }

  async #close(): Promise<void> {
    await this.#endSegment(undefined);
    this.#lastStep = undefined;
  }

  async #startSegment(frame: AccessUnit, params: ParameterSets, startMs: number): Promise<void> {
    const track = trackConfig(params);
    const { path, file, startMs: actualStart } = await this.#createFile(startMs);
    const init = initSegment(track);
    await writeAll(file, [init], 0);
    await file.datasync();
    const keyframes: KeyframePosition[] = [];
    const id = this.#o.store.insert({
      cameraId: this.#o.cameraId,
      startMs: actualStart,
      endMs: actualStart,
      duration90k: 0,
      path,
      bytes: init.length,
      frames: 0,
      codec: track.codecString,
      keyframes,
      open: true,
    });
    this.#segment = {
      id,
      file,
      startMs: actualStart,
      startPts: frame.pts90k,
      params,
      written: init.length,
      frames: 0,
      keyframes,
      duration90k: 0,
      sequence: 0,
      lastSyncAt: this.#o.clock.now(),
      fragment: [],
    };
  }

  /** Creates the segment's file (and directories, 0700), durable in its directory before any row names it. */
  async #createFile(startMs: number): Promise<{ path: string; file: SegmentFile; startMs: number }> {
    const { fs } = this.#o;
    for (let candidate = startMs; ; candidate++) {
      const path = segmentPath(this.#o.cameraId, candidate);
      const full = join(this.#o.footageDir, path);
      const dayDir = dirname(full);
      const firstCreated = await fs.makeDirectory(dayDir);
      let file: SegmentFile;
      try {
        file = await fs.createFile(full);
      } catch (error) {
        // Two segments cannot start in the same millisecond unless the clock stepped back: take the next.
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
      // Each new name (file or directory) is durable once the directory holding it is fsynced.
      for (const dir of directoriesHolding(firstCreated, dayDir)) await fs.syncDirectory(dir);
      return { path, file, startMs: candidate };
    }
  }

  /** Writes the open fragment; `nextPts` (the frame after it) gives its last frame's duration. */
  async #writeFragment(nextPts: number | undefined): Promise<void> {
    const segment = this.#segment;
    if (!segment || segment.fragment.length === 0) return;
    const frames = segment.fragment;
    segment.fragment = [];
    const samples = frames.map((f, i) => {
      const next = frames[i + 1]?.pts90k ?? nextPts;
      const duration = next !== undefined ? next - f.pts90k : (this.#lastStep ?? FALLBACK_FRAME_DURATION_90K);
      return { duration, keyframe: f.keyframe, nalus: f.nalus };
    });
    const baseTime = frames[0]!.pts90k - segment.startPts;
    // Parameter sets travel in the init segment; a change of them starts a new segment.
    const bytes = fragmentPieces(segment.params.codec, ++segment.sequence, baseTime, samples);
    await writeAll(segment.file, bytes.pieces, segment.written);
    if (frames[0]!.keyframe) segment.keyframes.push({ time90k: baseTime, offset: segment.written });
    segment.written += bytes.length;
    segment.frames += frames.length;
    segment.duration90k = baseTime + samples.reduce((sum, s) => sum + s.duration, 0);
    if (this.#o.clock.now() - segment.lastSyncAt >= this.#o.syncIntervalMs) await this.#sync(segment, true);
  }

  /** Makes the written bytes durable, then lets the index row describe them: the row never runs ahead of the disk. */
  async #sync(segment: OpenSegment, open: boolean): Promise<void> {
    await segment.file.datasync();
    segment.lastSyncAt = this.#o.clock.now();
    this.#o.store.update(segment.id, {
      endMs: segment.startMs + Math.round(segment.duration90k / 90),
      duration90k: segment.duration90k,
      bytes: segment.written,
      frames: segment.frames,
      keyframes: segment.keyframes,
      open,
    });
  }

  async #endSegment(nextPts: number | undefined): Promise<void> {
    const segment = this.#segment;
    if (!segment) return;
    await this.#writeFragment(nextPts);
    // Bytes of a write that failed part-way (disk full) may lie past the last whole fragment.
    await segment.file.truncate(segment.written);
    await this.#sync(segment, false);
    await segment.file.close();
    this.#segment = undefined;
  }
}

/** Writes `pieces` one after another from `position`: one writev, unless the disk takes less at once. */
async function writeAll(file: SegmentFile, pieces: readonly Buffer[], position: number): Promise<void> {
  const bytesWritten = await file.writev(pieces, position);
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
  if (bytesWritten === length) return;
  // A short write (a nearly full disk, a signal): the rest as one buffer, in as many writes as it takes.
  const rest = Buffer.concat(pieces, length).subarray(bytesWritten);
  for (let done = 0; done < rest.length; ) {
    done += await file.write(rest.subarray(done), position + bytesWritten + done);
  }
}

/** The directories whose entries changed: the day directory, and the parent of each directory just created. */
function directoriesHolding(firstCreated: string | undefined, dayDir: string): string[] {
  if (!firstCreated) return [dayDir];
  const dirs = [dayDir];
  for (let dir = dayDir; dir !== firstCreated && dir !== dirname(dir); dir = dirname(dir)) dirs.push(dirname(dir));
  dirs.push(dirname(firstCreated));
  return dirs;
}
