import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/shared/package-info.js';

/** The built `vigil` command; `npm test` builds before testing. */
export const CLI = join(packageRoot(), 'dist', 'src', 'cli.js');

export function runVigil(args: string[]): SpawnSyncReturns<string> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it for you)`);
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
}
