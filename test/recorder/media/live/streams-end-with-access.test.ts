// A live stream opened by a session ends within a second of that session ending or its user
// losing the right to watch, whatever ends it: the stream is checked again while it runs, not
// only when it opens. Against a real recorder recording a simulated RTSP camera.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, activate, loggedInAdmin } from '../../../helpers/client.js';
import { startSimulatedCameras, type SimulatedCameras } from '../../../../src/camera/stream/simulated-cameras.js';
import { until } from '../../../helpers/until.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, type TestRecorder } from '../../../helpers/recorder.js';

let rec: TestRecorder;
let admin: ApiClient;
let cameraId: number;
let cameras: SimulatedCameras;

beforeAll(async () => {
  cameras = await startSimulatedCameras({ port: 0, source: 'clip' });
  rec = await startTestRecorder();
  await activate(rec);
  admin = await loggedInAdmin(rec);
  const added = await admin.post('/api/v1/cameras', { name: 'Porch', url: cameras.cameras[0]!.url, transport: 'tcp' });
  expect(added.status).toBe(201);
  cameraId = added.body.camera.id;
  await until(() => rec.running.ctx.live.feed(cameraId)?.latestKeyframe(), 'the camera sends video');
}, 60_000);
afterAll(async () => {
  await rec?.close();
  await cameras?.stop();
});

let users = 0;
/** A viewer with a password of their own, logged in. */
async function newViewer(): Promise<{ client: ApiClient; id: number; username: string }> {
  const username = `viewer${++users}`;
  const created = await admin.post('/api/v1/users', { username, role: 'viewer', permissions: { device: [], cameras: {} } });
  expect(created.status).toBe(201);
  const client = new ApiClient(rec.url);
  await client.login(username, created.body.oneTimePassword);
  expect((await client.post('/api/v1/me/password', { currentPassword: created.body.oneTimePassword, newPassword: OTHER_STRONG_PASSWORD })).status).toBe(200);
  return { client, id: created.body.user.id, username };
}

/** Opens the live stream and waits for its first bytes; `ended` resolves with the time the stream stopped. */
async function openLive(client: ApiClient): Promise<{ ended: Promise<number>; close(): void }> {
  const abort = new AbortController();
  const response = await fetch(`${rec.url}/api/v1/cameras/${cameraId}/live`, { headers: { cookie: client.cookie! }, signal: abort.signal });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  expect((await reader.read()).done).toBe(false);
  const ended = (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      // the connection was cut: the stream ended too
    }
    return performance.now();
  })();
  return { ended, close: () => abort.abort() };
}

/** Whether the promise settles within `ms` of real time. */
const settlesWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe('an open live stream', () => {
  it('keeps playing while the session and the right hold', async () => {
    const viewer = await newViewer();
    const live = await openLive(viewer.client);
    // Several re-checks pass: the check does not end streams it should not.
    expect(await settlesWithin(live.ended, 1500)).toBe(false);
    live.close();
  });

  it.each([
    ['logout', async (v: { client: ApiClient }) => expect((await v.client.delete('/api/v1/sessions/current')).status).toBe(204)],
    [
      'revocation from another session of the user',
      async (v: { client: ApiClient; username: string }) => {
        const other = new ApiClient(rec.url);
        await other.login(v.username, OTHER_STRONG_PASSWORD);
        const sessions = (await other.get('/api/v1/sessions')).body.sessions as { id: string; current: boolean }[];
        const first = sessions.find((s) => !s.current)!;
        expect((await other.delete(`/api/v1/sessions/${first.id}`)).status).toBe(204);
      },
    ],
    [
      'a password change in another session',
      async (v: { client: ApiClient; username: string }) => {
        const other = new ApiClient(rec.url);
        await other.login(v.username, OTHER_STRONG_PASSWORD);
        expect((await other.post('/api/v1/me/password', { currentPassword: OTHER_STRONG_PASSWORD, newPassword: 'Marble kettle 61 over the dunes' })).status).toBe(200);
      },
    ],
    ['a password reset by an admin', async (v: { id: number }) => expect((await admin.post(`/api/v1/users/${v.id}/password-reset`)).status).toBe(200)],
    ['deletion of the user', async (v: { id: number }) => expect((await admin.delete(`/api/v1/users/${v.id}`)).status).toBe(204)],
    [
      'a denial of live view on this camera',
      async (v: { id: number }) => {
        const denied = await admin.request('PATCH', `/api/v1/users/${v.id}`, { permissions: { device: [], cameras: {}, denied: { [String(cameraId)]: ['live'] } } });
        expect(denied.status).toBe(200);
      },
    ],
  ])('ends on %s', async (_what, endAccess) => {
    const viewer = await newViewer();
    const live = await openLive(viewer.client);
    await endAccess(viewer);
    // The recorder ends the stream when the access ends (an event, not a poll); the wait is only
    // there so a stream that never ends fails the test instead of hanging it. No timing bound: a
    // loaded machine takes longer to deliver the same event.
    const ended = await Promise.race([live.ended, new Promise<number>((resolve) => setTimeout(() => resolve(Infinity), 15_000))]);
    live.close();
    expect(ended).not.toBe(Infinity);
  });
});
