// Issue 13 on a virtual LAN of network namespaces: a recorder and three `vigil camera`s as
// processes, each in its own namespace, and this test as one more machine on the LAN. The
// recorder's WS-Discovery scan finds exactly the three, activates one with its label code and a
// password of its own; tokens replayed or stale are refused across the LAN; that password is in no
// response, log or audit entry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cameraPaths } from '../../src/camera/device/data-dir.js';
import { loadOrCreateSecretKey } from '../../src/identity/sealing/secret-box.js';
import { createCameraStore } from '../../src/recorder/db/camera-store.js';
import { dataPaths } from '../../src/recorder/device/data-dir.js';
import { openCameraPassword } from '../../src/recorder/media/cameras/camera-secrets.js';
import { GET_DEVICE_INFORMATION, soap, usernameToken } from '../camera/camera-fixture.js';
import { HttpsSession } from '../helpers/https.js';
import { netnsUnavailable } from '../helpers/netns.js';
import { CAMERA_PORTS, makeDevice, runCameras, runRecorder, virtualLan, type MadeDevice, type RunningDevice } from '../helpers/netns-devices.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';

const unavailable = netnsUnavailable();
const RECORDER = '10.78.1.1';
const CAMERAS = ['10.78.1.11', '10.78.1.12', '10.78.1.13'];

describe.skipIf(unavailable !== undefined)(`a recorder and its cameras on a virtual LAN${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let recorder: MadeDevice;
  const cameras: MadeDevice[] = [];
  const running: RunningDevice[] = [];
  let admin: HttpsSession;
  /** Every answer the recorder gave this test, to search for secrets. */
  const answers: string[] = [];

  const post = async (path: string, body: unknown) => {
    const res = await admin.post(path, body);
    answers.push(res.text);
    return res;
  };

  /** The password the recorder chose for its camera `id`, read from its database with its key: nobody was told it. */
  function storedPassword(id: number): string {
    const paths = dataPaths(recorder.dataDir);
    const db = new Database(paths.database, { readonly: true });
    try {
      const camera = createCameraStore(db).get(id)!;
      return openCameraPassword(loadOrCreateSecretKey(paths.settingsKey), camera)!;
    } finally {
      db.close();
    }
  }

  function cameraAudit(camera: MadeDevice): { type: string; details: string }[] {
    const db = new Database(cameraPaths(camera.dataDir).database, { readonly: true });
    try {
      return db.prepare('SELECT type, details, actor_username, source_ip FROM audit_log ORDER BY seq').all() as { type: string; details: string }[];
    } finally {
      db.close();
    }
  }

  virtualLan('vc', async (net, dir) => {
    const lan = net.lan('lan');
    const recorderNs = net.host('recorder', lan, `${RECORDER}/24`);
    const cameraNs = CAMERAS.map((address, i) => net.host(`cam${i + 1}`, lan, `${address}/24`));
    net.plugSelf(lan, '10.78.1.250/24');
    recorder = makeDevice('recorder', dir, 'recorder');
    cameras.push(...CAMERAS.map((_, i) => makeDevice('camera', dir, `cam${i + 1}`)));
    const [recorderRunning, camerasRunning] = await Promise.all([runRecorder(net, recorderNs, recorder), runCameras(net, cameraNs, cameras)]);
    running.push(recorderRunning, ...camerasRunning);
    admin = new HttpsSession(`https://${RECORDER}:8443`, readFileSync(dataPaths(recorder.dataDir).tlsCert, 'utf8'));
    expect((await admin.post('/api/v1/activate', { labelCode: recorder.labelCode, password: STRONG_PASSWORD })).status).toBe(201);
    expect((await admin.post('/api/v1/sessions', { username: 'admin', password: STRONG_PASSWORD })).status).toBe(201);
  });

  it("the recorder's WS-Discovery scan finds exactly the three cameras of its LAN, each waiting for activation", async () => {
    const res = await post('/api/v1/cameras/discovery', {});
    expect(res.status).toBe(200);
    const found = (res.body.cameras as { address: string; serialNumber: string | null; activation: string; deviceUrl: string }[]).map((c) => [c.address, c.activation, c.deviceUrl]);
    expect(found.sort()).toEqual(CAMERAS.map((address) => [`${address}:${CAMERA_PORTS.http}`, 'inactive', `http://${address}:${CAMERA_PORTS.http}/onvif/device_service`]).sort());
  }, 60_000);

  it('activates a camera from the recorder with its label code only, with a password the recorder chose, and records it', async () => {
    const deviceUrl = `http://${CAMERAS[0]}:${CAMERA_PORTS.http}/onvif/device_service`;
    const wrong = await post('/api/v1/cameras/activate', { name: 'Gate', deviceUrl, labelCode: cameras[1]!.labelCode });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('wrong_label_code');

    const res = await post('/api/v1/cameras/activate', { name: 'Gate', deviceUrl, labelCode: cameras[0]!.labelCode });
    expect(res.status).toBe(201);
    expect(res.body.camera).toMatchObject({ name: 'Gate', url: `rtsp://${CAMERAS[0]}:${CAMERA_PORTS.rtsp}/cam1`, username: 'admin', passwordSet: true });
    // The recorder's own RTSP client read the stream across the LAN with the password it chose.
    expect(res.body.probe).toMatchObject({ ok: true, result: { codec: 'h264', width: 320, height: 240 } });
    const password = storedPassword(res.body.camera.id);
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(password).not.toBe(STRONG_PASSWORD);
    expect(cameraAudit(cameras[0]!).map((e) => e.type)).toEqual(['camera.activation_failed', 'camera.activated']);
  }, 60_000);

  it("refuses, across the LAN, a replay of a token it accepted and a stale one, made with the recorder's own password", async () => {
    const password = storedPassword(1);
    const url = `http://${CAMERAS[0]}:${CAMERA_PORTS.http}/onvif/device_service`;
    const token = usernameToken('admin', password, new Date().toISOString());
    const first = await soap(url, token, GET_DEVICE_INFORMATION);
    expect(first.status).toBe(200);
    expect(first.text).toContain(cameras[0]!.serial);
    const replayed = await soap(url, token, GET_DEVICE_INFORMATION);
    expect(replayed.status).toBe(400);
    expect(replayed.text).toContain('ter:NotAuthorized');
    const stale = await soap(url, usernameToken('admin', password, new Date(Date.now() - 6 * 60_000).toISOString()), GET_DEVICE_INFORMATION);
    expect(stale.status).toBe(400);
    const refused = cameraAudit(cameras[0]!).filter((e) => e.type === 'auth.token_refused');
    expect(refused.map((e) => JSON.parse(e.details) as object)).toEqual([{ reason: 'replay' }, { reason: 'stale' }]);
  }, 60_000);

  it("never shows the camera's password: in no answer of the recorder, its audit log, or any device's log or audit log", async () => {
    const password = storedPassword(1);
    const audit = await admin.get('/api/v1/audit?limit=500');
    expect(audit.status).toBe(200);
    expect(audit.body.entries.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['camera.activated', 'camera.activation_failed']));
    answers.push(audit.text, (await admin.get('/api/v1/cameras')).text, (await admin.get('/api/v1/cameras/1')).text);
    const everything = [...answers, ...running.map((device) => device.output()), ...cameras.map((camera) => JSON.stringify(cameraAudit(camera)))].join('\n');
    expect(everything).toContain(cameras[0]!.serial); // the search reads what the devices said
    expect(everything).not.toContain(password);
    for (const camera of cameras) expect(everything).not.toContain(camera.labelCode);
  }, 30_000);
});
