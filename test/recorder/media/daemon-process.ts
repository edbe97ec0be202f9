// A recorder daemon run as a real child process through the CLI, and reads of its database from
// outside (WAL lets a second connection read while the daemon writes).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCameraStore, type CameraRecord } from '../../../src/recorder/db/camera-store.js';
import { createRecordingsStore, type Recording } from '../../../src/recorder/db/recordings-store.js';
import { openDatabase } from '../../../src/recorder/db/store.js';
import { dataPaths } from '../../../src/recorder/device/data-dir.js';
import { runVigil, startVigilDaemon } from '../../helpers/cli.js';
import { ApiClient } from '../../helpers/client.js';
import { STRONG_PASSWORD } from '../../helpers/recorder.js';

/** A port nothing listens on right now, for a daemon that must keep the same address across restarts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface DaemonDir {
  root: string;
  dataDir: string;
  labelCode: string;
  /** What the database holds now: cameras and recordings, read through a short-lived connection. */
  read(): { cameras: CameraRecord[]; recordings: Recording[] };
  cleanup(): void;
}

/** A fresh recorder made by `vigil recorder init`, in a temporary directory. */
export function initDaemonDir(): DaemonDir {
  const root = mkdtempSync(join(tmpdir(), 'vigil-daemon-'));
  const dataDir = join(root, 'data');
  const init = runVigil(['recorder', 'init', '--data', dataDir, '--json']);
  if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
  const { labelCode } = JSON.parse(init.stdout) as { labelCode: string };
  return {
    root,
    dataDir,
    labelCode,
    read() {
      const db = openDatabase(dataPaths(dataDir).database);
      try {
        return { cameras: createCameraStore(db).list(), recordings: createRecordingsStore(db).listAll() };
      } finally {
        db.close();
      }
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface DaemonProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  /** Everything it printed so far. */
  output(): string;
  /** Sends the signal and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startDaemon(dataDir: string, extraArgs: string[] = []): Promise<DaemonProcess> {
  const { child, url } = await startVigilDaemon(['recorder', '--data', dataDir, '--listen', '127.0.0.1:0', ...extraArgs]);
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    child,
    url,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Polls until `condition` holds (the daemon records in real time). */
export { until } from '../../helpers/until.js';

/** Activates the daemon's recorder with its label code and logs in as its admin. */
export async function adminOf(daemon: DaemonProcess, labelCode: string): Promise<ApiClient> {
  const activated = await new ApiClient(daemon.url).post('/api/v1/activate', { labelCode, password: STRONG_PASSWORD });
  if (activated.status !== 201) throw new Error(`activation failed: ${activated.status} ${JSON.stringify(activated.body)}`);
  const admin = new ApiClient(daemon.url);
  const login = await admin.login('admin', STRONG_PASSWORD);
  if (login.status !== 201) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return admin;
}
