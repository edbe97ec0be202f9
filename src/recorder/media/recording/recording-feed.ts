import type { Clock } from '../../../shared/clock.js';
import type { FrameSink, GapReason } from '../cameras/camera-supervisor.js';
import { frameBytes } from '../cameras/stream-measure.js';
import type { AccessUnit, ParameterSets } from '../../../media/types.js';
import { admitFrame, BACKLOG_POLICY, episodeOver, withDrop, type BacklogPolicy, type LossEpisode } from './backlog-policy.js';
import type { SegmentWriter } from './segment-writer.js';

/** What a camera's recording lost to a disk that fell behind, on this run of the recorder. */
export class RecordingLoss {
  droppedFrames = 0;
  droppedBytes = 0;
  /** While frames are being dropped: since when. */
  droppingSince: number | null = null;
  lastDropAt: number | null = null;
  /** Drops not yet reported as an ended episode. */
  episode: LossEpisode | null = null;
}

/** Told when a camera starts dropping frames, and when an episode of drops is over (with its counts). */
export interface LossReporter {
  dropping(cameraId: number, at: number): void;
  episodeEnded(cameraId: number, episode: LossEpisode): void;
}

export interface RecordingFeedDeps {
  cameraId: number;
  writer: SegmentWriter;
  /** Kept by the caller across the camera's feeds (a restarted supervisor gets a new feed). */
  loss: RecordingLoss;
  clock: Clock;
  reporter: LossReporter;
  /** A write that failed: the camera is not being recorded. */
  failed: (error: unknown) => void;
  policy?: BacklogPolicy;
}

/**
 * One camera's frames into its segment writer, with the back-pressure a camera allows: it cannot
 * be slowed down, so when the disk falls behind and the frames waiting for it pass the bound,
 * frames are dropped (see backlog-policy.ts). The segment ends where the drops start, so the
 * timeline shows the loss as a gap, and the next segment starts at a keyframe once the disk has
 * caught up: no fragment ever starts without one.
 */
export class RecordingFeed implements FrameSink {
  readonly #d: RecordingFeedDeps;
  readonly #policy: BacklogPolicy;

  constructor(deps: RecordingFeedDeps) {
    this.#d = deps;
    this.#policy = deps.policy ?? BACKLOG_POLICY;
  }

  onFrame(au: AccessUnit, params: ParameterSets | undefined): void {
    const { writer, loss, clock } = this.#d;
    const now = clock.now();
    const bytes = frameBytes(au);
    if (admitFrame(loss.droppingSince !== null, writer.backlogBytes, { bytes, keyframe: au.keyframe }, this.#policy)) {
      loss.droppingSince = null;
      if (loss.episode && episodeOver(loss.episode, now, this.#policy)) this.#endEpisode();
      writer.push(au, params)?.catch(this.#d.failed);
      return;
    }
    if (loss.droppingSince === null) {
      loss.droppingSince = now;
      // What was taken before the first drop is written and its segment closed: a gap follows.
      writer.close().catch(this.#d.failed);
      this.#d.reporter.dropping(this.#d.cameraId, now);
    }
    loss.droppedFrames++;
    loss.droppedBytes += bytes;
    loss.lastDropAt = now;
    loss.episode = withDrop(loss.episode, now, bytes);
  }

  /** Ends the open segment; resolves (never rejects: a failure goes to `failed`) once it is closed. */
  onGap(reason: GapReason): Promise<void> {
    // Frames missing in a gap were never received: they are not drops.
    this.#d.loss.droppingSince = null;
    if (reason === 'stopped' && this.#d.loss.episode) this.#endEpisode();
    return this.#d.writer.close().catch(this.#d.failed);
  }

  #endEpisode(): void {
    const { loss, reporter, cameraId } = this.#d;
    const episode = loss.episode!;
    loss.episode = null;
    reporter.episodeEnded(cameraId, episode);
  }
}
