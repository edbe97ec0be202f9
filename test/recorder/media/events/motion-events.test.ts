// Motion events from a real Vigil camera (ONVIF pull point, WS-UsernameToken on the camera's own
// clock, 3 hours off the recorder's) into a real recorder's database and API: the subscription is
// renewed, survives the camera going away (the open event is ended, the recorder resubscribes with
// its backoff). Who may read them: test/recorder/media/live/media-api.test.ts, with the other media routes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evaluatePassword } from '../../../../src/identity/passwords/policy.js';
import { startVigilCamera, type VigilCamera } from '../../../../src/camera/vigil-camera.js';
import { SUBSCRIPTION_POLICY } from '../../../../src/recorder/media/events/subscription-policy.js';
import { activate, ADMIN_PASSWORD, type CameraFixture, startCameraFixture } from '../../../camera/camera-fixture.js';
import { ApiClient, activate as activateRecorder, loggedInAdmin } from '../../../helpers/client.js';
import { startTestRecorder, type TestRecorder } from '../../../helpers/recorder.js';
import { until } from '../../../helpers/until.js';

let cacheDir: string;
let rec: TestRecorder;
let admin: ApiClient;
let fixture: CameraFixture;
let cameraId: number;
let camera: VigilCamera | undefined;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'vigil-motion-clip-'));
  fixture = await startCameraFixture(cacheDir, { lanDiscovery: false });
  camera = fixture.camera;
  expect((await activate(fixture)).status).toBe(200);
  // A PullMessages held 1 s instead of 10: the loop comes round quickly enough to renew in a test.
  rec = await startTestRecorder({ motionSubscription: { ...SUBSCRIPTION_POLICY, pullTimeoutS: 1 } });
  await activateRecorder(rec);
  admin = await loggedInAdmin(rec);
  const added = await admin.post('/api/v1/cameras/onvif', { name: 'Door', deviceUrl: `${camera!.httpUrl}/onvif/device_service`, username: 'admin', password: ADMIN_PASSWORD });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  cameraId = added.body.camera.id;
  await watched(true);
}, 60_000);
afterAll(async () => {
  // The camera running now: the one started again on the fixture's directory, if it was.
  await camera?.stop();
  if (fixture) await rm(dirname(fixture.dataDir), { recursive: true, force: true });
  await rec?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

const watched = (want: boolean) =>
  until(async () => (await admin.get(`/api/v1/cameras/${cameraId}`)).body.motion?.watched === want, `the camera's motion events ${want ? '' : 'not '}watched`);

const stored = () => rec.running.ctx.motionEvents.listForCamera(cameraId, 0, Number.MAX_SAFE_INTEGER, 100);
const iso = (ms: number) => new Date(ms).toISOString();

it("the camera view says its motion events are watched; a camera added by its RTSP address alone has none", async () => {
  const view = (await admin.get(`/api/v1/cameras/${cameraId}`)).body;
  expect(view).toMatchObject({ recordingMode: 'continuous', motion: { available: true, watched: true } });
  const plain = await admin.post('/api/v1/cameras', { name: 'Plain', url: 'rtsp://192.0.2.10/stream', transport: 'tcp', enabled: false });
  expect(plain.body.camera).toMatchObject({ recordingMode: 'continuous', motion: { available: false, watched: false } });
  expect((await admin.delete(`/api/v1/cameras/${plain.body.camera.id}`)).status).toBe(200);
});

it("a motion event lands in the database and on the API with start and end on the recorder's clock", async () => {
  const before = rec.clock.now();
  camera!.setMotion(true);
  const open = await until(() => stored().find((e) => e.endMs === null), 'an open motion event');
  // On the recorder's clock, though the camera's runs 3 hours behind it.
  expect(open.startMs).toBeGreaterThanOrEqual(before);
  expect(open.startMs).toBeLessThanOrEqual(rec.clock.now());
  const range = `from=${before - 60_000}&to=${before + 60_000}`;
  expect((await admin.get(`/api/v1/cameras/${cameraId}/events?${range}`)).body).toEqual({ events: [{ start: iso(open.startMs), end: null }], truncated: false });

  rec.clock.advance(4);
  camera!.setMotion(false);
  const closed = await until(() => stored().find((e) => e.id === open.id && e.endMs !== null), 'the event to end');
  expect(closed.endMs! - closed.startMs).toBeGreaterThanOrEqual(4000);
  expect((await admin.get(`/api/v1/cameras/${cameraId}/events?${range}`)).body.events).toEqual([{ start: iso(open.startMs), end: iso(closed.endMs!) }]);
  // A range before the event holds none.
  expect((await admin.get(`/api/v1/cameras/${cameraId}/events?from=${before - 60_000}&to=${before - 1}`)).body.events).toEqual([]);
});

it('the subscription is renewed before it lapses on the camera: events still arrive with no resubscription', async () => {
  const lostBefore = rec.logs.filter((l) => l.includes('motion_events_lost')).length;
  const renewedBefore = rec.logs.filter((l) => l.includes('motion_subscription_renewed')).length;
  // 30 s on the camera, then the recorder's clock past the renewal point: the next pull renews it
  // (the camera then holds it until 90 s after it was made).
  fixture.clock.advance(30);
  rec.clock.advance(SUBSCRIPTION_POLICY.lifetimeS - SUBSCRIPTION_POLICY.renewMarginS);
  await until(() => rec.logs.filter((l) => l.includes('motion_subscription_renewed')).length > renewedBefore, 'a renewal');
  // Past the first lifetime on the camera's clock: without the renewal the pull point would be gone.
  fixture.clock.advance(40);
  const count = stored().length;
  camera!.setMotion(true);
  await until(() => stored().length > count, 'an event through the renewed subscription');
  camera!.setMotion(false);
  await until(() => stored().every((e) => e.endMs !== null), 'the event to end');
  expect(rec.logs.filter((l) => l.includes('motion_events_lost')).length).toBe(lostBefore);
});

it('a camera that goes away ends the open event where it was last heard; the recorder resubscribes when it is back', async () => {
  camera!.setMotion(true);
  const open = await until(() => stored().find((e) => e.endMs === null), 'an open motion event');
  const httpPort = Number(new URL(camera!.httpUrl).port);
  const rtspPort = Number(new URL(camera!.rtspUrl).port);
  await camera!.stop();
  camera = undefined;
  const ended = await until(() => stored().find((e) => e.id === open.id && e.endMs !== null), 'the open event to end when the camera went away');
  expect(ended.endMs).toBeLessThanOrEqual(rec.clock.now());
  await watched(false);
  expect(rec.logs.filter((l) => l.includes('motion_events_lost')).length).toBeGreaterThan(0);

  // The same camera again, on the same addresses: the recorder's retry (its supervisor's backoff) finds it.
  camera = await startVigilCamera({
    dataDir: fixture.dataDir,
    httpPort,
    rtspPort,
    source: 'clip',
    encoding: { width: 320, height: 240 },
    clip: { cacheDir, seconds: 2 },
    clock: fixture.clock,
    hasher: fixture.hasher,
    judgePassword: evaluatePassword,
    lanDiscovery: false,
  });
  await watched(true);
  camera!.setMotion(true);
  const reopened = await until(() => stored().find((e) => e.id !== open.id && e.endMs === null), 'a new event after the camera came back');
  expect(reopened.startMs).toBeGreaterThanOrEqual(ended.endMs!);
  camera!.setMotion(false);
  await until(() => stored().every((e) => e.endMs !== null), 'the event to end');
}, 60_000);

it('no log line or answer carries the camera password', async () => {
  const answers = JSON.stringify([(await admin.get('/api/v1/cameras')).body, (await admin.get(`/api/v1/cameras/${cameraId}/events?from=${rec.clock.now() - 86_400_000}&to=${rec.clock.now()}`)).body]);
  expect(answers + rec.logs.join('')).not.toContain(ADMIN_PASSWORD);
});

it('a range that is not one is refused', async () => {
  const now = rec.clock.now();
  expect((await admin.get(`/api/v1/cameras/${cameraId}/events?from=${now}&to=${now - 1}`)).body.error.code).toBe('empty_range');
  expect((await admin.get(`/api/v1/cameras/${cameraId}/events?from=0&to=${40 * 86_400_000}`)).body.error.code).toBe('range_too_long');
});
