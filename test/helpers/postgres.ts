// A real PostgreSQL server for tests, from Debian's `postgresql` package (which `npm test`'s
// bootstrap installs): made by initdb in a temporary directory, listening on a free port of
// 127.0.0.1 (its unix socket in the same directory), stopped and deleted after. PostgreSQL refuses
// to run as root, and the tests run as root: then both run as the `postgres` user the package made.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';
import { serverReady } from './server-log.js';

export interface TestPostgres {
  /** postgres://vigil@127.0.0.1:PORT/postgres: the superuser `vigil`, trusted on this server only. */
  url: string;
  /**
   * A URL whose connections work in a new, empty schema of their own (a fresh store in a few
   * milliseconds: a CREATE DATABASE takes more than half a second).
   */
  freshSchemaUrl(): Promise<string>;
  stop(): Promise<void>;
}

const PG_ROOT = '/usr/lib/postgresql';

/** The bin directory of the newest PostgreSQL installed (Debian keeps each major version apart). */
function postgresBinDir(): string {
  const versions = existsSync(PG_ROOT) ? readdirSync(PG_ROOT).filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`PostgreSQL is not installed (no ${PG_ROOT}/*/bin/initdb): npm test installs Debian's postgresql package`);
  return join(PG_ROOT, newest, 'bin');
}

/** The command that runs `argv` as the postgres user when we are root, as ourselves otherwise. */
function asServerUser(argv: string[]): { command: string; args: string[]; owner?: { uid: number; gid: number } } {
  if (process.getuid?.() !== 0) return { command: argv[0]!, args: argv.slice(1) };
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  // setpriv execs the command in its place, so signals sent to the child reach postgres itself.
  return { command: 'setpriv', args: ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', ...argv], owner: { uid: id('-u'), gid: id('-g') } };
}

/** Starts a fresh, empty server (about a second); `stop` shuts it down and deletes its files. */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-pg-'));
  const dataDir = join(dir, 'data');
  const owner = asServerUser([]).owner;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const initdb = asServerUser([join(bin, 'initdb'), '-D', dataDir, '-U', 'vigil', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const made = spawnSync(initdb.command, initdb.args, { encoding: 'utf8', cwd: dir });
  if (made.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${made.status}):\n${made.stderr}`);
  }
  const port = await freePort();
  // Durability off: a test server's data dies with it anyway, and fsync is most of a commit's time.
  const run = asServerUser([
    join(bin, 'postgres'), '-D', dataDir, '-p', String(port), '-k', dir,
    '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
  ]);
  const server = spawn(run.command, run.args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  await serverReady(server, server.stderr!, 'database system is ready to accept connections', dir);
  const url = `postgres://vigil@127.0.0.1:${port}/postgres`;
  let schemas = 0;
  return {
    url,
    async freshSchemaUrl() {
      const name = `test_${++schemas}`;
      const client = new pg.Client(url);
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA ${name}`);
      } finally {
        await client.end();
      }
      return `${url}?options=${encodeURIComponent(`-c search_path=${name}`)}`;
    },
    async stop() {
      // SIGINT is PostgreSQL's fast shutdown: it ends the sessions and stops at once.
      if (server.exitCode === null) server.kill('SIGINT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
