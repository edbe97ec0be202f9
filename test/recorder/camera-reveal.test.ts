// Revealing a camera's own password, and guessing label codes through the recorder: a real
// recorder over HTTP, a real Vigil camera it activated itself (so nobody typed its password), and a
// real SMTP server for the mails every reveal sends to the admins.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnvifClient } from '../../src/media/onvif/onvif-client.js';
import { ApiClient, activate as activateRecorder, loggedInAdmin } from '../helpers/client.js';
import { liftAllLockouts, OTHER_STRONG_PASSWORD, startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../helpers/recorder.js';
import { mailSettingsFor, startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { appCode, enrolTotp } from '../helpers/two-factor.js';
import { type CameraFixture, startCameraFixture } from '../camera/camera-fixture.js';

const OWNER_ADDRESS = 'owner@example.net';
const DEPUTY_ADDRESS = 'deputy@example.net';

let cacheDir: string;
let rec: TestRecorder;
let smtp: TestSmtpServer;
let admin: ApiClient;
let deputy: ApiClient;
let gate: CameraFixture;
let yard: CameraFixture;
let gateId: number;

const deviceUrlOf = (fixture: CameraFixture) => `${fixture.camera.httpUrl}/onvif/device_service`;
const reveal = (client: ApiClient, body: Record<string, unknown>, id = gateId) => client.post(`/api/v1/cameras/${id}/password/reveal`, body);
const auditOf = (type: string) => [...rec.running.ctx.audit.iterate({})].filter((e) => e.type === type);

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'vigil-camera-clip-'));
  gate = await startCameraFixture(cacheDir);
  yard = await startCameraFixture(cacheDir);
  smtp = await startTestSmtpServer();
  rec = await startTestRecorder();
  await activateRecorder(rec);
  admin = await loggedInAdmin(rec);
  expect((await admin.put('/api/v1/settings/mail', mailSettingsFor(smtp))).status).toBe(200);
  expect((await admin.put('/api/v1/me/notification-email', { email: OWNER_ADDRESS, currentPassword: STRONG_PASSWORD })).status).toBe(200);

  // A second admin with a notification address, and an operator, who gets no mail and cannot reveal.
  const created = await admin.post('/api/v1/users', { username: 'deputy', role: 'admin' });
  deputy = new ApiClient(rec.url);
  await deputy.login('deputy', created.body.oneTimePassword);
  await deputy.post('/api/v1/me/password', { currentPassword: created.body.oneTimePassword, newPassword: OTHER_STRONG_PASSWORD });
  expect((await deputy.login('deputy', OTHER_STRONG_PASSWORD)).status).toBe(201);
  expect((await deputy.put('/api/v1/me/notification-email', { email: DEPUTY_ADDRESS, currentPassword: OTHER_STRONG_PASSWORD })).status).toBe(200);

  const activated = await admin.post('/api/v1/cameras/activate', { name: 'Gate', deviceUrl: deviceUrlOf(gate), labelCode: gate.labelCode });
  expect(activated.status, JSON.stringify(activated.body)).toBe(201);
  gateId = activated.body.camera.id;
  await rec.running.ctx.audit.settled();
}, 60_000);
afterAll(async () => {
  await Promise.all([gate?.close(), yard?.close()]);
  await rec?.close();
  await smtp?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

describe("revealing a camera's password", () => {
  let revealed: string;

  it('needs the password again: a session alone, or a wrong password, shows nothing', async () => {
    expect((await reveal(admin, {})).status).toBe(400);
    const wrong = await reveal(admin, { currentPassword: OTHER_STRONG_PASSWORD });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('invalid_current_password');
    expect(wrong.headers.get('cache-control')).toBe('no-store');
    expect(auditOf('camera.password_revealed').map((e) => [e.outcome, e.actorUsername, e.target])).toEqual([['failure', 'admin', `camera:${gateId}`]]);
    // Only admins: an operator's session is refused whatever it sends.
    const created = await admin.post('/api/v1/users', { username: 'operator1', role: 'operator' });
    const operator = new ApiClient(rec.url);
    await operator.login('operator1', created.body.oneTimePassword);
    expect((await reveal(operator, { currentPassword: created.body.oneTimePassword })).status).toBe(403);
  });

  it('answers the login once, not to be cached, and it is the password the camera takes', async () => {
    smtp.mails.length = 0;
    const res = await reveal(admin, { currentPassword: STRONG_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.username).toBe('admin');
    revealed = res.body.password;
    expect(revealed.length).toBeGreaterThanOrEqual(32);
    // The camera itself takes it: the admin can log in to its own pages with it.
    const info = await new OnvifClient(deviceUrlOf(gate), { timeoutMs: 5000, now: () => rec.clock.now() }).deviceInformation({ username: 'admin', password: revealed });
    expect(info.serialNumber).toBeTruthy();
    // Nothing about the camera's list tells it afterwards.
    expect(JSON.stringify((await admin.get('/api/v1/cameras')).body)).not.toContain(revealed);
  });

  it('is audited with who and which camera, and mailed to every admin with a notification address; never the password', async () => {
    await rec.running.ctx.audit.settled();
    const entries = auditOf('camera.password_revealed');
    expect(entries.map((e) => [e.outcome, e.actorUsername, e.target])).toEqual([
      ['failure', 'admin', `camera:${gateId}`],
      ['success', 'admin', `camera:${gateId}`],
    ]);
    const mails = smtp.mails.filter((m) => m.headers.subject === "Vigil: A camera's password was shown");
    expect(mails.map((m) => m.rcptTo[0]).sort()).toEqual([DEPUTY_ADDRESS, OWNER_ADDRESS]);
    expect(mails[0]!.text).toContain('"Gate"');
    expect(mails[0]!.text).toContain('admin');
    const everywhere = JSON.stringify([...rec.running.ctx.audit.iterate({})]) + rec.logs.join('') + smtp.mails.map((m) => m.raw).join('');
    expect(everywhere).not.toContain(revealed);
  });

  it('a second reveal needs a second proof: replaying the answer is not possible, the request must carry the password again', async () => {
    expect((await reveal(admin, {})).status).toBe(400);
    const again = await reveal(admin, { currentPassword: STRONG_PASSWORD });
    expect(again.status).toBe(200);
    expect(auditOf('camera.password_revealed').filter((e) => e.outcome === 'success')).toHaveLength(2);
  });

  it('with two-step login, the second step is needed too, and a code works once', async () => {
    const { secret } = await enrolTotp(rec, deputy, OTHER_STRONG_PASSWORD);
    const missing = await reveal(deputy, { currentPassword: OTHER_STRONG_PASSWORD });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('second_factor_required');
    rec.clock.advance(30);
    const wrongCode = await reveal(deputy, { currentPassword: OTHER_STRONG_PASSWORD, totp: '000000' === appCode(rec, secret) ? '111111' : '000000' });
    expect(wrongCode.body.error.code).toBe('invalid_second_factor');
    const code = appCode(rec, secret);
    const ok = await reveal(deputy, { currentPassword: OTHER_STRONG_PASSWORD, totp: code });
    expect(ok.status).toBe(200);
    expect(ok.body.password).toBe(revealed);
    expect((await reveal(deputy, { currentPassword: OTHER_STRONG_PASSWORD, totp: code })).body.error.code).toBe('invalid_second_factor');
  });

  it('wrong passwords count in the login lockout: after five, even the right one is refused, and the lock is audited', async () => {
    await liftAllLockouts(rec);
    for (let i = 0; i < 5; i++) expect((await reveal(admin, { currentPassword: `wrong-${i}-${OTHER_STRONG_PASSWORD}` })).status).toBe(403);
    const locked = await reveal(admin, { currentPassword: STRONG_PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.body.password).toBeUndefined();
    expect(auditOf('auth.lockout').length).toBeGreaterThan(0);
    // The same lock a login from this browser meets.
    const login = await new ApiClient(rec.url).request('POST', '/api/v1/sessions', { username: 'admin', password: STRONG_PASSWORD }, { cookie: admin.deviceCookie! });
    expect(login.status).toBe(429);
    await liftAllLockouts(rec);
  });

  it('says so when the recorder holds no password for the camera', async () => {
    const added = await admin.post('/api/v1/cameras', { name: 'No login', url: 'rtsp://127.0.0.1:9/none' });
    const res = await reveal(admin, { currentPassword: STRONG_PASSWORD }, added.body.camera.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('camera_password_not_held');
    expect((await reveal(admin, { currentPassword: STRONG_PASSWORD }, 99999)).status).toBe(404);
  });
});

describe('guessing label codes through the recorder', () => {
  const clearSourceThrottle = () => ['127.0.0.1', '::ffff:127.0.0.1', '::1'].forEach((ip) => rec.running.ctx.sourceThrottle.clear(ip));
  const activateYard = (labelCode: string, deviceUrl = deviceUrlOf(yard)) => admin.post('/api/v1/cameras/activate', { name: 'Yard', deviceUrl, labelCode });

  it('is throttled per camera: after five wrong codes the recorder sends no more, not even the right one', async () => {
    // The wrong passwords above counted against this address as well.
    clearSourceThrottle();
    for (let i = 0; i < 5; i++) expect((await activateYard(`AAAA-AAAA-AAAA-AAA${i}`)).body.error.code).toBe('wrong_label_code');
    const blocked = await activateYard(yard.labelCode);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The code never reached the camera: it is still waiting for activation.
    expect(await (await fetch(`${yard.camera.httpUrl}/vigil/state`)).json()).toMatchObject({ active: false });
    const refusals = auditOf('camera.activation_failed').map((e) => JSON.parse(e.details).reason);
    expect(refusals.filter((r) => r === 'recorder_throttled')).toHaveLength(1);
    expect(JSON.stringify(auditOf('camera.activation_failed')) + rec.logs.join('')).not.toContain(yard.labelCode);
  });

  it('is throttled per source too, counted with wrong logins: guesses spread over cameras stop at the login limit', async () => {
    // Past the camera's block (and the camera's own), and the failures of the test above out of the source's window.
    rec.clock.advance(16 * 60);
    yard.clock.advance(16 * 60);
    clearSourceThrottle();
    // Closed ports: each a different "camera" that never answers; each try still counts.
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await activateYard('AAAA-AAAA-AAAA-AAAA', `http://127.0.0.1:${i + 1}/onvif/device_service`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 422)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect(auditOf('auth.lockout').filter((e) => e.target?.startsWith('source:'))).not.toHaveLength(0);
  });

  it('a right code, once the blocks are over, activates the camera and gives the tries back', async () => {
    rec.clock.advance(2 * 3600);
    yard.clock.advance(2 * 3600);
    // The session has ended meanwhile; the source's block has too.
    admin = await loggedInAdmin(rec);
    const res = await activateYard(yard.labelCode);
    expect(res.status).toBe(201);
    expect(res.body.camera).toMatchObject({ name: 'Yard', passwordSet: true });
  });

  it('the LAN scan has its own budget per user', async () => {
    // Each scan listens for 3 s: the budget's first five are spent as five scans would.
    const adminId = rec.running.ctx.store.findUserByUsername('admin')!.id;
    for (let i = 0; i < 5; i++) rec.running.ctx.cameraDiscoveryThrottle.record(`user:${adminId}`);
    expect((await admin.post('/api/v1/cameras/discovery', {})).status).toBe(200);
    const refused = await admin.post('/api/v1/cameras/discovery', {});
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_requests');
    // Probing addresses keeps its own budget.
    expect((await admin.post('/api/v1/cameras/probe', { url: 'rtsp://127.0.0.1:9/none' })).status).toBe(200);
  }, 20_000);
});
