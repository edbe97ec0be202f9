// The recorder's list of the Vigil devices on its LAN (issue 14): a real recorder over HTTP probes
// with Vigil's discovery protocol (multicast loops back on this host) and lists itself and a real
// `vigil camera`, each answer checked against its device key; the camera is then activated from it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LanDevice, LanDeviceScan } from '../../src/recorder/api/lan-devices.js';
import { ApiClient, activate as activateRecorder, loggedInAdmin } from '../helpers/client.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, type TestRecorder } from '../helpers/recorder.js';
import { evaluatePassword } from '../../src/identity/passwords/policy.js';
import { type CameraFixture, startCameraFixture } from '../camera/camera-fixture.js';

/** A discovery port of this file's own, so no other test's device answers these probes. */
const PORT = 38_793;
let cacheDir: string;
let rec: TestRecorder;
let admin: ApiClient;
let camera: CameraFixture;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'vigil-camera-clip-'));
  camera = await startCameraFixture(cacheDir, { lanDiscovery: { port: PORT } });
  // The camera judges passwords in this process and loads its dictionaries at the first one: loaded now, so the
  // recorder's ONVIF timeout during activation measures the activation, not that load on a busy machine.
  await evaluatePassword('warm up the dictionaries');
  rec = await startTestRecorder({ discovery: { port: PORT } });
  await activateRecorder(rec);
  admin = await loggedInAdmin(rec);
}, 60_000);
afterAll(async () => {
  await camera?.close();
  await rec?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

async function scan(): Promise<LanDevice[]> {
  // The camera's answer budget per source refills by its own clock, which is manual here: a minute passes.
  camera.clock.advance(60);
  const res = await admin.post<LanDeviceScan>('/api/v1/lan-devices/scan', {});
  expect(res.status).toBe(200);
  return res.body.devices;
}

it('lists the recorder itself and the camera, signed, with their public facts and where to act on them; nothing secret', async () => {
  camera.clock.advance(60);
  const res = await admin.post<LanDeviceScan>('/api/v1/lan-devices/scan', {});
  expect(res.status).toBe(200);
  const { devices } = res.body;
  expect(devices.map((d) => [d.type, d.serial]).sort()).toEqual([
    ['camera', camera.camera.serial],
    ['recorder', rec.serial],
  ]);
  expect(devices.find((d) => d.type === 'recorder')).toMatchObject({
    model: rec.model,
    activated: true,
    status: 'verified',
    self: true,
    addresses: ['127.0.0.1'],
    url: `${rec.url}/`,
    address: new URL(rec.url).host,
    recoveryMethods: expect.objectContaining({ resetButton: true }),
    keyFingerprint: expect.stringMatching(/^SHA256:/),
  });
  expect(devices.find((d) => d.type === 'camera')).toMatchObject({
    model: camera.camera.model,
    activated: false,
    status: 'verified',
    self: false,
    url: `${camera.camera.httpUrl}/onvif/device_service`,
    address: new URL(camera.camera.httpsUrl).host,
    recoveryMethods: { resetButton: true },
    tlsFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  // The answers' nonce, signature and raw key stay with the check; no label code anywhere.
  const text = JSON.stringify(res.body);
  for (const word of ['nonce', 'signature', 'deviceKey', rec.labelCode, camera.labelCode]) expect(text).not.toContain(word);
}, 20_000);

it('activates the camera it lists, by the address the list gives, and then lists it activated', async () => {
  const listed = (await scan()).find((d) => d.serial === camera.camera.serial)!;
  const activated = await admin.post('/api/v1/cameras/activate', { name: 'Door', deviceUrl: listed.url, labelCode: camera.labelCode });
  expect(activated.status, JSON.stringify(activated.body)).toBe(201);
  expect(activated.body.camera).toMatchObject({ name: 'Door', username: 'admin', passwordSet: true });
  expect((await scan()).find((d) => d.serial === camera.camera.serial)).toMatchObject({ activated: true, status: 'verified' });
}, 30_000);

it("spends the user's probe budget: once it is spent, a scan is refused with Retry-After, and another admin still scans", async () => {
  let res = await admin.post('/api/v1/cameras/probe', { url: 'rtsp://127.0.0.1:1/stream' });
  // Each camera probe and each scan costs one of the 30 per 10 minutes; refused probes are quick.
  while (res.status !== 429) res = await admin.post('/api/v1/cameras/probe', { url: 'rtsp://127.0.0.1:1/stream' });
  const refused = await admin.post('/api/v1/lan-devices/scan', {});
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

  const other = await admin.post('/api/v1/users', { username: 'second-admin', role: 'admin' });
  expect(other.status).toBe(201);
  const second = new ApiClient(rec.url);
  expect((await second.login('second-admin', other.body.oneTimePassword)).status).toBe(201);
  expect((await second.post('/api/v1/me/password', { currentPassword: other.body.oneTimePassword, newPassword: OTHER_STRONG_PASSWORD })).status).toBe(200);
  expect((await second.post<LanDeviceScan>('/api/v1/lan-devices/scan', {})).status).toBe(200);
}, 60_000);
