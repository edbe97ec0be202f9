// The camera list over HTTP against a real recorder whose cameras are in-process (a real
// VideoStream object per connection, fed by the test: no RTSP peer exists in this branch yet).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRecorderApp } from '../../src/recorder/http/app.js';
import { auditCameraAccess } from '../../src/recorder/http/camera-audit.js';
import { ApiClient, activate, loggedInAdmin } from '../helpers/client.js';
import { InProcessCameras } from '../helpers/in-process-camera.js';
import { FACTORY_RESET_PHRASE } from '../../src/recorder/recovery/reset-phrases.js';
import { OTHER_STRONG_PASSWORD, STRONG_PASSWORD, startTestRecorder, type TestRecorder } from '../helpers/recorder.js';

/** The gate camera's password: recognisable, so a leak anywhere is found. */
const SECRET = 'Camera-SECRET-q8w3 marmalade';
const BURST = { count: 60, fps: 25, bytes: 2_500 };

let rec: TestRecorder;
let admin: ApiClient;
const cameras = new InProcessCameras(
  { now: () => rec.clock.now() },
  {
    'gate.cam': { login: { username: 'admin', password: SECRET }, burst: BURST },
    'yard.cam': { codec: 'h265', burst: BURST },
    'moved.cam': { burst: BURST },
  },
);
/** Every body the recorder answered with: none may hold the password. */
const bodies: string[] = [];

async function call(client: ApiClient, method: string, path: string, body?: unknown) {
  const res = await client.request(method, path, body);
  bodies.push(JSON.stringify(res.body));
  return res;
}

async function userWith(username: string, permissions: object): Promise<{ client: ApiClient; id: number }> {
  const created = await call(admin, 'POST', '/api/v1/users', { username, role: 'viewer', permissions });
  const client = new ApiClient(rec.url);
  await client.login(username, created.body.oneTimePassword);
  await client.post('/api/v1/me/password', { currentPassword: created.body.oneTimePassword, newPassword: OTHER_STRONG_PASSWORD });
  return { client, id: created.body.user.id };
}

function rawDatabaseBytes(): Buffer {
  const files = ['vigil.db', 'vigil.db-wal'].map((f) => join(rec.dataDir, f)).filter((f) => existsSync(f));
  return Buffer.concat(files.map((f) => readFileSync(f)));
}

let gateId: number;
let yardId: number;

beforeAll(async () => {
  rec = await startTestRecorder({ cameraConnect: cameras.connect });
  await activate(rec);
  admin = await loggedInAdmin(rec);
});
afterAll(async () => {
  await rec?.close();
});

