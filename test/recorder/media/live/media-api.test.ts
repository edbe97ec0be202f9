// The media routes against a real recorder recording the simulated RTSP camera: live view,
// snapshot, timeline, playback and export, each checked per camera and audited.
import { until } from '../../../helpers/until.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMoof } from '../../../../src/media/mp4/fragmented.js';
import { readBoxHeader } from '../../../../src/media/mp4/box.js';
import { startSimulatedCameras, type SimulatedCameras } from '../../../../src/camera/stream/simulated-cameras.js';
import { CAMERA_ACTIONS } from '../../../../src/recorder/accounts/permissions.js';
import { activate, ApiClient, loggedInAdmin } from '../../../helpers/client.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, type TestRecorder } from '../../../helpers/recorder.js';
import { decodeErrors } from '../../../helpers/clips.js';

let rec: TestRecorder;
let cameras: SimulatedCameras;
let admin: ApiClient;
let cameraId: number;
let scratch: string;

/** Waits for the camera, which streams in real time, moving the recorder's manual clock along with it. */
const untilLive = <T>(condition: () => T | undefined | false | Promise<T | undefined | false>, what: string): Promise<T> =>
  until(condition, what, 30_000, { afterEachPoll: () => rec.clock.advance(0.1) });

type PerCamera = Record<string, string[]>;
const on = (id: number, actions: string[]): PerCamera => ({ [String(id)]: actions });

/** A viewer, logged in with a password of their own, with these grants and denials on top of the role. */
async function userWith(username: string, permissions: { cameras: PerCamera; denied?: PerCamera }): Promise<ApiClient> {
  const created = await admin.post('/api/v1/users', { username, role: 'viewer', permissions: { device: [], ...permissions } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const client = new ApiClient(rec.url);
  await client.login(username, created.body.oneTimePassword);
  await client.post('/api/v1/me/password', { currentPassword: created.body.oneTimePassword, newPassword: OTHER_STRONG_PASSWORD });
  return client;
}

/** GET with the client's session cookie, as the browser's media requests do; the body as raw bytes. */
async function getBytes(client: ApiClient | undefined, path: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const response = await fetch(rec.url + path, { headers: client?.cookie ? { cookie: client.cookie } : {} });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** The first bytes of a stream that does not end (live), then the connection is closed. */
async function firstBytes(client: ApiClient, path: string, atLeast: (bytes: Buffer) => boolean): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const abort = new AbortController();
  const response = await fetch(rec.url + path, { headers: { cookie: client.cookie! }, signal: abort.signal });
  const chunks: Buffer[] = [];
  if (response.status === 200) {
    const reader = response.body!.getReader();
    while (!atLeast(Buffer.concat(chunks))) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
    }
  }
  abort.abort();
  return { status: response.status, headers: response.headers, bytes: Buffer.concat(chunks) };
}

/** The top-level boxes of an MP4 byte stream, as far as they are whole. */
function topBoxes(bytes: Buffer): { type: string; body: Buffer }[] {
  const boxes: { type: string; body: Buffer }[] = [];
  for (let at = 0; ; ) {
    const header = readBoxHeader(bytes, at);
    if (!header || at + header.size > bytes.length) return boxes;
    boxes.push({ type: header.type, body: bytes.subarray(at, at + header.size) });
    at += header.size;
  }
}

async function auditTypes(type: string): Promise<number> {
  const res = await admin.get(`/api/v1/audit?type=${type}`);
  expect(res.status).toBe(200);
  return res.body.entries.filter((e: { target: string }) => e.target === `camera:${cameraId}`).length;
}

const ranges = async (client: ApiClient, from: number, to: number) => (await client.get(`/api/v1/cameras/${cameraId}/recordings?from=${from}&to=${to}`)).body.ranges as { start: string; end: string }[];

let startedAt: number;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'vigil-media-api-'));
  cameras = await startSimulatedCameras({ port: 0, source: 'clip' });
  rec = await startTestRecorder();
  await activate(rec);
  admin = await loggedInAdmin(rec);
  startedAt = rec.clock.now();
  const added = await admin.post('/api/v1/cameras', { name: 'Front door', url: cameras.cameras[0]!.url, transport: 'tcp' });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  cameraId = added.body.camera.id;
  // Enough recorded to play back and export a few seconds.
  await untilLive(() => rec.running.ctx.recordings.listAll().some((r) => r.cameraId === cameraId && r.frames >= 150), '6 s of recorded video');
}, 60_000);
afterAll(async () => {
  await rec?.close();
  await cameras?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('live view', () => {
  it('starts with the init segment (ftyp, moov) and then a fragment that starts with a keyframe; each view is audited', async () => {
    const before = await auditTypes('camera.live_viewed');
    const live = await firstBytes(admin, `/api/v1/cameras/${cameraId}/live`, (b) => topBoxes(b).length >= 4);
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toMatch(/^video\/mp4; codecs="avc1\.[0-9a-f]{6}"$/);
    const boxes = topBoxes(live.bytes);
    expect(boxes.slice(0, 4).map((b) => b.type)).toEqual(['ftyp', 'moov', 'moof', 'mdat']);
    expect(parseMoof(boxes[2]!.body).samples[0]!.keyframe).toBe(true);
    expect(await auditTypes('camera.live_viewed')).toBe(before + 1);
    // The viewer went away: the feed no longer writes to it.
    await untilLive(() => rec.running.ctx.live.feed(cameraId)!.subscriberCount === 0, 'the closed view to be unsubscribed');
  });

  it('the stream goes on: fragment after fragment, in decode order', async () => {
    const live = await firstBytes(admin, `/api/v1/cameras/${cameraId}/live`, (b) => topBoxes(b).filter((x) => x.type === 'moof').length >= 30);
    const times = topBoxes(live.bytes)
      .filter((b) => b.type === 'moof')
      .map((b) => parseMoof(b.body).baseMediaDecodeTime);
    expect(times.length).toBeGreaterThanOrEqual(30);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
  });

  it('a snapshot is a JPEG of the latest keyframe, at the camera size, and is audited', async () => {
    const before = await auditTypes('camera.snapshot_taken');
    const snap = await getBytes(admin, `/api/v1/cameras/${cameraId}/snapshot.jpg`);
    expect(snap.status).toBe(200);
    expect(snap.headers.get('content-type')).toBe('image/jpeg');
    const file = join(scratch, 'snapshot.jpg');
    writeFileSync(file, snap.bytes);
    const probed = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file], { encoding: 'utf8' })).streams[0];
    expect(probed).toMatchObject({ codec_name: 'mjpeg', width: 1280, height: 720 });
    expect(await auditTypes('camera.snapshot_taken')).toBe(before + 1);
  });
});

