import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cloudPaths } from '../../src/cloud/data-dir.js';
import { runVigil, startVigilDaemon } from '../helpers/cli.js';
import { until } from '../helpers/until.js';

describe('vigil cloud', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'vigil-cloud-cli-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('--help prints the cloud\'s own help', () => {
    const help = runVigil(['cloud', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: vigil cloud \[options\]/);
    for (const option of ['--data <dir>', '--listen <host:port>', '--database <url>', '--external-url <url>', '--smtp <url>', '--mail-from <address>', '--tls-cert <file>']) {
      expect(help.stdout).toContain(option);
    }
  });

  it('refuses a database URL that is not PostgreSQL\'s, naming the form it wants', () => {
    const result = runVigil(['cloud', '--data', join(root, 'data'), '--database', 'mysql://db.example.net/vigil']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('expected a postgres:// URL');
  });

  it('says why a database server cannot be used, without a stack trace or its password', async () => {
    const result = runVigil(['cloud', '--data', join(root, 'data'), '--database', 'postgres://vigil:Hunter2-secret@127.0.0.1:1/vigil']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('The database (PostgreSQL server at 127.0.0.1:1/vigil) cannot be opened: connect ECONNREFUSED 127.0.0.1:1');
    expect(result.stderr).not.toContain('Hunter2-secret');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a Redis URL that is not one and a proxy that is not an address, and says why Redis cannot be used, without its password', async () => {
    const notRedis = runVigil(['cloud', '--data', join(root, 'data'), '--redis', 'http://cache.example.net']);
    expect(notRedis.status).toBe(1);
    expect(notRedis.stderr).toContain('expected a redis:// (or rediss:// for TLS) URL');
    const notProxy = runVigil(['cloud', '--data', join(root, 'data'), '--trusted-proxy', '10.0.0.5,nginx.local']);
    expect(notProxy.status).toBe(1);
    expect(notProxy.stderr).toContain('"nginx.local" is not an address or a CIDR range');
    const down = runVigil(['cloud', '--data', join(root, 'data'), '--redis', 'redis://:Hunter2-secret@127.0.0.1:1/2']);
    expect(down.status).toBe(1);
    expect(down.stderr).toContain('Redis at 127.0.0.1:1, database 2 does not answer: connect ECONNREFUSED 127.0.0.1:1');
    expect(down.stderr).not.toContain('Hunter2-secret');
    expect(down.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs on the embedded database in --data: says where, answers its health, refuses a second process, stops on SIGTERM', async () => {
    const dataDir = join(root, 'data');
    const { child, url, output } = await startVigilDaemon(['cloud', '--data', dataDir, '--listen', '127.0.0.1:0']);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await until(() => output().includes('schema version'), 'the database line');
      expect(output()).toContain(`Data      ${dataDir}\n`);
      expect(output()).toMatch(new RegExp(`Database  embedded PostgreSQL \\(PGlite\\) in ${cloudPaths(dataDir).database}, schema version \\d+\\n`));
      const res = await fetch(`${url}/api/v1/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', database: { engine: 'pglite' } });

      const second = runVigil(['cloud', '--data', dataDir, '--listen', '127.0.0.1:0']);
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(`A cloud is running on ${dataDir} (pid ${child.pid}): stop it first.`);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(existsSync(cloudPaths(dataDir).lock)).toBe(false);
  }, 180_000); // PGlite's first start (initdb in WebAssembly) takes seconds alone, a minute on 2 loaded cores
});
