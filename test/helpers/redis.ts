// A real Redis server for tests and benchmarks (bench/cloud.ts), from Debian's
// `redis-server` package (which `npm test`'s bootstrap installs): on a free port of 127.0.0.1, its
// working directory a temporary one, nothing saved to disk, stopped and deleted after. Redis runs
// as root as well as any user, so it runs as we do.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { serverReady } from './server-log.js';

export interface TestRedis {
  /** redis://127.0.0.1:PORT */
  url: string;
  /** A URL of its own database number (1 to 15), for a test that must not see another's keys. */
  databaseUrl(index: number): string;
  stop(): Promise<void>;
}

const REDIS_SERVER = '/usr/bin/redis-server';

/**
 * Starts a fresh, empty server (a few milliseconds); `stop` shuts it down and deletes its directory.
 * `port` brings one back where a stopped one was, for clients that reconnect there.
 */
export async function startRedis(port?: number): Promise<TestRedis> {
  if (!existsSync(REDIS_SERVER)) throw new Error(`Redis is not installed (no ${REDIS_SERVER}): npm test installs Debian's redis-server package`);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-redis-'));
  port ??= await freePort();
  // No snapshots, no append-only file: a test server's data dies with it.
  const server = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'notice'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  await serverReady(server, server.stdout!, 'Ready to accept connections', dir);
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    databaseUrl: (index) => `${url}/${index}`,
    async stop() {
      // SIGTERM: Redis stops at once (nothing to save).
      if (server.exitCode === null) server.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
