import type { Clock } from '../../../shared/clock.js';
import type { Logger } from '../../../shared/logger.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { SYSTEM_ACTOR } from '../../audit/system-actor.js';
import type { RecordingsStore } from '../../db/recordings-store.js';
import type { FrameSink } from '../cameras/camera-supervisor.js';
import type { BacklogPolicy, LossEpisode } from './backlog-policy.js';
import { RecordingFeed, RecordingLoss, type LossReporter } from './recording-feed.js';
import type { SegmentFileSystem } from './segment-fs.js';
import { SegmentWriter } from './segment-writer.js';

export interface RecordingSinksDeps {
  footageDir: string;
  store: RecordingsStore;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  /** The disk (default); a test gives a slow one. */
  fs?: SegmentFileSystem;
  backlogPolicy?: BacklogPolicy;
}

/** What a camera's recording lost to a disk that fell behind, for its status. */
export interface RecordingLossStatus {
  droppedFrames: number;
  droppedBytes: number;
  droppingSince: number | null;
  lastDropAt: number | null;
}

/**
 * Continuous recording: every camera supervisor gets a sink that writes its frames with a
 * SegmentWriter of its own, through a RecordingFeed that drops frames when the disk falls behind.
 * A gap (camera lost or frozen) ends the open segment, so the timeline shows it; the next keyframe
 * starts a new one. Losses are counted per camera, logged, and audited once per episode.
 */
export class RecordingSinks {
  readonly #writers = new Set<SegmentWriter>();
  /** Per camera, across its supervisor's restarts. */
  readonly #losses = new Map<number, RecordingLoss>();
  readonly #reporter: LossReporter;

  constructor(private readonly deps: RecordingSinksDeps) {
    const { logger, audit } = deps;
    this.#reporter = {
      dropping: (cameraId, at) =>
        logger.warn(
          { event: 'recording_dropping', cameraId, since: new Date(at).toISOString() },
          'the disk is behind this camera: frames are dropped until it catches up',
        ),
      episodeEnded: (cameraId, episode) => {
        const details = episodeDetails(cameraId, episode);
        logger.warn({ event: 'recording_frames_dropped', ...details }, 'frames were dropped because the disk fell behind');
        audit.append({ type: 'recordings.frames_dropped', outcome: 'failure', actor: SYSTEM_ACTOR, target: `camera:${cameraId}`, details });
      },
    };
  }

  sinkFor(cameraId: number): FrameSink {
    const { footageDir, store, clock, logger, fs } = this.deps;
    const writer = new SegmentWriter({ cameraId, footageDir, store, clock, fs });
    this.#writers.add(writer);
    let loss = this.#losses.get(cameraId);
    if (!loss) this.#losses.set(cameraId, (loss = new RecordingLoss()));
    const feed = new RecordingFeed({
      cameraId,
      writer,
      loss,
      clock,
      reporter: this.#reporter,
      failed: (err: unknown) => logger.error({ err, cameraId }, 'recording failed: the camera is not being recorded'),
      policy: this.deps.backlogPolicy,
    });
    return {
      onFrame: (au, params) => feed.onFrame(au, params),
      onGap: (reason) => {
        const closing = feed.onGap(reason);
        if (reason === 'stopped') void closing.finally(() => this.#writers.delete(writer));
      },
    };
  }

  lossOf(cameraId: number): RecordingLossStatus {
    const loss = this.#losses.get(cameraId);
    return {
      droppedFrames: loss?.droppedFrames ?? 0,
      droppedBytes: loss?.droppedBytes ?? 0,
      droppingSince: loss?.droppingSince ?? null,
      lastDropAt: loss?.lastDropAt ?? null,
    };
  }

  /** Ends every open segment (at shutdown): what was recorded is in the files and the index. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#writers].map((writer) => writer.close()));
    this.#writers.clear();
  }
}

function episodeDetails(cameraId: number, episode: LossEpisode) {
  return {
    cameraId,
    frames: episode.frames,
    bytes: episode.bytes,
    from: new Date(episode.startedAt).toISOString(),
    to: new Date(episode.lastDropAt).toISOString(),
  };
}
