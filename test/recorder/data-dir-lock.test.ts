import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirBusyError, lockDataDir } from '../../src/recorder/device/data-dir-lock.js';

let dir: string;
let lockFile: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-lock-'));
  lockFile = join(dir, 'recorder.lock');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const OTHER_PID = 4_000_000; // above Linux's pid_max, named only through the injected isAlive

describe('the data directory lock', () => {
  it('holds our PID until released, and is refused to a second taker meanwhile', () => {
    const lock = lockDataDir(dir);
    expect(readFileSync(lockFile, 'utf8')).toBe(`${process.pid}\n`);
    expect(() => lockDataDir(dir)).toThrow(DataDirBusyError);
    lock.release();
    expect(existsSync(lockFile)).toBe(false);
    lockDataDir(dir).release();
  });

  it('refuses while a live process holds it, naming the directory, the PID and what to do', () => {
    writeFileSync(lockFile, `${OTHER_PID}\n`);
    const attempt = () => lockDataDir(dir, (pid) => pid === OTHER_PID);
    expect(attempt).toThrow(`The recorder is running on ${dir} (pid ${OTHER_PID}): stop it first.`);
    expect(readFileSync(lockFile, 'utf8')).toBe(`${OTHER_PID}\n`);
  });

  it('takes over a lock whose process is gone, or that holds no PID', () => {
    for (const leftover of [`${OTHER_PID}\n`, '', 'garbage']) {
      writeFileSync(lockFile, leftover);
      const lock = lockDataDir(dir, () => false);
      expect(readFileSync(lockFile, 'utf8')).toBe(`${process.pid}\n`);
      lock.release();
    }
  });

  it('takes over our own PID left by an earlier process that had it (a restarted container)', () => {
    writeFileSync(lockFile, `${process.pid}\n`);
    const lock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirBusyError);
    lock.release();
  });

  it('a second release does not remove a lock taken since', () => {
    const first = lockDataDir(dir);
    first.release();
    const second = lockDataDir(dir);
    first.release();
    expect(existsSync(lockFile)).toBe(true);
    second.release();
  });
});
