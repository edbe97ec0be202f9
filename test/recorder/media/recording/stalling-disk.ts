import { settle } from '../../../helpers/manual-timers.js';
import { diskSegmentFileSystem, type SegmentFile, type SegmentFileSystem } from '../../../../src/recorder/media/recording/segment-fs.js';

/**
 * The real disk behind a switch the test holds: while stalled, every call (write, sync, create)
 * waits, as on a disk that stopped answering, and goes on when the test resumes it. Counts the
 * bytes the disk has taken, so a test can tell how much video the recorder still holds in memory.
 */
export class StallingDisk implements SegmentFileSystem {
  writtenBytes = 0;
  #stall: { promise: Promise<void>; release: () => void } | undefined;
  #busy = 0;

  stall(): void {
    let release = () => {};
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.#stall ??= { promise, release };
  }

  resume(): void {
    this.#stall?.release();
    this.#stall = undefined;
  }

  /**
   * Resolves once no call is under way after a turn of the event loop: a writer that is not
   * waiting for the disk starts its next call within the turn, so it has nothing left to write.
   */
  async idle(): Promise<void> {
    for (;;) {
      await settle();
      if (this.#busy === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /** Runs `call` once the disk answers, counted as under way until it ends. */
  async #run<T>(call: () => Promise<T>): Promise<T> {
    this.#busy++;
    try {
      while (this.#stall) await this.#stall.promise;
      return await call();
    } finally {
      this.#busy--;
    }
  }

  makeDirectory(dir: string): Promise<string | undefined> {
    return this.#run(() => diskSegmentFileSystem.makeDirectory(dir));
  }

  async createFile(path: string): Promise<SegmentFile> {
    const file = await this.#run(() => diskSegmentFileSystem.createFile(path));
    const counted = (written: number) => ((this.writtenBytes += written), written);
    return {
      writev: (pieces, position) => this.#run(async () => counted(await file.writev(pieces, position))),
      write: (buffer, position) => this.#run(async () => counted(await file.write(buffer, position))),
      datasync: () => this.#run(() => file.datasync()),
      truncate: (length) => this.#run(() => file.truncate(length)),
      close: () => this.#run(() => file.close()),
    };
  }

  syncDirectory(dir: string): Promise<void> {
    return this.#run(() => diskSegmentFileSystem.syncDirectory(dir));
  }
}
