/**
 * A lock file holding its owner's PID: one process at a time owns what it guards (a data directory).
 *
 * The lock is written under a name of its own and hard-linked into place: link fails if the lock
 * exists, so only one of two racing starts gets it, and the lock is never seen half written. A
 * lock whose PID is no longer alive was left by a crash (SIGKILL, power cut) and is taken over. PID
 * reuse can only make a stale lock look alive, never a live one look stale, so it errs towards
 * refusing. The common form of reuse, a container or boot where the process gets the same PID as
 * last time, is recognised: our own PID in a lock this process does not hold is stale.
 *
 * Not covered: two processes taking over the same stale lock in the same instant could both win.
 * That needs a crash followed by two simultaneous starts; an OS lock (flock) would close it, but
 * Node has none without a native module.
 */
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

export class PidLockBusyError extends Error {
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(`${path} is held by the running process ${pid}`);
    this.name = 'PidLockBusyError';
  }
}

export interface PidLock {
  /** Removes the lock file; safe to call again. */
  release(): void;
}

/** Whether a process with this PID exists (EPERM: it does, under another user). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds: our own PID in any other lock file is a leftover. */
const held = new Set<string>();

/** Takes the lock at `path`, or throws PidLockBusyError if a live process holds it. */
export function takePidLock(path: string, isAlive: (pid: number) => boolean = processIsAlive): PidLock {
  const mine = `${path}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`, { mode: 0o600 });
  try {
    // Twice at most: once, and once more after removing a stale lock.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(mine, path);
        held.add(path);
        let released = false;
        return {
          release: () => {
            if (released) return;
            released = true;
            held.delete(path);
            rmSync(path, { force: true });
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readOwner(path);
      if (owner !== undefined && isAlive(owner) && (owner !== process.pid || held.has(path))) throw new PidLockBusyError(path, owner);
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(mine, { force: true });
  }
  throw new Error(`${path} keeps reappearing: another process is starting on the same directory right now.`);
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return pid > 0 ? pid : undefined; // not a PID: not a lock anyone could hold
  } catch {
    return undefined; // removed in the meantime: the next attempt creates it
  }
}
