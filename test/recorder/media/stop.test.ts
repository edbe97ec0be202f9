// A recorder stops at once whatever its clients hold open: the daemon runs as a child process of
// the CLI with a GStreamer camera, clients keep a live view, a playback and an export streaming, an
// idle keep-alive connection and a spare one that never sent a request (as fetch and browsers open),
// then SIGTERM. A spare connection held the stop for 70 s (until the client dropped it) and a live
// view for as long as the viewer stayed.
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Recording } from '../../../src/recorder/db/recordings-store.js';
import type { ApiClient } from '../../helpers/client.js';
import { decodeErrors, probeVideo } from '../../helpers/clips.js';
import { type GstCamera, startGstCamera } from '../../helpers/rtsp-camera.js';
import { adminOf, type DaemonDir, type DaemonProcess, initDaemonDir, startDaemon, until } from './daemon-process.js';

const FPS = 25; // the standard test clip's

let dir: DaemonDir | undefined;
let daemon: DaemonProcess | undefined;
let camera: GstCamera | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await daemon?.stop('SIGKILL');
  await camera?.stop();
  dir?.cleanup();
  daemon = dir = camera = undefined;
});

/** Resolves once the socket has closed (at once if it already has). */
const closed = (socket: Socket) => new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));

/**
 * A GET on a connection of its own, resolved once the response has begun; `read` says whether the
 * client consumes the body (a live viewer does) or leaves it waiting (a stalled download).
 */
function openMedia(admin: ApiClient, path: string, read: boolean): Promise<{ response: IncomingMessage; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(admin.baseUrl + path, { agent: false, headers: { cookie: admin.cookie! } }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`${path} answered ${response.statusCode}`));
      if (read) response.resume();
      else response.pause();
      response.on('error', () => {}); // cut by the stop: that is the point
      resolve({ response, socket: request.socket! });
    });
    request.on('error', reject);
    request.on('socket', (socket) => sockets.push(socket));
    request.end();
  });
}

/** An idle keep-alive connection: one request answered, the connection kept. */
function idleKeepAlive(admin: ApiClient): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const agent = new Agent({ keepAlive: true });
    const request = httpRequest(admin.baseUrl + '/api/v1/cameras', { headers: { cookie: admin.cookie! }, agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(request.socket!));
    });
    request.on('error', reject);
    request.end();
  });
}

it('stops on SIGTERM with a live view, a playback, an export and spare connections open, the last segment whole and indexed', async () => {
  dir = initDaemonDir();
  daemon = await startDaemon(dir.dataDir);
  const admin = await adminOf(daemon, dir.labelCode);
  camera = await startGstCamera({ codec: 'h264', transport: 'tcp' });
  const added = await admin.post('/api/v1/cameras', { name: 'Door', url: camera.url, transport: 'tcp' });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  const cameraId = added.body.camera.id as number;
  const segments = (): Recording[] => dir!.read().recordings.filter((r) => r.cameraId === cameraId);
  // The index is brought up to date every 3 s: two updates, so playback and export have something.
  await until(() => segments().reduce((sum, s) => sum + s.frames, 0) >= 4 * FPS, '4 s of video in the index', 45_000);
  const from = segments()[0]!.startMs;
  const range = `from=${from}&to=${from + 3_600_000}`;

  const live = await openMedia(admin, `/api/v1/cameras/${cameraId}/live`, true);
  const playback = await openMedia(admin, `/api/v1/cameras/${cameraId}/playback?${range}`, false);
  const download = await openMedia(admin, `/api/v1/cameras/${cameraId}/export.mp4?${range}`, false);
  const keepAlive = await idleKeepAlive(admin);
  const port = Number(new URL(daemon.url).port);
  const spare = connect(port, '127.0.0.1');
  sockets.push(spare, keepAlive);
  await new Promise((resolve) => spare.once('connect', resolve));
  const clientSockets = [live.socket, playback.socket, download.socket, keepAlive, spare];
  expect(clientSockets.every((s) => !s.closed)).toBe(true);
  const indexedBeforeStop = segments().reduce((sum, s) => sum + s.frames, 0);

  const began = performance.now();
  daemon.child.kill('SIGTERM');
  // A bound that only catches a hang (the stop used to take 70 s, or forever with a live view open).
  await until(() => daemon!.child.exitCode !== null || daemon!.child.signalCode !== null, 'the recorder to exit after SIGTERM', 30_000, { everyMs: 10 });
  const stopSeconds = (performance.now() - began) / 1000;
  console.log(`the recorder stopped ${stopSeconds.toFixed(2)} s after SIGTERM`);
  expect(daemon.child.exitCode).toBe(0);
  // Paused clients see the end once they read what reached them.
  for (const response of [playback.response, download.response]) response.resume();
  spare.resume();
  await Promise.all(clientSockets.map(closed));

  const stored = segments();
  expect(stored.length).toBeGreaterThan(0);
  expect(stored.every((s) => !s.open)).toBe(true);
  const last = stored.at(-1)!;
  // What was in memory at the stop reached the file and the index.
  expect(stored.reduce((sum, s) => sum + s.frames, 0)).toBeGreaterThan(indexedBeforeStop);
  const file = join(dir.dataDir, 'footage', last.path);
  expect(Number(probeVideo(file).nb_read_frames)).toBe(last.frames);
  expect(decodeErrors(file)).toBe('');
}, 120_000);
