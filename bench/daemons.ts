// The benchmarks' real processes: `vigil simcam` and `vigil recorder` from the built CLI, and a
// recorder activated and given cameras through its API, as a person would.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ConcurrencyLimit } from '../src/shared/concurrency-limit.js';
import { packageRoot } from '../src/shared/package-info.js';

const CLI = join(packageRoot(), 'dist', 'src', 'cli.js');
/** Cameras added through the API at once: their probes overlap, and the recorder and simcam stay responsive. */
const CAMERAS_ADDED_AT_ONCE = 16;

/** The recorder admin's password in every benchmark. */
export const PASSWORD = 'Benchmark lantern 58 orchard';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Node's own flags for every `vigil` process a benchmark starts, from BENCH_VIGIL_NODE_ARGS (split at
 * spaces): for profiling the process under test, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, which
 * NODE_OPTIONS does not accept.
 */
const NODE_ARGS = process.env.BENCH_VIGIL_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

/** Starts `vigil <args>` and resolves with the first match of `pattern` in each of `count` lines. */
export function startVigil(args: string[], pattern: RegExp, count: number): Promise<{ child: ChildProcess; matches: string[] }> {
  const child = spawn(process.execPath, [...NODE_ARGS, CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const matches: string[] = [];
    child.once('exit', (code) => reject(new Error(`vigil ${args[0]} exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = pattern.exec(line);
      if (match) matches.push(match[1]!);
      if (matches.length === count) resolve({ child, matches });
    });
  });
}

/**
 * `vigil recorder init` in `dataDir`, then the daemon on a free loopback port with `args` (e.g.
 * `--cloud URL`): its serial, label code and process (URL in matches[0]).
 */
export async function startRecorder(
  dataDir: string,
  args: string[] = [],
  /** Runs between init and the daemon's start: a benchmark that fills the data directory itself. */
  beforeStart?: () => void,
): Promise<{ serial: string; labelCode: string; recorder: { child: ChildProcess; matches: string[] } }> {
  const init = spawnSync(process.execPath, [CLI, 'recorder', 'init', '--data', dataDir, '--json'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`vigil recorder init failed: ${init.stderr}`);
  const { serial, labelCode } = JSON.parse(init.stdout) as { serial: string; labelCode: string };
  beforeStart?.();
  const recorder = await startVigil(['recorder', '--data', dataDir, '--listen', '127.0.0.1:0', ...args], /running at (http:\/\/\S+)/, 1);
  return { serial, labelCode, recorder };
}

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** An admin's session: the cookie, and the token that state-changing requests carry. */
export interface Session {
  cookie: string;
  csrfToken: string;
}

/** Activates the recorder, logs in as admin and adds the cameras (TCP), as a person would. */
export async function addCameras(url: string, labelCode: string, cameraUrls: readonly string[]): Promise<Session> {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const activated = await post('/api/v1/activate', { labelCode, password: PASSWORD });
  if (activated.status !== 201) throw new Error(`activation failed: ${activated.status}`);
  const login = await post('/api/v1/sessions', { username: 'admin', password: PASSWORD });
  if (login.status !== 201) throw new Error(`login failed: ${login.status}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const session = login.headers.getSetCookie().find((c) => c.startsWith('__Host-vigil_session='))!.split(';')[0]!;
  // Each addition waits on the recorder's probe of the camera (about 3 s of watching its stream,
  // little CPU): one after another, 64 cameras took 6 minutes.
  const limit = new ConcurrencyLimit(CAMERAS_ADDED_AT_ONCE);
  await Promise.all(
    cameraUrls.map((cameraUrl, i) =>
      limit.run(async () => {
        const added = await post('/api/v1/cameras', { name: `Bench ${i + 1}`, url: cameraUrl, transport: 'tcp' }, { cookie: session, 'x-csrf-token': csrfToken });
        if (added.status !== 201) throw new Error(`adding camera ${cameraUrl} failed: ${added.status} ${await added.text()}`);
      }),
    ),
  );
  return { cookie: session, csrfToken };
}
