import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI, runVigil } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-camera-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('vigil camera init makes an inactive camera and shows its label code once; run serves it; button presses it; SIGTERM stops it', async () => {
  const data = join(dir, 'camera');
  const made = runVigil(['camera', 'init', '--data', data, '--json']);
  expect(made.status, made.stderr).toBe(0);
  const { serial, labelCode } = JSON.parse(made.stdout) as { serial: string; labelCode: string };
  expect(labelCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  expect(runVigil(['camera', 'init', '--data', data]).status).toBe(2);

  const child = spawn(process.execPath, [CLI, 'camera', '--data', data, '--listen', '127.0.0.1:0', '--rtsp-listen', '127.0.0.1:0', '--size', '320x240', '--no-discovery'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const ready = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out);
      });
      child.once('exit', (code) => reject(new Error(`vigil camera exited with ${code}`)));
    });
    expect(ready).toContain(serial);
    expect(ready).toContain('inactive');
    const httpUrl = /ONVIF at (http:\/\/[^/]+)\//.exec(ready)![1]!;
    expect(await (await fetch(`${httpUrl}/vigil/state`)).json()).toEqual({ model: 'VC-1', active: false });
    const activated = await fetch(`${httpUrl}/vigil/activate`, { method: 'POST', body: JSON.stringify({ labelCode, password: 'quiet-harbour-lantern-47' }) });
    expect(activated.status).toBe(200);

    const short = runVigil(['camera', 'button', '--data', data, '--press', 'short', '--label-code', labelCode, '--password', 'silver-canyon-drum-38']);
    expect(short.stdout, short.stderr).toContain('admin password is set');
    const long = runVigil(['camera', 'button', '--data', data, '--press', 'long']);
    expect(long.stdout).toContain('Factory reset');
    expect(await (await fetch(`${httpUrl}/vigil/state`)).json()).toEqual({ model: 'VC-1', active: false });
  } finally {
    child.kill('SIGTERM');
  }
  expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
});
