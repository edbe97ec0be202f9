// Motion-only recording with a real Vigil camera and a real recorder: the admin switches a camera
// to it (audited), the recorder then keeps only the footage around the camera's motion event, a
// pre-roll before it and a post-roll after, and nothing between events; back to continuous, it
// records everything again. The recorder's manual clock moves with the stream (frames are stamped
// with it); pre- and post-roll are shortened to keep the test short.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SUBSCRIPTION_POLICY } from '../../../../src/recorder/media/events/subscription-policy.js';
import { MOTION_RECORDING } from '../../../../src/recorder/media/recording/motion-window.js';
import { activate, ADMIN_PASSWORD, type CameraFixture, startCameraFixture } from '../../../camera/camera-fixture.js';
import { ApiClient, activate as activateRecorder, loggedInAdmin } from '../../../helpers/client.js';
import { startTestRecorder, type TestRecorder } from '../../../helpers/recorder.js';
import { until } from '../../../helpers/until.js';
import { followRealTime } from '../../../helpers/real-time.js';

const PRE_ROLL_MS = 2000;
const POST_ROLL_MS = 1000;
/** The fixture's camera sends a keyframe every second: where recording starts and stops. */
const GOP_MS = 1000;

let cacheDir: string;
let rec: TestRecorder;
let admin: ApiClient;
let fixture: CameraFixture;
let cameraId: number;
let stopClock: (() => void) | undefined;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'vigil-motion-only-clip-'));
  fixture = await startCameraFixture(cacheDir, { lanDiscovery: false });
  expect((await activate(fixture)).status).toBe(200);
  rec = await startTestRecorder({
    motionSubscription: { ...SUBSCRIPTION_POLICY, pullTimeoutS: 1 },
    motionRecording: { ...MOTION_RECORDING, preRollMs: PRE_ROLL_MS, postRollMs: POST_ROLL_MS },
  });
  await activateRecorder(rec);
  admin = await loggedInAdmin(rec);
  const added = await admin.post('/api/v1/cameras/onvif', { name: 'Porch', deviceUrl: `${fixture.camera.httpUrl}/onvif/device_service`, username: 'admin', password: ADMIN_PASSWORD });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  cameraId = added.body.camera.id;
  stopClock = followRealTime(rec.clock);
  await until(async () => (await admin.get(`/api/v1/cameras/${cameraId}`)).body.motion.watched, 'the motion events watched');
}, 60_000);
afterAll(async () => {
  stopClock?.();
  await fixture?.close();
  await rec?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

const segments = () => rec.running.ctx.recordings.listAll().filter((r) => r.cameraId === cameraId);
const lastFrameAt = () => rec.running.ctx.cameraSupervisors.status(cameraId).lastFrameAt ?? 0;
/** Waits until the camera has streamed for `ms` more on the recorder's clock. */
const streamFor = (ms: number) => {
  const until_ = rec.clock.now() + ms;
  return until(() => lastFrameAt() >= until_, `${ms} ms more of the stream`);
};
const modeChanges = () => [...rec.running.ctx.audit.iterate({ type: 'camera.recording_mode_changed' })];

it('continuous is the default; motion-only is refused for a camera whose motion events the recorder cannot watch', async () => {
  await until(() => segments().some((s) => s.frames > 0), 'continuous recording');
  const plain = await admin.post('/api/v1/cameras', { name: 'Plain', url: 'rtsp://192.0.2.10/stream', transport: 'tcp', enabled: false });
  const refused = await admin.request('PUT', `/api/v1/cameras/${plain.body.camera.id}/recording-mode`, { mode: 'motion' });
  expect(refused.status).toBe(409);
  expect(refused.body.error.code).toBe('camera_without_motion_events');
  expect((await admin.get(`/api/v1/cameras/${plain.body.camera.id}`)).body.recordingMode).toBe('continuous');
  expect(modeChanges()).toEqual([]);
  expect((await admin.delete(`/api/v1/cameras/${plain.body.camera.id}`)).status).toBe(200);
});

it('motion-only keeps the footage around the event, from a pre-roll to a post-roll, and nothing else', async () => {
  const switched = await admin.request('PUT', `/api/v1/cameras/${cameraId}/recording-mode`, { mode: 'motion' });
  expect(switched.body).toEqual({ mode: 'motion', changed: true });
  expect(modeChanges().map((e) => [e.target, e.actorUsername, JSON.parse(e.details)])).toEqual([[`camera:${cameraId}`, 'admin', { name: 'Porch', from: 'continuous', to: 'motion' }]]);
  // The same mode again changes nothing and audits nothing.
  expect((await admin.request('PUT', `/api/v1/cameras/${cameraId}/recording-mode`, { mode: 'motion' })).body).toEqual({ mode: 'motion', changed: false });
  expect(modeChanges()).toHaveLength(1);

  // The continuous segment ends at the next keyframe; then the camera streams and nothing is written.
  await until(() => segments().every((s) => !s.open), 'the continuous segment to end');
  const quietFrom = rec.clock.now();
  const before = segments().length;
  await streamFor(3000);
  expect(segments()).toHaveLength(before);

  fixture.camera.setMotion(true);
  const open = await until(() => rec.running.ctx.motionEvents.listForCamera(cameraId, quietFrom, Number.MAX_SAFE_INTEGER, 10).find((e) => e.endMs === null), 'the motion event');
  await until(() => segments().some((s) => s.open), 'the recording of the event');
  await streamFor(1500);
  fixture.camera.setMotion(false);
  const event = await until(() => rec.running.ctx.motionEvents.listForCamera(cameraId, quietFrom, Number.MAX_SAFE_INTEGER, 10).find((e) => e.id === open.id && e.endMs !== null), 'the event to end');
  await until(() => segments().every((s) => !s.open), 'the recording to stop after the post-roll');

  const kept = segments().slice(before);
  expect(kept).toHaveLength(1);
  const [segment] = kept as [(typeof kept)[number]];
  // From a keyframe a pre-roll before the event (the GOP it falls in, whole)...
  expect(segment.startMs).toBeLessThanOrEqual(event.startMs - PRE_ROLL_MS + GOP_MS);
  expect(segment.startMs).toBeGreaterThanOrEqual(event.startMs - PRE_ROLL_MS - GOP_MS - 200);
  expect(segment.startMs).toBeGreaterThan(quietFrom);
  // ...to the first keyframe after the post-roll.
  expect(segment.endMs).toBeGreaterThanOrEqual(event.endMs! + POST_ROLL_MS - 200);
  expect(segment.endMs).toBeLessThanOrEqual(event.endMs! + POST_ROLL_MS + GOP_MS + 300);

  // And nothing after it while there is no motion.
  await streamFor(3000);
  expect(segments()).toHaveLength(before + 1);
  expect(segments().every((s) => !s.open)).toBe(true);
}, 60_000);

it('back to continuous, everything is recorded again at once; audited', async () => {
  const before = segments().length;
  expect((await admin.request('PUT', `/api/v1/cameras/${cameraId}/recording-mode`, { mode: 'continuous' })).body).toEqual({ mode: 'continuous', changed: true });
  expect(JSON.parse(modeChanges().at(-1)!.details)).toEqual({ name: 'Porch', from: 'motion', to: 'continuous' });
  await until(() => segments().length > before && segments().some((s) => s.open && s.frames > 0), 'recording again');
  expect((await admin.get(`/api/v1/cameras/${cameraId}`)).body.recordingMode).toBe('continuous');
}, 30_000);