describe('snapshot budget', () => {
  it('each user may take 30 snapshots a minute (each starts ffmpeg); the next is a 429 with Retry-After, and another user is not held up', async () => {
    const busy = await userWith('busy-snapper', { cameras: {} });
    const path = `/api/v1/cameras/${cameraId}/snapshot.jpg`;
    // Six at a time: each waits on its own ffmpeg, and one after another took most of a minute on a busy machine.
    for (let batch = 0; batch < 5; batch++) {
      const taken = await Promise.all(Array.from({ length: 6 }, () => getBytes(busy, path)));
      for (const snapshot of taken) expect(snapshot.status).toBe(200);
    }
    const refused = await getBytes(busy, path);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await getBytes(admin, path)).status).toBe(200);
  }, 60_000);
});

describe('recorded video', () => {
  it('playback streams fMP4 from a keyframe, with the codec and the origin of its timeline; audited', async () => {
    const [range] = await ranges(admin, startedAt - 60_000, rec.clock.now() + 60_000);
    const from = Date.parse(range!.start) + 2000;
    const before = await auditTypes('camera.playback_viewed');
    const played = await getBytes(admin, `/api/v1/cameras/${cameraId}/playback?from=${new Date(from).toISOString()}&to=${from + 2000}`);
    expect(played.status).toBe(200);
    expect(played.headers.get('content-type')).toMatch(/^video\/mp4; codecs="avc1\./);
    expect(Number(played.headers.get('vigil-origin-ms'))).toBeLessThanOrEqual(from);
    const boxes = topBoxes(played.bytes);
    expect(boxes.slice(0, 3).map((b) => b.type)).toEqual(['ftyp', 'moov', 'moof']);
    expect(parseMoof(boxes[2]!.body).samples[0]!.keyframe).toBe(true);
    expect(await auditTypes('camera.playback_viewed')).toBe(before + 1);
  });

  it('an export is a standard MP4 that ffprobe accepts, of the range asked for (from its keyframe), named after the camera; audited', async () => {
    const [range] = await ranges(admin, startedAt - 60_000, rec.clock.now() + 60_000);
    const from = Date.parse(range!.start) + 1000;
    const to = from + 3000;
    const before = await auditTypes('camera.exported');
    const exported = await getBytes(admin, `/api/v1/cameras/${cameraId}/export.mp4?from=${from}&to=${to}`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('video/mp4');
    expect(Number(exported.headers.get('content-length'))).toBe(exported.bytes.length);
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="vigil-front-door-\d{8}-\d{6}Z\.mp4"$/);
    const file = join(scratch, 'export.mp4');
    writeFileSync(file, exported.bytes);
    const format = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file], { encoding: 'utf8' }));
    expect(format.format.format_name).toContain('mp4');
    expect(format.streams[0]).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
    // From the keyframe at or before `from` (the clip has one every 2 s at most) to `to`.
    const duration = Number(format.format.duration);
    expect(duration).toBeGreaterThanOrEqual(2.9);
    expect(duration).toBeLessThanOrEqual(3 + 2 + 0.1);
    expect(decodeErrors(file)).toBe('');
    expect(await auditTypes('camera.exported')).toBe(before + 1);
  });

  it('playback start: request to the first fragment bytes, over 30 requests (the median is reported, not asserted)', async () => {
    const [range] = await ranges(admin, startedAt - 60_000, rec.clock.now() + 60_000);
    const start = Date.parse(range!.start);
    const span = Date.parse(range!.end) - start - 2000;
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const from = start + Math.round((span * i) / 30);
      const began = performance.now();
      const first = await firstBytes(admin, `/api/v1/cameras/${cameraId}/playback?from=${from}&to=${from + 60_000}`, (b) => topBoxes(b).some((x) => x.type === 'moof'));
      times.push(performance.now() - began);
      expect(topBoxes(first.bytes).map((b) => b.type).slice(0, 3)).toEqual(['ftyp', 'moov', 'moof']);
    }
    times.sort((a, b) => a - b);
    console.log(`playback start over ${times.length} requests: p50 ${times[15]!.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`);
  });

  it('bad ranges are a 400 and ranges with nothing recorded a 416, never a 500', async () => {
    const base = `/api/v1/cameras/${cameraId}`;
    const now = rec.clock.now();
    const cases: [string, number, string][] = [
      [`${base}/playback?from=${now}&to=${now}`, 400, 'empty_range'],
      [`${base}/playback?from=${now}&to=${now - 1}`, 400, 'empty_range'],
      [`${base}/export.mp4?from=${now - 7_200_000}&to=${now}`, 400, 'range_too_long'],
      [`${base}/recordings?from=yesterday&to=${now}`, 400, 'invalid_request'],
      [`${base}/recordings?from=2026-13-45T99:00:00Z&to=${now}`, 400, 'invalid_time'],
      [`${base}/playback?from=${now}`, 400, 'invalid_request'],
      [`${base}/playback?from=1000&to=2000`, 416, 'nothing_recorded'],
      [`${base}/export.mp4?from=1000&to=2000`, 416, 'nothing_recorded'],
    ];
    for (const [path, status, code] of cases) {
      const res = await admin.get(path);
      expect([path, res.status, res.body.error?.code]).toEqual([path, status, code]);
    }
  });

  it('the timeline shows a gap while the camera was disconnected', async () => {
    const from = startedAt - 60_000;
    expect(await ranges(admin, from, rec.clock.now() + 60_000)).toHaveLength(1);
    cameras.disconnect('cam1');
    await untilLive(async () => (await admin.get(`/api/v1/cameras/${cameraId}`)).body.status.state !== 'online', 'the camera to be lost');
    // The segment is closed at the gap. Its end follows the camera's clock, which runs ahead of the
    // manual one while other tests do not move it: the camera comes back 5 s after that end.
    const segments = () => rec.running.ctx.recordings.listAll().filter((r) => r.cameraId === cameraId);
    await untilLive(() => segments().every((r) => !r.open), 'the segment to be closed');
    const lastEnd = Math.max(...segments().map((r) => r.endMs));
    rec.clock.advance(Math.max(0, lastEnd - rec.clock.now()) / 1000 + 5);
    cameras.reconnect('cam1');
    const after = await untilLive(async () => {
      const now = await ranges(admin, from, rec.clock.now() + 60_000);
      return now.length === 2 && Date.parse(now[1]!.end) - Date.parse(now[1]!.start) >= 1000 && now;
    }, 'a second recorded range');
    expect(Date.parse(after[1]!.start)).toBeGreaterThan(Date.parse(after[0]!.end));
  }, 60_000);
});

