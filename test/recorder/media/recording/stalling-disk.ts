import { diskSegmentFileSystem, type SegmentFile, type SegmentFileSystem } from '../../../../src/recorder/media/recording/segment-fs.js';

/**
 * The real disk behind a switch the test holds: while stalled, every call (write, sync, create)
 * waits, as on a disk that stopped answering, and goes on when the test resumes it. Counts the
 * bytes the disk has taken, so a test can tell how much video the recorder still holds in memory.
 */
export class StallingDisk implements SegmentFileSystem {
  writtenBytes = 0;
  #stall: { promise: Promise<void>; release: () => void } | undefined;

  stall(): void {
    let release = () => {};
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.#stall ??= { promise, release };
  }

  resume(): void {
    this.#stall?.release();
    this.#stall = undefined;
  }

  async #pass(): Promise<void> {
    while (this.#stall) await this.#stall.promise;
  }

  async makeDirectory(dir: string): Promise<string | undefined> {
    await this.#pass();
    return diskSegmentFileSystem.makeDirectory(dir);
  }

  async createFile(path: string): Promise<SegmentFile> {
    await this.#pass();
    const file = await diskSegmentFileSystem.createFile(path);
    const pass = () => this.#pass();
    const counted = (written: number) => ((this.writtenBytes += written), written);
    return {
      writev: async (pieces, position) => (await pass(), counted(await file.writev(pieces, position))),
      write: async (buffer, position) => (await pass(), counted(await file.write(buffer, position))),
      datasync: async () => (await pass(), file.datasync()),
      truncate: async (length) => (await pass(), file.truncate(length)),
      close: () => file.close(),
    };
  }

  async syncDirectory(dir: string): Promise<void> {
    await this.#pass();
    return diskSegmentFileSystem.syncDirectory(dir);
  }
}
