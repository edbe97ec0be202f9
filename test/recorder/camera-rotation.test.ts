// Keeping and rotating cameras' own passwords: a real recorder over HTTP rotates the passwords of
// real `vigil camera`s (ONVIF SetUser, then a login with the new one), one or all at once, on its
// schedule (its clock and timers moved by the test), and keeps a working password when a camera
// refuses the new one or dies between the set and the verification.
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startVigilCamera } from '../../src/camera/vigil-camera.js';
import { evaluatePassword } from '../../src/identity/passwords/policy.js';
import { OnvifClient, OnvifError } from '../../src/media/onvif/onvif-client.js';
import { openCameraPassword } from '../../src/recorder/media/cameras/camera-secrets.js';
import { PENDING_RETRY_MS, SETTLE_AFTER_MS } from '../../src/recorder/media/cameras/password-change-policy.js';
import { ManualClock } from '../../src/shared/clock.js';
import { ApiClient, activate as activateRecorder, loggedInAdmin } from '../helpers/client.js';
import { ManualTimers } from '../helpers/manual-timers.js';
import { STRONG_PASSWORD, startTestRecorder, type TestRecorder } from '../helpers/recorder.js';
import { activate, ADMIN_PASSWORD, type CameraFixture, startCameraFixture } from '../camera/camera-fixture.js';

const DAY_S = 86_400;

let cacheDir: string;
let rec: TestRecorder;
let timers: ManualTimers;
let admin: ApiClient;
/** Every answer the recorder gave, and every password a camera had: none may appear in another. */
const answers: string[] = [];
const passwords = new Set<string>([ADMIN_PASSWORD]);
const fixtures: CameraFixture[] = [];
const proxies: Server[] = [];

async function call(method: string, path: string, body?: unknown) {
  const res = await admin.request(method, path, body);
  answers.push(JSON.stringify(res.body));
  return res;
}

const deviceUrlOf = (fixture: CameraFixture) => `${fixture.camera.httpUrl}/onvif/device_service`;

/** An active camera the recorder adds by ONVIF (so it knows where to change its password). */
async function addedCamera(name: string, deviceUrl?: (fixture: CameraFixture) => string) {
  const fixture = await startCameraFixture(cacheDir);
  fixtures.push(fixture);
  expect((await activate(fixture)).status).toBe(200);
  const res = await call('POST', '/api/v1/cameras/onvif', { name, deviceUrl: (deviceUrl ?? deviceUrlOf)(fixture), username: 'admin', password: ADMIN_PASSWORD });
  expect(res.status).toBe(201);
  return { fixture, id: res.body.camera.id as number };
}

/**
 * An active camera the recorder reaches through an HTTP proxy to its ONVIF service; the first SetUser
 * goes to `onSetUser` (which may forward it to the camera, now or later) and its answer never reaches
 * the recorder: the connection is cut. Everything else passes through.
 */
