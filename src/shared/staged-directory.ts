import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Makes the directory `dir` whole or not at all: `build` fills a sibling staging directory (mode
 * 0700), which is then renamed into place; if anything fails, the staging directory goes and `dir`
 * is untouched. `dir` must be absent or empty (the caller checks: it knows what to say).
 */
export async function buildDirectory(dir: string, build: (staging: string) => Promise<void>): Promise<void> {
  const staging = join(dirname(dir), `.${basename(dir)}.init-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(staging, { recursive: true, mode: 0o700 });
    await build(staging);
    if (existsSync(dir)) rmdirSync(dir); // empty: rmdir refuses anything else
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
