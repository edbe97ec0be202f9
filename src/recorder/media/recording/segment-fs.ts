import { mkdir, open, type FileHandle } from 'node:fs/promises';

/**
 * The few file-system calls the segment writer makes, behind an interface (Moonfire's
 * DirWriter/FileWriter): the recorder uses the disk, and a test can put a slow, stalled or failing
 * disk in its place without touching the writer.
 */
export interface SegmentFileSystem {
  /** Creates `dir` and its missing parents (mode 0700); returns the first directory it created, if any. */
  makeDirectory(dir: string): Promise<string | undefined>;
  /** Creates a new file (mode 0600); fails with code EEXIST if it exists. */
  createFile(path: string): Promise<SegmentFile>;
  /** Makes the entries of `dir` (names created in it) durable. */
  syncDirectory(dir: string): Promise<void>;
}

/** An open segment file. */
export interface SegmentFile {
  /** Writes `pieces` one after another from `position`; returns how many bytes it wrote (a short write is possible). */
  writev(pieces: readonly Buffer[], position: number): Promise<number>;
  /** Writes `buffer` at `position`; returns how many bytes it wrote. */
  write(buffer: Buffer, position: number): Promise<number>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

class DiskSegmentFile implements SegmentFile {
  constructor(private readonly handle: FileHandle) {}

  async writev(pieces: readonly Buffer[], position: number): Promise<number> {
    return (await this.handle.writev(pieces as Buffer[], position)).bytesWritten;
  }

  async write(buffer: Buffer, position: number): Promise<number> {
    return (await this.handle.write(buffer, 0, buffer.length, position)).bytesWritten;
  }

  datasync = () => this.handle.datasync();
  truncate = (length: number) => this.handle.truncate(length);
  close = () => this.handle.close();
}

export const diskSegmentFileSystem: SegmentFileSystem = {
  makeDirectory: (dir) => mkdir(dir, { recursive: true, mode: 0o700 }),
  createFile: async (path) => new DiskSegmentFile(await open(path, 'wx', 0o600)),
  async syncDirectory(dir) {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