async function cameraBehindProxy(name: string, onSetUser: (forward: () => Promise<void>) => Promise<void>) {
  let target = '';
  let setUserSeen = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString();
      const forward = () => fetch(target + req.url, { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body });
      try {
        if (!setUserSeen && body.includes('SetUser>')) {
          setUserSeen = true;
          await onSetUser(async () => void (await (await forward()).text()));
          req.socket.destroy();
          return;
        }
        const answer = await forward();
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/soap+xml' }).end(await answer.text());
      } catch {
        req.socket.destroy();
      }
    });
  });
  proxies.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/onvif/device_service`;
  return addedCamera(name, (fixture) => {
    target = fixture.camera.httpUrl;
    return proxyUrl;
  });
}

/** The password the recorder holds for a camera, opened as the recorder opens it. */
function storedPassword(id: number): string {
  const ctx = rec.running.ctx;
  const password = openCameraPassword(ctx.settingsKey, ctx.cameras.get(id)!)!;
  passwords.add(password);
  return password;
}

/** Whether the camera itself takes a password: asked by a client of the test's own. */
async function cameraTakes(fixture: CameraFixture, password: string): Promise<boolean> {
  const client = new OnvifClient(deviceUrlOf(fixture), { timeoutMs: 5000, now: () => Date.now() });
  try {
    await client.deviceInformation({ username: 'admin', password });
    return true;
  } catch (error) {
    if (error instanceof OnvifError && error.kind === 'unauthorized') return false;
    throw error;
  }
}

async function finishedJob(jobId: string) {
  await rec.running.ctx.cameraRotations.settled();
  const res = await call('GET', `/api/v1/cameras/password-rotation/jobs/${jobId}`);
  expect(res.status).toBe(200);
  expect(res.body.job.finishedAt).not.toBeNull();
  return res.body.job;
}

/** The recorder's stream of the camera is open again (its supervisor restarted with the kept password). */
async function recording(id: number) {
  await vi.waitFor(async () => expect((await call('GET', `/api/v1/cameras/${id}`)).body.status.state).toBe('online'), { timeout: 15_000, interval: 100 });
}

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'vigil-camera-clip-'));
  const clock = new ManualClock(Date.now());
  timers = new ManualTimers(clock);
  rec = await startTestRecorder({ clock, timers });
  await activateRecorder(rec);
  admin = await loggedInAdmin(rec);
}, 60_000);

afterAll(async () => {
  await Promise.all(proxies.map((p) => new Promise((resolve) => p.close(resolve))));
  await rec?.close();
  await Promise.all(fixtures.map((f) => f.close()));
  await rm(cacheDir, { recursive: true, force: true });
});

let gate: { fixture: CameraFixture; id: number };
let yard: { fixture: CameraFixture; id: number };

it('rotates one camera: the camera takes a new random password, the old one no longer works, and recording goes on', async () => {
  gate = await addedCamera('Gate');
  yard = await addedCamera('Yard');
  const before = storedPassword(gate.id);

  const started = await call('POST', '/api/v1/cameras/password-rotation', { cameraIds: [gate.id] });
  expect(started.status).toBe(202);
  expect(started.body.job).toMatchObject({ total: 1, trigger: 'admin' });
  const job = await finishedJob(started.body.job.id);
  expect(job).toMatchObject({ total: 1, done: 1, cameras: [{ cameraId: gate.id, name: 'Gate', state: 'done', outcome: 'changed' }] });

  const after = storedPassword(gate.id);
  expect(after).not.toBe(before);
  expect(after.length).toBeGreaterThanOrEqual(32);
  expect(await cameraTakes(gate.fixture, after)).toBe(true);
  expect(await cameraTakes(gate.fixture, before)).toBe(false);
  // The other camera was not touched.
  expect(storedPassword(yard.id)).toBe(ADMIN_PASSWORD);
  await recording(gate.id);
  expect((await call('GET', `/api/v1/cameras/${gate.id}`)).body.password).toMatchObject({ state: 'ok', changeable: true, message: null });
}, 60_000);

it('rotates all cameras in one job, with each camera’s outcome', async () => {
  const before = new Map([gate, yard].map((c) => [c.id, storedPassword(c.id)]));
  const started = await call('POST', '/api/v1/cameras/password-rotation', {});
  expect(started.status).toBe(202);
  // One job at a time.
  expect((await call('POST', '/api/v1/cameras/password-rotation', {})).status).toBe(409);
  const job = await finishedJob(started.body.job.id);
  expect(job.total).toBe(2);
  expect(job.done).toBe(2);
  expect(job.cameras.map((c: { outcome: string }) => c.outcome)).toEqual(['changed', 'changed']);
  for (const camera of [gate, yard]) {
    const now = storedPassword(camera.id);
    expect(now).not.toBe(before.get(camera.id));
    expect(await cameraTakes(camera.fixture, now)).toBe(true);
    await recording(camera.id);
  }
  const overview = await call('GET', '/api/v1/cameras/password-rotation');
  expect(overview.body.job.id).toBe(started.body.job.id);

  const audit = [...rec.running.ctx.audit.iterate({})].filter((e) => e.type.startsWith('camera.password_rotat'));
  expect(audit.filter((e) => e.type === 'camera.password_rotation_started')).toHaveLength(2);
  expect(audit.filter((e) => e.type === 'camera.password_rotated').map((e) => e.target).sort()).toEqual([`camera:${gate.id}`, `camera:${gate.id}`, `camera:${yard.id}`].sort());
}, 60_000);

it('an admin sets a password of their choosing after re-authentication; one the camera refuses leaves the old one working', async () => {
  const before = storedPassword(yard.id);
  const wrongAdmin = await call('PUT', `/api/v1/cameras/${yard.id}/password`, { currentPassword: 'not my password', newPassword: 'Lantern harbour 58 quiet' });
  expect(wrongAdmin.status).toBe(403);
  expect(storedPassword(yard.id)).toBe(before);

  // The camera's own rules refuse a weak password: nothing changes and the camera keeps the old one.
  const weak = await call('PUT', `/api/v1/cameras/${yard.id}/password`, { currentPassword: STRONG_PASSWORD, newPassword: 'password' });
  expect(weak.status).toBe(200);
  expect(weak.body.outcome).toBe('new_refused');
  expect(storedPassword(yard.id)).toBe(before);
  expect(await cameraTakes(yard.fixture, before)).toBe(true);
  expect(rec.running.ctx.cameraPasswords.get(yard.id)!.pendingSealed).toBeNull();

  const chosen = 'Lantern harbour 58 quiet';
  passwords.add(chosen);
  const set = await call('PUT', `/api/v1/cameras/${yard.id}/password`, { currentPassword: STRONG_PASSWORD, newPassword: chosen });
  expect(set.body).toMatchObject({ outcome: 'changed' });
  expect(storedPassword(yard.id)).toBe(chosen);
  expect(await cameraTakes(yard.fixture, chosen)).toBe(true);
  await recording(yard.id);
  const audit = [...rec.running.ctx.audit.iterate({ type: 'camera.password_set' })].map((e) => [e.outcome, JSON.parse(e.details).outcome ?? JSON.parse(e.details).reason]);
  expect(audit).toEqual([
    ['failure', 'invalid_current_password'],
    ['failure', 'new_refused'],
    ['success', 'changed'],
  ]);
}, 60_000);

it('a camera that dies after taking the new password, before the recorder heard so, keeps both; the recorder finds the right one when it answers again', async () => {
  // The recorder reaches this camera's ONVIF service through a proxy that lets SetUser reach the
  // camera, then stops the camera and cuts the connection before the answer gets back.
  const door = await cameraBehindProxy('Door', async (forward) => {
    await forward();
    await door.fixture.camera.stop();
  });

  const started = await call('POST', '/api/v1/cameras/password-rotation', { cameraIds: [door.id] });
  const job = await finishedJob(started.body.job.id);
  expect(job.cameras[0]).toMatchObject({ outcome: 'unconfirmed' });
  expect(job.cameras[0].message).toMatch(/keeps both/);
  // Both kept: the old one still current, the new one pending.
  expect(storedPassword(door.id)).toBe(ADMIN_PASSWORD);
  const state = rec.running.ctx.cameraPasswords.get(door.id)!;
  expect(state.pendingSealed).not.toBeNull();
  const pending = openCameraPassword(rec.running.ctx.settingsKey, { id: door.id, passwordSealed: state.pendingSealed })!;
  passwords.add(pending);
  expect((await call('GET', `/api/v1/cameras/${door.id}`)).body.password.state).toBe('unconfirmed');

  // Nothing is decided while the unanswered SetUser might still be at work in the camera (here the
  // camera is away meanwhile, rebooting; the recorder's retries find nobody).
  await timers.advance(SETTLE_AFTER_MS - PENDING_RETRY_MS);
  expect(rec.running.ctx.cameraPasswords.get(door.id)!.pendingSealed).not.toBeNull();

  // The camera comes back on the same ports, holding the new password.
  const { httpUrl, rtspUrl } = door.fixture.camera;
  door.fixture.camera = await startVigilCamera({
    dataDir: door.fixture.dataDir,
    httpPort: Number(new URL(httpUrl).port),
    rtspPort: Number(new URL(rtspUrl).port),
    source: 'clip',
    encoding: { width: 320, height: 240 },
    clip: { cacheDir, seconds: 2 },
    clock: door.fixture.clock,
    hasher: door.fixture.hasher,
    judgePassword: evaluatePassword,
  });
  expect(await cameraTakes(door.fixture, pending)).toBe(true);

  // The recorder's next pass finds which one the camera holds: the pending one becomes current.
  await timers.advance(PENDING_RETRY_MS);
  await vi.waitFor(() => expect(rec.running.ctx.cameraPasswords.get(door.id)!.pendingSealed).toBeNull(), { timeout: 10_000, interval: 50 });
  expect(storedPassword(door.id)).toBe(pending);
  expect([...rec.running.ctx.audit.iterate({ type: 'camera.password_settled' })].map((e) => [e.target, JSON.parse(e.details).kept])).toEqual([[`camera:${door.id}`, 'new']]);
  await recording(door.id);
}, 90_000);

it('a SetUser without an answer that reaches the camera late: nothing is decided until it has surely ended, and the camera keeps a password the recorder holds', async () => {
  // The proxy cuts the recorder's request at once and delivers it to the camera only when the test says.
  let deliver: () => Promise<void> = async () => {};
  const late = await cameraBehindProxy('Shed', async (forward) => {
    deliver = forward;
  });
  const job = await finishedJob((await call('POST', '/api/v1/cameras/password-rotation', { cameraIds: [late.id] })).body.job.id);
  // Asked too early, the camera would still take the old password: the recorder must not drop the new one for it.
  expect(job.cameras[0]).toMatchObject({ outcome: 'unconfirmed' });
  const pendingSealed = rec.running.ctx.cameraPasswords.get(late.id)!.pendingSealed;
  const pending = openCameraPassword(rec.running.ctx.settingsKey, { id: late.id, passwordSealed: pendingSealed })!;
  passwords.add(pending);
  await timers.advance(PENDING_RETRY_MS);
  expect(rec.running.ctx.cameraPasswords.get(late.id)!.pendingSealed).not.toBeNull();

  await deliver();
  expect(await cameraTakes(late.fixture, pending)).toBe(true);
  await timers.advance(SETTLE_AFTER_MS);
  await vi.waitFor(() => expect(rec.running.ctx.cameraPasswords.get(late.id)!.pendingSealed).toBeNull(), { timeout: 10_000, interval: 50 });
  expect(storedPassword(late.id)).toBe(pending);
  await recording(late.id);
}, 60_000);

it('a camera that refuses its stored password is shown as such, with what to do; rotating it changes nothing', async () => {
  const porch = await addedCamera('Porch');
  // Someone changes the camera's password behind the recorder's back.
  const elsewhere = 'Copper kettle 31 meadow';
  passwords.add(elsewhere);
  const client = new OnvifClient(deviceUrlOf(porch.fixture), { timeoutMs: 5000, now: () => Date.now() });
  await client.setPassword({ username: 'admin', level: 'Administrator' }, elsewhere, { username: 'admin', password: ADMIN_PASSWORD });

  const job = await finishedJob((await call('POST', '/api/v1/cameras/password-rotation', { cameraIds: [porch.id] })).body.job.id);
  expect(job.cameras[0]).toMatchObject({ outcome: 'current_refused' });
  expect(job.cameras[0].message).toMatch(/reset button/);
  expect(storedPassword(porch.id)).toBe(ADMIN_PASSWORD);
  expect(rec.running.ctx.cameraPasswords.get(porch.id)!.pendingSealed).toBeNull();

  // Its stream opened again (off and on) is refused: the camera list says so and what to do.
  expect((await admin.request('PATCH', `/api/v1/cameras/${porch.id}`, { enabled: false })).status).toBe(200);
  expect((await admin.request('PATCH', `/api/v1/cameras/${porch.id}`, { enabled: true })).status).toBe(200);
  await vi.waitFor(async () => expect((await call('GET', `/api/v1/cameras/${porch.id}`)).body.status.problem).toBe('unauthorized'), { timeout: 15_000, interval: 100 });
  const view = (await call('GET', `/api/v1/cameras/${porch.id}`)).body;
  expect(view.password).toMatchObject({ state: 'refused', changeable: true });
  expect(view.password.message).toMatch(/reset button.*activate it again.*edit the camera and set it/);

  // Setting the password the camera has now brings it back.
  await call('PATCH', `/api/v1/cameras/${porch.id}`, { enabled: false });
}, 60_000);

it('on a schedule: nothing before the period is over, then a rotation of the cameras that are due, started by the recorder itself', async () => {
  const set = await call('PUT', '/api/v1/cameras/password-rotation/schedule', { everyDays: 30 });
  expect(set.status).toBe(200);
  expect(set.body.schedule.everyDays).toBe(30);
  expect(set.body.schedule.nextRotationAt).not.toBeNull();
  const jobsBefore = rec.running.ctx.cameraRotations.latest()!.id;
  const before = storedPassword(gate.id);

  // The recorder looks at its schedule at least hourly: a jump of days makes that pass due at once.
  rec.clock.advance(29 * DAY_S);
  await timers.advance(1_000);
  expect(rec.running.ctx.cameraRotations.latest()!.id).toBe(jobsBefore);
  expect(storedPassword(gate.id)).toBe(before);

  rec.clock.advance(2 * DAY_S);
  await timers.advance(1_000);
  // The admin's session did not live through a month.
  admin = await loggedInAdmin(rec);
  const job = rec.running.ctx.cameraRotations.latest()!;
  expect(job.id).not.toBe(jobsBefore);
  expect(job.trigger).toBe('schedule');
  const done = await finishedJob(job.id);
  const outcomes = Object.fromEntries(done.cameras.map((c: { cameraId: number; outcome: string }) => [c.cameraId, c.outcome]));
  expect(outcomes[gate.id]).toBe('changed');
  expect(outcomes[yard.id]).toBe('changed');
  expect(storedPassword(gate.id)).not.toBe(before);
  expect(await cameraTakes(gate.fixture, storedPassword(gate.id))).toBe(true);
  const started = [...rec.running.ctx.audit.iterate({ type: 'camera.password_rotation_started' })].at(-1)!;
  expect(started.actorUsername).toBe('system');
  expect(JSON.parse(started.details)).toMatchObject({ trigger: 'schedule' });

  // Off again: the schedule no longer rotates anything.
  expect((await call('PUT', '/api/v1/cameras/password-rotation/schedule', { everyDays: null })).body.schedule).toEqual({ everyDays: null, nextRotationAt: null });
}, 90_000);

it('no camera password appears in any answer, log line or audit entry', async () => {
  const audit = JSON.stringify([...rec.running.ctx.audit.iterate({})]);
  const logs = rec.logs.join('');
  expect(passwords.size).toBeGreaterThanOrEqual(8);
  for (const password of passwords) {
    for (const [where, text] of [
      ['answers', answers.join('\n')],
      ['logs', logs],
      ['audit', audit],
    ] as const) {
      expect(text.includes(password), `a camera password in the ${where}`).toBe(false);
    }
  }
});
