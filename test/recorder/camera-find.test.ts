// Finding cameras on the LAN and adding one by ONVIF: a real recorder over HTTP scans by
// WS-Discovery (multicast to 239.255.255.250:3702, which loops back on this host) and finds real
// `vigil camera`s, then learns an active one's stream from ONVIF and records it with its own RTSP client.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiClient, activate as activateRecorder, loggedInAdmin } from '../helpers/client.js';
import { startTestRecorder, type TestRecorder } from '../helpers/recorder.js';
import { activate, ADMIN_PASSWORD, type CameraFixture, startCameraFixture } from '../camera/camera-fixture.js';

let cacheDir: string;
let rec: TestRecorder;
let admin: ApiClient;
let active: CameraFixture;
let inactive: CameraFixture;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'vigil-camera-clip-'));
  // One after the other: the first encodes the clip into the cache the second reads.
  active = await startCameraFixture(cacheDir, { discovery: true });
  inactive = await startCameraFixture(cacheDir, { discovery: true });
  expect((await activate(active)).status).toBe(200);
  rec = await startTestRecorder();
  await activateRecorder(rec);
  admin = await loggedInAdmin(rec);
}, 60_000);
afterAll(async () => {
  await Promise.all([active?.close(), inactive?.close()]);
  await rec?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

interface Found {
  endpoint: string;
  address: string;
  deviceUrl: string;
  model: string | null;
  activation: string;
}

it('the scan finds both cameras with their model, address and whether they are active', async () => {
  const res = await admin.post('/api/v1/cameras/discovery', {});
  expect(res.status).toBe(200);
  // Cameras of other test files on this host may answer too: ours are known by their endpoints.
  const ours = (fixture: CameraFixture) => (res.body.cameras as Found[]).filter((c) => c.endpoint === fixture.camera.endpoint);
  expect(ours(active)).toEqual([
    expect.objectContaining({
      address: new URL(active.camera.httpUrl).host,
      deviceUrl: `${active.camera.httpUrl}/onvif/device_service`,
      model: active.camera.model,
      activation: 'active',
    }),
  ]);
  expect(ours(inactive)).toEqual([expect.objectContaining({ model: inactive.camera.model, activation: 'inactive' })]);
});

it('a wrong camera password is refused clearly and adds nothing', async () => {
  const res = await admin.post('/api/v1/cameras/onvif', {
    name: 'Gate',
    deviceUrl: `${active.camera.httpUrl}/onvif/device_service`,
    username: 'admin',
    password: 'not-the-password-1',
  });
  expect(res.status).toBe(422);
  expect(res.body.error.code).toBe('camera_login_refused');
  expect((await admin.get('/api/v1/cameras')).body.cameras).toEqual([]);
});

it('adding by ONVIF learns the RTSP address, keeps the password sealed, and the recorder plays the stream', async () => {
  const res = await admin.post('/api/v1/cameras/onvif', {
    name: 'Gate',
    deviceUrl: `${active.camera.httpUrl}/onvif/device_service`,
    username: 'admin',
    password: ADMIN_PASSWORD,
  });
  expect(res.status).toBe(201);
  expect(res.body.camera).toMatchObject({ name: 'Gate', url: active.camera.rtspUrl, username: 'admin', passwordSet: true });
  // The recorder's own RTSP client read the stream at the learnt address, with the login.
  expect(res.body.probe).toMatchObject({ ok: true, result: { codec: 'h264', width: 320, height: 240 } });
  expect(JSON.stringify(res.body)).not.toContain(ADMIN_PASSWORD);
  const stored = rec.running.ctx.cameras.get(res.body.camera.id)!;
  expect(stored.passwordSealed).not.toBeNull();
  expect(stored.passwordSealed!.toString()).not.toContain(ADMIN_PASSWORD);
});

it('an inactive camera is activated with its label code: the recorder chooses, keeps and uses a password nobody typed', async () => {
  const deviceUrl = `${inactive.camera.httpUrl}/onvif/device_service`;
  const wrong = await admin.post('/api/v1/cameras/activate', { name: 'Yard', deviceUrl, labelCode: 'AAAA-AAAA-AAAA-AAAA' });
  expect(wrong.status).toBe(403);
  expect(wrong.body.error.code).toBe('wrong_label_code');
  const before = (await admin.get('/api/v1/cameras')).body.cameras.length;

  const res = await admin.post('/api/v1/cameras/activate', { name: 'Yard', deviceUrl, labelCode: inactive.labelCode });
  expect(res.status).toBe(201);
  expect(res.body.camera).toMatchObject({ name: 'Yard', url: inactive.camera.rtspUrl, username: 'admin', passwordSet: true });
  // The recorder logged in with the password it chose: its RTSP client read the stream.
  expect(res.body.probe).toMatchObject({ ok: true, result: { codec: 'h264' } });
  expect((await admin.get('/api/v1/cameras')).body.cameras).toHaveLength(before + 1);
  expect((await fetch(`${inactive.camera.httpUrl}/vigil/state`).then((r) => r.json())) as object).toMatchObject({ active: true });

  const audit = [...rec.running.ctx.audit.iterate({})].filter((e) => e.type.startsWith('camera.activat'));
  expect(audit.map((e) => [e.type, e.outcome])).toEqual(
    expect.arrayContaining([
      ['camera.activation_failed', 'failure'],
      ['camera.activated', 'success'],
    ]),
  );
  // The label code goes nowhere: not in answers, logs or the audit log.
  const everything = JSON.stringify([wrong.body, res.body, audit]) + rec.logs.join('');
  expect(everything).not.toContain(inactive.labelCode);
  expect((await admin.post('/api/v1/cameras/activate', { name: 'Yard', deviceUrl, labelCode: inactive.labelCode })).body.error.code).toBe('camera_already_active');
});
