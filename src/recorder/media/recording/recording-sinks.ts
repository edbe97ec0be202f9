import type { Clock } from '../../../shared/clock.js';
import type { Logger } from '../../../shared/logger.js';
import type { RecordingsStore } from '../../db/recordings-store.js';
import type { FrameSink } from '../cameras/camera-supervisor.js';
import type { SegmentFileSystem } from './segment-fs.js';
import { SegmentWriter } from './segment-writer.js';

/**
 * Continuous recording: every camera supervisor gets a sink that writes its frames with a
 * SegmentWriter of its own. A gap (camera lost or frozen) ends the open segment, so the timeline
 * shows it; the next keyframe starts a new one.
 */
export class RecordingSinks {
  readonly #writers = new Set<SegmentWriter>();

  constructor(private readonly deps: { footageDir: string; store: RecordingsStore; clock: Clock; logger: Logger; fs?: SegmentFileSystem }) {}

  sinkFor(cameraId: number): FrameSink {
    const { footageDir, store, clock, logger, fs } = this.deps;
    const writer = new SegmentWriter({ cameraId, footageDir, store, clock, fs });
    this.#writers.add(writer);
    const failed = (err: unknown) => logger.error({ err, cameraId }, 'recording failed: the camera is not being recorded');
    return {
      // Not awaited: the supervisor hands frames over synchronously and the writer runs its calls in order.
      onFrame: (au, params) => void writer.push(au, params).catch(failed),
      onGap: (reason) => {
        const closing = writer.close().catch(failed);
        if (reason === 'stopped') void closing.finally(() => this.#writers.delete(writer));
      },
    };
  }

  /** Ends every open segment (at shutdown): what was recorded is in the files and the index. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#writers].map((writer) => writer.close()));
    this.#writers.clear();
  }
}
