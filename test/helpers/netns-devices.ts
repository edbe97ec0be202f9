// Real Vigil devices as processes in the namespaces of a VirtualNetwork (netns.ts): recorders and
// `vigil camera`s made by their own `init`, run by the built CLI, and the built CLI run as a tool.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { CLI } from './cli.js';
import { VirtualNetwork } from './netns.js';

export interface MadeDevice {
  serial: string;
  model: string;
  labelCode: string;
  dataDir: string;
}

/** `vigil recorder init` or `vigil camera init` into `dir/name`, with `extra` options. */
export function makeDevice(kind: 'recorder' | 'camera', dir: string, name: string, ...extra: string[]): MadeDevice {
  const dataDir = join(dir, name);
  const made = JSON.parse(execFileSync(process.execPath, [CLI, kind, 'init', '--data', dataDir, '--json', ...extra], { encoding: 'utf8' })) as Omit<MadeDevice, 'dataDir'>;
  return { ...made, dataDir };
}

/** A device's process, and everything it printed (its logs) so far. */
export interface RunningDevice {
  child: ChildProcessWithoutNullStreams;
  output(): string;
}

/** Resolves once `child` printed `text` on its standard output, collecting all it prints; rejects if it exits first. */
function started(child: ChildProcessWithoutNullStreams, text: string, what: string): Promise<RunningDevice> {
  let out = '';
  let err = '';
  const running = { child, output: () => out + err };
  child.stderr.on('data', (chunk) => (err += chunk));
  return new Promise<RunningDevice>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes(text)) resolve(running);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}: ${err}`)));
  });
}

/** Runs a recorder in `ns`, served over HTTPS on every address at port 8443. */
export function runRecorder(net: VirtualNetwork, ns: string, made: MadeDevice): Promise<RunningDevice> {
  const child = net.spawn(ns, process.execPath, [CLI, 'recorder', '--data', made.dataDir, '--listen', '0.0.0.0:8443']);
  return started(child, 'is running at', `the recorder in ${ns}`);
}

/** The ports a camera in a namespace serves on, on its one address. */
export const CAMERA_PORTS = { http: 8080, https: 8443, rtsp: 8554 } as const;

/**
 * Runs a `vigil camera` in `ns` on every address, with a small clip (encoded once into the
 * default cache, so start the first camera alone), answering both discoveries.
 */
export function runCamera(net: VirtualNetwork, ns: string, made: MadeDevice): Promise<RunningDevice> {
  const child = net.spawn(ns, process.execPath, [
    CLI,
    'camera',
    'run',
    '--data',
    made.dataDir,
    '--listen',
    `0.0.0.0:${CAMERA_PORTS.http}`,
    '--https-port',
    String(CAMERA_PORTS.https),
    '--rtsp-listen',
    `0.0.0.0:${CAMERA_PORTS.rtsp}`,
    '--source',
    'clip',
    '--size',
    '320x240',
    '--fps',
    '10',
    '--bitrate',
    '200k',
  ]);
  return started(child, 'is ready', `the camera in ${ns}`);
}

/**
 * Runs `vigil ARGS` in `ns`, answering each prompt as it appears (the first answer to a prompt
 * that matches its pattern), and resolves with its exit code and everything it printed.
 */
export function converse(net: VirtualNetwork, ns: string, args: string[], answers: [RegExp, string][]): Promise<{ code: number | null; out: string }> {
  const pending = [...answers];
  return new Promise((resolve) => {
    const child = net.spawn(ns, process.execPath, [CLI, ...args]);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (pending[0] && pending[0][0].test(out)) child.stdin.write(`${pending.shift()![1]}\n`);
    });
    child.stderr.on('data', (chunk) => (out += chunk));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

/** Runs `made[i]` in `namespaces[i]`: the first camera alone (it encodes the clip the others read), then the rest together. */
export async function runCameras(net: VirtualNetwork, namespaces: readonly string[], made: readonly MadeDevice[]): Promise<RunningDevice[]> {
  const first = await runCamera(net, namespaces[0]!, made[0]!);
  return [first, ...(await Promise.all(made.slice(1).map((camera, i) => runCamera(net, namespaces[i + 1]!, camera))))];
}

/**
 * A virtual network and a temporary directory for one describe block: `setup` builds and starts
 * what the tests need in beforeAll (everything is taken down at once if it fails), afterAll
 * destroys the network and removes the directory.
 */
export function virtualLan(prefix: string, setup: (net: VirtualNetwork, dir: string) => Promise<void>, timeoutMs = 120_000): { net: VirtualNetwork; dir: string } {
  const net = new VirtualNetwork(`${prefix}${process.pid % 100000}-`);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-netns-'));
  beforeAll(async () => {
    try {
      await setup(net, dir);
    } catch (error) {
      await net.destroy();
      throw error;
    }
  }, timeoutMs);
  afterAll(async () => {
    await net.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  return { net, dir };
}
