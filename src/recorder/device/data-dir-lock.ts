/**
 * One process at a time owns a data directory: the recorder while it runs, or `recorder check`
 * (which rewrites the index and truncates files under a recorder's feet otherwise). The lock is a
 * PID file (see shared/pid-lock.ts for how it survives crashes and races).
 */
import { PidLockBusyError, processIsAlive, takePidLock, type PidLock } from '../../shared/pid-lock.js';
import { dataPaths } from './data-dir.js';

export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The recorder is running on ${dataDir} (pid ${pid}): stop it first. ` +
        `If no recorder runs there, that process is something else: remove ${dataPaths(dataDir).lock}.`,
    );
    this.name = 'DataDirBusyError';
  }
}

export type DataDirLock = PidLock;

/** Takes the data directory's lock, or throws DataDirBusyError if a live process holds it. */
export function lockDataDir(dataDir: string, isAlive: (pid: number) => boolean = processIsAlive): DataDirLock {
  try {
    return takePidLock(dataPaths(dataDir).lock, isAlive);
  } catch (error) {
    if (error instanceof PidLockBusyError) throw new DataDirBusyError(dataDir, error.pid);
    throw error;
  }
}