describe('permissions on every media route', () => {
  /** `at`: a time that was recorded. */
  const routes = (id: number, at: number) => ({
    live: `/api/v1/cameras/${id}/live`,
    snapshot: `/api/v1/cameras/${id}/snapshot.jpg`,
    recordings: `/api/v1/cameras/${id}/recordings?from=${at - 60_000}&to=${at + 60_000}`,
    events: `/api/v1/cameras/${id}/events?from=${at - 60_000}&to=${at + 60_000}`,
    playback: `/api/v1/cameras/${id}/playback?from=${at}&to=${at + 2000}`,
    export: `/api/v1/cameras/${id}/export.mp4?from=${at}&to=${at + 2000}`,
  });
  const recordedTime = async () => Date.parse((await ranges(admin, startedAt - 60_000, rec.clock.now() + 60_000))[0]!.start) + 1000;
  const statusOf = async (client: ApiClient | undefined, path: string) =>
    (path.endsWith('/live') && client ? await firstBytes(client, path, (b) => b.length > 0) : await getBytes(client, path)).status;

  // Viewers may watch and play back every camera (their role); export is granted per camera. No
  // role lacks live or playback on a camera it can see, so those 403s are the access layer's
  // (routes-declare-access.test.ts), declared per route there.
  it('export answers 403 to a viewer without it on this camera, and 200 once it is granted on this camera', async () => {
    const at = await recordedTime();
    const viewer = await userWith('viewer-elsewhere', { cameras: on(cameraId + 1, ['export']) });
    const granted = await userWith('viewer-here', { cameras: on(cameraId, ['export']) });
    for (const [route, path] of Object.entries(routes(cameraId, at))) {
      expect([route, await statusOf(viewer, path)]).toEqual([route, route === 'export' ? 403 : 200]);
      expect([route, await statusOf(granted, path)]).toEqual([route, 200]);
    }
  });

  it('a camera that does not exist is 404 on every route; without a session every route is 401', async () => {
    const at = await recordedTime();
    for (const path of Object.values(routes(cameraId + 100, at))) expect([path, await statusOf(admin, path)]).toEqual([path, 404]);
    for (const path of Object.values(routes(cameraId, at))) expect([path, await statusOf(undefined, path)]).toEqual([path, 401]);
  });

  it('a viewer restricted to one camera (every action denied on the other) lists only it and gets 404 from every route of the other; lifting the denial counts at once in the same session', async () => {
    const at = await recordedTime();
    const added = await admin.post('/api/v1/cameras', { name: 'Back door', url: 'rtsp://192.0.2.10/stream', transport: 'tcp', enabled: false });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const otherId: number = added.body.camera.id;
    const exportHere = on(cameraId, ['export']);
    const viewer = await userWith('viewer-of-one', { cameras: exportHere, denied: on(otherId, [...CAMERA_ACTIONS]) });
    const listed = async () => ((await viewer.get('/api/v1/cameras')).body.cameras as { id: number }[]).map((c) => c.id);
    const everyRoute = (id: number) => ({ camera: `/api/v1/cameras/${id}`, ...routes(id, at) });

    expect(await listed()).toEqual([cameraId]);
    for (const [route, path] of Object.entries(everyRoute(otherId))) expect([route, await statusOf(viewer, path)]).toEqual([route, 404]);
    for (const [route, path] of Object.entries(everyRoute(cameraId))) expect([route, await statusOf(viewer, path)]).toEqual([route, 200]);

    const { id: userId } = ((await admin.get('/api/v1/users')).body.users as { id: number; username: string }[]).find((u) => u.username === 'viewer-of-one')!;
    expect((await admin.request('PATCH', `/api/v1/users/${userId}`, { permissions: { device: [], cameras: exportHere, denied: {} } })).status).toBe(200);

    // The same session, at once: the camera is back with what the role gives (export was granted on the first camera only).
    expect(await listed()).toEqual([cameraId, otherId]);
    expect((await viewer.get(`/api/v1/cameras/${otherId}`)).body.permissions).toEqual(['live', 'playback']);
    expect(await statusOf(viewer, everyRoute(otherId).recordings)).toBe(200);
    expect(await statusOf(viewer, everyRoute(otherId).export)).toBe(403);
    expect((await admin.delete(`/api/v1/cameras/${otherId}`)).status).toBe(200);
  });
});