describe('adding cameras', () => {
  it('credentials pasted into the address are split out; the camera is probed and saved without them', async () => {
    const res = await call(admin, 'POST', '/api/v1/cameras', { name: 'Gate', url: `rtsp://admin:${encodeURIComponent(SECRET)}@gate.cam:554/stream1` });
    expect(res.status).toBe(201);
    gateId = res.body.camera.id;
    expect(res.body.camera).toMatchObject({
      name: 'Gate',
      url: 'rtsp://gate.cam:554/stream1',
      username: 'admin',
      passwordSet: true,
      transport: 'tcp',
      enabled: true,
      // 51 frames over 2 s at 25 fps, 2 500 bytes each (the last frame's bytes are not counted).
      probe: { codec: 'h264', fps: 25, bitrate: 500_000, probedAt: new Date(rec.clock.now()).toISOString() },
    });
    expect(res.body.probe).toEqual({ ok: true, result: { codec: 'h264', fps: 25, bitrate: 500_000 } });
    expect(cameras.attempts.at(-1)).toMatchObject({ url: 'rtsp://gate.cam:554/stream1', username: 'admin', password: SECRET });
  });

  it('with the fields, UDP, and no login: H.265', async () => {
    const res = await call(admin, 'POST', '/api/v1/cameras', { name: 'Yard', url: 'rtsp://yard.cam/h265', username: '', transport: 'udp' });
    expect(res.status).toBe(201);
    yardId = res.body.camera.id;
    expect(res.body.camera).toMatchObject({ username: null, passwordSet: false, transport: 'udp', probe: { codec: 'h265' } });
  });

  it('a camera that cannot be reached is added anyway, and the answer says why the probe failed', async () => {
    const res = await call(admin, 'POST', '/api/v1/cameras', { name: 'Far', url: 'rtsp://nowhere.cam/s', enabled: false });
    expect(res.status).toBe(201);
    expect(res.body.probe).toEqual({ ok: false, problem: 'unreachable', message: expect.stringMatching(/could not be reached/) });
    expect(res.body.camera).toMatchObject({ probe: null, enabled: false, status: { state: 'disabled' } });
    expect((await call(admin, 'DELETE', `/api/v1/cameras/${res.body.camera.id}`)).status).toBe(200);
  });

  it.each([
    [{ name: 'X', url: 'http://gate.cam/s' }, 'invalid_camera_url', /rtsp:\/\//],
    [{ name: 'X', url: 'gate.cam/s' }, 'invalid_camera_url', /not a valid address/],
    [{ name: 'X', url: 'rtsp://gate.cam/a b' }, 'invalid_camera_url', /spaces/],
    [{ name: 'X', url: 'rtsp:///s' }, 'invalid_camera_url', /host|valid/],
    [{ name: '', url: 'rtsp://gate.cam/s' }, 'invalid_request', /name/],
    [{ name: '  ', url: 'rtsp://gate.cam/s' }, 'invalid_request', /name/],
    [{ name: 'X\n', url: 'rtsp://gate.cam/s' }, 'invalid_request', /name/],
    [{ name: 'X', url: 'rtsp://gate.cam/s', transport: 'http' }, 'invalid_request', /transport/],
    [{ name: 'X', url: 'rtsp://gate.cam/s', passwordSealed: 'x' }, 'invalid_request', /additional/],
    [{ name: 'X', url: `rtsp://gate.cam/${'a'.repeat(2100)}` }, 'invalid_request', /url/],
  ])('refuses %j', async (body, code, message) => {
    const res = await call(admin, 'POST', '/api/v1/cameras', body);
    expect([res.status, res.body.error.code]).toEqual([400, code]);
    expect(res.body.error.message).toMatch(message);
  });
});

describe('status', () => {
  it('each enabled camera has a supervisor: online, with the time of its last frame and its bitrate', async () => {
    // One stream each for the probes, one each for the supervisors.
    await cameras.opened(4);
    const res = await call(admin, 'GET', `/api/v1/cameras/${gateId}`);
    expect(res.status).toBe(200);
    expect(res.body.status).toMatchObject({ state: 'online', lastFrameAt: new Date(rec.clock.now()).toISOString(), problem: null, retryAt: null });
    expect(res.body.status.bitrate).toBeGreaterThan(0);
    expect(res.body.permissions).toEqual(['live', 'playback', 'export', 'ptz', 'configure']);
  });

  it('the list has every camera with its status', async () => {
    const res = await call(admin, 'GET', '/api/v1/cameras');
    expect(res.body.cameras.map((c: { id: number; status: { state: string } }) => [c.id, c.status.state])).toEqual([
      [gateId, 'online'],
      [yardId, 'online'],
    ]);
  });
});

describe('editing', () => {
  it('the password is write-only: absent keeps it, a new path on the same host keeps it', async () => {
    let res = await call(admin, 'PATCH', `/api/v1/cameras/${gateId}`, { name: 'Front gate' });
    expect(res.body.camera).toMatchObject({ name: 'Front gate', passwordSet: true });
    expect(res.body.probe).toBeUndefined(); // nothing about how it is reached changed
    res = await call(admin, 'PATCH', `/api/v1/cameras/${gateId}`, { url: 'rtsp://gate.cam/stream2' });
    expect(res.body.camera).toMatchObject({ url: 'rtsp://gate.cam/stream2', passwordSet: true });
    expect(res.body.probe).toMatchObject({ ok: true });
  });

  it('a wrong password: the probe and the status say the camera refused it', async () => {
    const next = cameras.streams.length;
    const res = await call(admin, 'PATCH', `/api/v1/cameras/${gateId}`, { password: 'not it' });
    expect(res.body.probe).toEqual({ ok: false, problem: 'unauthorized', message: expect.stringMatching(/user name or password/) });
    expect(res.body.camera.probe).toBeNull();
    expect(cameras.streams.length).toBe(next);
    const status = (await call(admin, 'GET', `/api/v1/cameras/${gateId}`)).body.status;
    expect(['connecting', 'offline']).toContain(status.state);
    const put = await call(admin, 'PATCH', `/api/v1/cameras/${gateId}`, { password: SECRET });
    expect(put.body.probe).toMatchObject({ ok: true });
  });

  it('moving the camera to another host without a new password drops the stored one', async () => {
    let res = await call(admin, 'PATCH', `/api/v1/cameras/${yardId}`, { password: SECRET });
    expect(res.body.camera.passwordSet).toBe(true);
    res = await call(admin, 'PATCH', `/api/v1/cameras/${yardId}`, { url: 'rtsp://moved.cam/h265' });
    expect(res.body.camera).toMatchObject({ url: 'rtsp://moved.cam/h265', passwordSet: false });
    expect(cameras.attempts.at(-1)).not.toHaveProperty('password');
    res = await call(admin, 'PATCH', `/api/v1/cameras/${yardId}`, { password: 'another' });
    expect(res.body.camera.passwordSet).toBe(true);
    res = await call(admin, 'PATCH', `/api/v1/cameras/${yardId}`, { password: null });
    expect(res.body.camera.passwordSet).toBe(false);
  });

  it('an unknown camera is a 404; a bad body a 400', async () => {
    expect((await call(admin, 'PATCH', '/api/v1/cameras/9999', { name: 'x' })).body.error.code).toBe('camera_not_found');
    expect((await call(admin, 'PATCH', `/api/v1/cameras/${gateId}`, {})).status).toBe(400);
    expect((await call(admin, 'PATCH', `/api/v1/cameras/${gateId}`, { url: 'rtsp://' })).body.error.code).toBe('invalid_camera_url');
  });
});

describe('probing before adding', () => {
  it('says codec, frame rate and bitrate', async () => {
    const res = await call(admin, 'POST', '/api/v1/cameras/probe', { url: 'rtsp://yard.cam/h265', transport: 'udp' });
    expect(res.body).toEqual({ ok: true, result: { codec: 'h265', fps: 25, bitrate: 500_000 } });
  });

  it('with credentials in the address, as when adding', async () => {
    const res = await call(admin, 'POST', '/api/v1/cameras/probe', { url: `rtsp://admin:${encodeURIComponent(SECRET)}@gate.cam/s` });
    expect(res.body.ok).toBe(true);
  });

  it('or why not, in plain words', async () => {
    expect((await call(admin, 'POST', '/api/v1/cameras/probe', { url: 'rtsp://nowhere.cam/s' })).body).toEqual({
      ok: false,
      problem: 'unreachable',
      message: expect.stringMatching(/could not be reached/),
    });
    expect((await call(admin, 'POST', '/api/v1/cameras/probe', { url: 'rtsp://gate.cam/s', username: 'admin', password: 'guess' })).body.problem).toBe('unauthorized');
    expect((await call(admin, 'POST', '/api/v1/cameras/probe', { url: 'ftp://gate.cam/s' })).body.error.code).toBe('invalid_camera_url');
  });

  it('an edit is probed with the stored password while it stays, and without it once the camera moves to another host', async () => {
    const probe = (body?: object) => call(admin, 'POST', `/api/v1/cameras/${gateId}/probe`, body);
    expect((await probe({})).body).toMatchObject({ ok: true, result: { codec: 'h264' } });
    expect(cameras.attempts.at(-1)).toMatchObject({ username: 'admin', password: SECRET });
    expect((await probe({ url: 'rtsp://gate.cam/other-path', transport: 'udp' })).body.ok).toBe(true);
    expect(cameras.attempts.at(-1)).toMatchObject({ url: 'rtsp://gate.cam/other-path', transport: 'udp', password: SECRET });
    expect((await probe({ url: 'rtsp://gate.cam:8554/s' })).body.problem).toBe('unauthorized'); // another port: another server
    expect(cameras.attempts.at(-1)).not.toHaveProperty('password');
    expect((await probe({ password: null })).body.problem).toBe('unauthorized');
    expect((await probe({ url: 'rtsp://' })).body.error.code).toBe('invalid_camera_url');
    const noBody = await admin.request('POST', `/api/v1/cameras/${gateId}/probe`);
    expect(noBody.status).toBe(400);
    expect((await call(admin, 'POST', '/api/v1/cameras/9999/probe', {})).status).toBe(404);
    // Nothing was saved.
    expect((await call(admin, 'GET', `/api/v1/cameras/${gateId}`)).body).toMatchObject({ url: 'rtsp://gate.cam/stream2', transport: 'tcp', passwordSet: true });
  });

  it('each user has a budget of probes: each one makes the recorder connect where the user says', async () => {
    const prober = await userWith('pat', { device: ['settings'], cameras: {} });
    const probe = () => call(prober.client, 'POST', '/api/v1/cameras/probe', { url: 'rtsp://nowhere.cam/s' });
    for (let i = 0; i < 30; i++) expect((await probe()).status).toBe(200);
    const refused = await probe();
    expect([refused.status, refused.body.error.code, refused.headers.get('retry-after')]).toEqual([429, 'too_many_requests', '60']);
    expect((await call(admin, 'POST', '/api/v1/cameras/probe', { url: 'rtsp://nowhere.cam/s' })).status).toBe(200); // another user's budget
    rec.clock.advance(60);
    expect((await probe()).status).toBe(200);
    await call(admin, 'DELETE', `/api/v1/users/${prober.id}`);
  });
});

describe('permissions per camera', () => {
  let viewer: { client: ApiClient; id: number };

  beforeAll(async () => {
    viewer = await userWith('vic', { device: [], cameras: {} });
  });

  it('a viewer sees every camera (live and playback come with the role) and may change none', async () => {
    const list = await call(viewer.client, 'GET', '/api/v1/cameras');
    expect(list.body.cameras.map((c: { id: number; permissions: string[] }) => [c.id, c.permissions])).toEqual([
      [gateId, ['live', 'playback']],
      [yardId, ['live', 'playback']],
    ]);
    // The address and login are configuration: not shown to whoever may not configure the camera.
    expect(list.body.cameras[0]).not.toHaveProperty('url');
    expect(list.body.cameras[0]).not.toHaveProperty('username');
    expect(list.body.cameras[0]).toMatchObject({ name: 'Front gate', status: { state: expect.any(String) } });
    const refused = await call(viewer.client, 'PATCH', `/api/v1/cameras/${gateId}`, { name: 'Mine' });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    expect((await call(viewer.client, 'DELETE', `/api/v1/cameras/${gateId}`)).status).toBe(403);
    expect((await call(viewer.client, 'POST', '/api/v1/cameras', { name: 'X', url: 'rtsp://yard.cam/s' })).status).toBe(403);
    expect((await call(viewer.client, 'POST', '/api/v1/cameras/probe', { url: 'rtsp://yard.cam/s' })).status).toBe(403);
    expect((await call(viewer.client, 'POST', `/api/v1/cameras/${gateId}/probe`, {})).status).toBe(403);
  });

  it('a viewer given no camera gets an empty list that says cameras are hidden; one who sees them all is told none is', async () => {
    expect((await call(viewer.client, 'GET', '/api/v1/cameras')).body.othersHidden).toBe(false);
    const shut = await userWith('shut-out', { device: [], cameras: {}, denied: { [String(gateId)]: ['live', 'playback'], [String(yardId)]: ['live', 'playback'] } });
    expect((await call(shut.client, 'GET', '/api/v1/cameras')).body).toEqual({ cameras: [], othersHidden: true });
    expect((await call(admin, 'GET', '/api/v1/cameras')).body.othersHidden).toBe(false);
    await call(admin, 'DELETE', `/api/v1/users/${shut.id}`);
  });

  it('a camera that does not exist is a 404, never a 403', async () => {
    for (const path of ['/api/v1/cameras/9999', '/api/v1/cameras/0', '/api/v1/cameras/abc']) {
      const res = await call(viewer.client, 'GET', path);
      expect([res.status, res.body.error.code], path).toEqual([404, 'camera_not_found']);
    }
    expect((await call(viewer.client, 'PATCH', '/api/v1/cameras/9999', { name: 'x' })).status).toBe(404);
  });

  it('configure granted on one camera: that one may be changed, the other not; the next request follows a grant change', async () => {
    await call(admin, 'PATCH', `/api/v1/users/${viewer.id}`, { permissions: { device: [], cameras: { [String(gateId)]: ['configure'] } } });
    expect((await call(viewer.client, 'PATCH', `/api/v1/cameras/${gateId}`, { name: 'Gate' })).status).toBe(200);
    expect((await call(viewer.client, 'PATCH', `/api/v1/cameras/${yardId}`, { name: 'Mine' })).status).toBe(403);
    const one = await call(viewer.client, 'GET', `/api/v1/cameras/${gateId}`);
    expect(one.body).toMatchObject({ permissions: ['live', 'playback', 'configure'], url: 'rtsp://gate.cam/stream2' });
    await call(admin, 'PATCH', `/api/v1/users/${viewer.id}`, { permissions: { device: [], cameras: {} } });
    expect((await call(viewer.client, 'PATCH', `/api/v1/cameras/${gateId}`, { name: 'Gate' })).status).toBe(403);
  });

  it('the device settings permission adds cameras', async () => {
    await call(admin, 'PATCH', `/api/v1/users/${viewer.id}`, { permissions: { device: ['settings'], cameras: {} } });
    const res = await call(viewer.client, 'POST', '/api/v1/cameras', { name: 'Shed', url: 'rtsp://yard.cam/shed', enabled: false });
    expect(res.status).toBe(201);
    expect((await call(admin, 'DELETE', `/api/v1/cameras/${res.body.camera.id}`)).status).toBe(200);
  });

  it('a media route records each view with auditCameraAccess after its camera check', async () => {
    const app = await buildRecorderApp(rec.running.ctx);
    try {
      app.get<{ Params: { id: string } }>('/api/v1/cameras/:id/live-thing', { config: { access: { cameraPermission: 'live' } } }, async (request) => {
        auditCameraAccess(rec.running.ctx, request, Number(request.params.id), 'live', { stream: 'main' });
        return { ok: true };
      });
      await app.ready();
      const res = await app.inject({ method: 'GET', url: `/api/v1/cameras/${yardId}/live-thing`, headers: { cookie: viewer.client.cookie! } });
      expect(res.json()).toEqual({ ok: true });
      const [entry] = rec.running.ctx.audit.query({ type: 'camera.live_viewed', limit: 1 });
      expect(entry).toMatchObject({ actorUsername: 'vic', target: `camera:${yardId}`, outcome: 'success' });
      expect(JSON.parse(entry!.details)).toEqual({ stream: 'main' });
    } finally {
      await app.close();
    }
  });
});

describe('removing', () => {
  it('keeps the footage and says so; the id is never given to another camera', async () => {
    const added = await call(admin, 'POST', '/api/v1/cameras', { name: 'Temp', url: 'rtsp://yard.cam/temp' });
    const id = added.body.camera.id as number;
    const res = await call(admin, 'DELETE', `/api/v1/cameras/${id}`);
    expect(res.body).toEqual({ removed: true, footageKept: true, message: expect.stringMatching(/recordings are kept/) });
    expect((await call(admin, 'GET', `/api/v1/cameras/${id}`)).status).toBe(404);
    expect((await call(admin, 'DELETE', `/api/v1/cameras/${id}`)).status).toBe(404);
    const next = await call(admin, 'POST', '/api/v1/cameras', { name: 'Temp 2', url: 'rtsp://yard.cam/temp', enabled: false });
    expect(next.body.camera.id).toBeGreaterThan(id);
    await call(admin, 'DELETE', `/api/v1/cameras/${next.body.camera.id}`);
  });
});

describe('the password stays secret', () => {
  it('is audited by name only: added, updated (which fields), removed', async () => {
    const entries = rec.running.ctx.audit.query({ limit: 500 }).filter((e) => e.type.startsWith('camera.'));
    expect(new Set(entries.map((e) => e.type))).toEqual(new Set(['camera.added', 'camera.updated', 'camera.removed', 'camera.live_viewed']));
    const added = entries.find((e) => e.type === 'camera.added' && e.target === `camera:${gateId}`)!;
    expect(JSON.parse(added.details)).toEqual({ name: 'Gate', host: 'rtsp://gate.cam:554', transport: 'tcp', enabled: true, passwordSet: true });
    const passwordChange = entries.find((e) => e.type === 'camera.updated' && JSON.parse(e.details).changed === 'password');
    expect(passwordChange).toBeDefined();
  });

  it('is in no response, no log line, no audit entry (nor its CSV export), and not in the database file', async () => {
    const csv = await admin.request('GET', '/api/v1/audit/export.csv');
    for (const text of [...bodies, rec.logs.join('\n'), JSON.stringify(rec.running.ctx.audit.query({ limit: 1000 })), String(csv.body)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(encodeURIComponent(SECRET));
    }
    const raw = rawDatabaseBytes();
    expect(raw.includes(Buffer.from(SECRET, 'utf8'))).toBe(false);
    expect(raw.includes(Buffer.from('rtsp://gate.cam', 'utf8'))).toBe(true); // the search does see plain text
  });

  it('survives a restart: the supervisor opens it again and connects with it', async () => {
    const before = cameras.attempts.length;
    const bothOpened = cameras.opened(cameras.streams.length + 2); // gate and yard, the enabled cameras
    await rec.restart();
    admin = await loggedInAdmin(rec);
    await bothOpened;
    const gateAttempts = cameras.attempts.slice(before).filter((a) => a.url.includes('gate.cam'));
    expect(gateAttempts.at(-1)).toMatchObject({ username: 'admin', password: SECRET });
  });

  it('a factory reset erases the cameras and stops them; passwords stored after it, under the new key, still open after a restart', async () => {
    const reset = await call(admin, 'POST', '/api/v1/device/factory-reset', { confirm: FACTORY_RESET_PHRASE, currentPassword: STRONG_PASSWORD });
    expect(reset.status).toBe(200);
    const ctx = rec.running.ctx;
    await ctx.cameraSupervisors.sync(ctx.cameras.list()); // queued behind the reset's own
    expect(ctx.cameras.list()).toEqual([]);
    expect(ctx.cameraSupervisors.status(gateId).state).toBe('disabled');

    await activate(rec);
    admin = await loggedInAdmin(rec);
    const added = await call(admin, 'POST', '/api/v1/cameras', { name: 'Gate', url: 'rtsp://gate.cam/s', username: 'admin', password: SECRET });
    expect(added.body.probe.ok).toBe(true);
    const before = cameras.attempts.length;
    const opened = cameras.opened(cameras.streams.length + 1);
    await rec.restart();
    await opened;
    expect(cameras.attempts.slice(before).at(-1)).toMatchObject({ url: 'rtsp://gate.cam/s', username: 'admin', password: SECRET });
  });
});
