import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecorder } from '../../src/recorder/daemon.js';
import { dataPaths } from '../../src/recorder/device/data-dir.js';
import { runVigil, startVigilDaemon } from '../helpers/cli.js';
import { httpsGet } from '../helpers/https.js';

describe('vigil recorder init', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lists its subcommands in --help', () => {
    const help = runVigil(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('recorder');
    const recorderHelp = runVigil(['recorder', '--help']);
    expect(recorderHelp.stdout).toMatch(/init/);
    expect(recorderHelp.stdout).toMatch(/run/);
  });

  it('manufactures a device: serial, model, label code once, device keys, private files', () => {
    const dir = join(root, 'data');
    const made = runVigil(['recorder', 'init', '--data', dir, '--model', 'VR-16', '--json']);
    expect(made.status, made.stderr).toBe(0);
    const out = JSON.parse(made.stdout) as { serial: string; model: string; labelCode: string };
    expect(out.model).toBe('VR-16');
    expect(out.serial).toMatch(/^VGL\d{6}[0-9A-Z]{8}$/);
    expect(out.labelCode).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}$/);
    const paths = dataPaths(dir);
    expect(readFileSync(paths.deviceKey, 'utf8')).toContain('BEGIN PRIVATE KEY');
    expect(statSync(paths.deviceKey).mode & 0o077).toBe(0);
    expect(statSync(paths.tlsKey).mode & 0o077).toBe(0);
    expect(statSync(dir).mode & 0o077).toBe(0);
    expect(readFileSync(paths.database).includes(out.labelCode.replace(/-/g, ''))).toBe(false);
    expect(readdirSync(root)).toEqual(['data']); // no staging directory left behind
  });

  it('refuses an initialised directory and changes nothing', () => {
    const dir = join(root, 'data');
    expect(runVigil(['recorder', 'init', '--data', dir, '--json']).status).toBe(0);
    const before = readFileSync(dataPaths(dir).database);
    const again = runVigil(['recorder', 'init', '--data', dir, '--json']);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('already holds a recorder');
    expect(again.stdout).toBe('');
    expect(readFileSync(dataPaths(dir).database).equals(before)).toBe(true);
  });

  it('refuses a bad model name', () => {
    const res = runVigil(['recorder', 'init', '--data', join(root, 'data'), '--model', '<script>']);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('--model');
    expect(readdirSync(root)).toEqual([]);
  });

  it.each(['ftp://nvr.example.net', 'https://user:pw@nvr.example.net', 'https://nvr.example.net/?next=x', 'nvr.example.net'])(
    'refuses --external-url %s before starting (links in mails must be a plain http(s) address)',
    (url) => {
      const res = runVigil(['recorder', 'run', '--data', join(root, 'data'), '--external-url', url]);
      expect(res.status).not.toBe(0);
      expect(res.stderr).toContain('--external-url');
    },
  );

  it('runs the daemon over plain HTTP on loopback and prints the URL', async () => {
    const dir = join(root, 'data');
    runVigil(['recorder', 'init', '--data', dir, '--json']);
    const { child, url } = await startVigilDaemon(['recorder', '--data', dir, '--listen', '127.0.0.1:0']);
    try {
      const res = await fetch(`${url}/api/v1/device`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { activated: boolean }).activated).toBe(false);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('serves HTTPS with the certificate made at init on a non-loopback address', async () => {
    const dir = join(root, 'data');
    runVigil(['recorder', 'init', '--data', dir, '--json']);
    const running = await startRecorder({ dataDir: dir, listen: { host: '0.0.0.0', port: 0 }, webRoot: join(root, 'none') });
    try {
      expect(running.https).toBe(true);
      expect(running.url).toMatch(/^https:/);
      const ca = readFileSync(dataPaths(dir).tlsCert, 'utf8');
      const res = await httpsGet(`${running.url}/api/v1/device`, ca);
      expect(res.status).toBe(200);
      expect(res.headers['strict-transport-security']).toContain('max-age=');
      await expect(fetch(running.url.replace('https:', 'http:') + '/api/v1/device')).rejects.toThrow();
    } finally {
      await running.close();
    }
  });
});

describe('vigil with a command it does not have', () => {
  it.each([
    [['console', '--help'], 'vigil', ['recorder', 'recover', 'cloud', 'support', 'simcam', 'camera']],
    [['console'], 'vigil', ['recorder', 'recover', 'cloud', 'support', 'simcam', 'camera']],
    [['recorder', 'cloud', '--help'], 'vigil recorder', ['run', 'init', 'button', 'check', 'audit']],
    [['recorder', 'audit', 'repair'], 'vigil recorder audit', ['verify']],
  ])('vigil %j fails (exit 1) and names the commands that exist', (args, parent, commands) => {
    const result = runVigil(args);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`unknown command '${args.at(-1) === '--help' ? args.at(-2) : args.at(-1)}'. The commands of ${parent} are: ${commands.join(', ')}.`);
  });

  it('help itself still answers (exit 0)', () => {
    for (const args of [['--help'], ['help', 'recorder'], ['recorder', 'audit', '--help']]) {
      const result = runVigil(args);
      expect(result.status, args.join(' ')).toBe(0);
      expect(result.stdout, args.join(' ')).toMatch(/^Usage: vigil/);
    }
  });
});
