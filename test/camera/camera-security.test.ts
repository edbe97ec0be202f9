// The camera's refusals, sent as raw HTTP: replayed and stale tokens, lockout, activation, the reset button.
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cameraPaths } from '../../src/camera/device/data-dir.js';
import { probe } from './stream/ffmpeg-peer.js';
import {
  activate,
  ADMIN_PASSWORD,
  type CameraFixture,
  GET_DEVICE_INFORMATION,
  postJson,
  soap,
  startCameraFixture,
  usernameToken,
} from './camera-fixture.js';

let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'vigil-camera-clip-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

let fixture: CameraFixture;
afterEach(async () => {
  await fixture?.close();
});

const deviceService = () => `${fixture.camera.httpUrl}/onvif/device_service`;
const cameraTime = (offsetMs = 0) => new Date(fixture.clock.now() + offsetMs).toISOString();
const getInfo = (token: string) => soap(deviceService(), token, GET_DEVICE_INFORMATION);

function auditEntries(): { type: string; details: string; actor_username: string | null }[] {
  const db = new Database(cameraPaths(fixture.dataDir).database, { readonly: true });
  try {
    return db.prepare('SELECT type, details, actor_username FROM audit_log ORDER BY seq').all() as { type: string; details: string; actor_username: string | null }[];
  } finally {
    db.close();
  }
}

function pressButton(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: cameraPaths(fixture.dataDir).buttonSocket, path: '/button', method: 'POST' }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('WS-UsernameToken', () => {
  it('refuses a replayed token, even one that was accepted, and audits it', async () => {
    fixture = await startCameraFixture(cacheDir);
    await activate(fixture);
    const token = usernameToken('admin', ADMIN_PASSWORD, cameraTime());
    const first = await getInfo(token);
    expect(first.status, first.text).toBe(200);
    expect(first.text).toContain(fixture.camera.serial);
    const replayed = await getInfo(token);
    expect(replayed.status).toBe(400);
    expect(replayed.text).toContain('ter:NotAuthorized');
    expect(replayed.text).not.toContain(fixture.camera.serial);
    expect(auditEntries().filter((e) => e.type === 'auth.token_refused').map((e) => JSON.parse(e.details))).toEqual([{ reason: 'replay' }]);
  });

  it("refuses a Created more than 5 minutes off the camera's clock (not the client's), and a token without one", async () => {
    fixture = await startCameraFixture(cacheDir);
    await activate(fixture);
    // The fixture's camera runs 3 hours behind this machine: a token made with this machine's clock is stale to it.
    expect((await getInfo(usernameToken('admin', ADMIN_PASSWORD, new Date().toISOString()))).status).toBe(400);
    expect((await getInfo(usernameToken('admin', ADMIN_PASSWORD, cameraTime(-6 * 60_000)))).status).toBe(400);
    expect((await getInfo(usernameToken('admin', ADMIN_PASSWORD, cameraTime(+6 * 60_000)))).status).toBe(400);
    const withoutCreated = usernameToken('admin', ADMIN_PASSWORD, '').replace(/<Created[^>]*><\/Created>/, '');
    expect((await getInfo(withoutCreated)).status).toBe(400);
    expect((await getInfo(usernameToken('admin', ADMIN_PASSWORD, cameraTime(-4 * 60_000)))).status).toBe(200);
    const reasons = auditEntries()
      .filter((e) => e.type === 'auth.token_refused')
      .map((e) => (JSON.parse(e.details) as { reason: string }).reason);
    expect(reasons).toEqual(['stale', 'stale', 'stale', 'missing_created']);
  });

  it("locks a client out of an account after 5 wrong passwords (the core's lockout), even for the right one, until the block ends", async () => {
    fixture = await startCameraFixture(cacheDir);
    await activate(fixture);
    for (let i = 0; i < 5; i++) expect((await getInfo(usernameToken('admin', `wrong-${i}`, cameraTime()))).status).toBe(400);
    const locked = await getInfo(usernameToken('admin', ADMIN_PASSWORD, cameraTime()));
    expect(locked.status).toBe(400);
    expect(locked.text).toContain('ter:NotAuthorized');
    const types = auditEntries().map((e) => e.type);
    expect(types.filter((t) => t === 'auth.login_failed')).toHaveLength(5);
    expect(types).toContain('auth.lockout');
    // RTSP goes through the same lockout.
    expect((await probe(fixture.camera.rtspUrl.replace('rtsp://', `rtsp://admin:${ADMIN_PASSWORD}@`), 'tcp')).ok).toBe(false);
    fixture.clock.advance(61);
    expect((await getInfo(usernameToken('admin', ADMIN_PASSWORD, cameraTime()))).status).toBe(200);
  });
});

describe('SystemReboot', () => {
  it('is for Administrators only, and audited with who asked', async () => {
    fixture = await startCameraFixture(cacheDir);
    await activate(fixture);
    const create =
      '<CreateUsers xmlns="http://www.onvif.org/ver10/device/wsdl"><User><Username>viewer</Username>' +
      '<Password>copper-meadow-violin-82</Password><UserLevel>Operator</UserLevel></User></CreateUsers>';
    expect((await soap(deviceService(), usernameToken('admin', ADMIN_PASSWORD, cameraTime()), create)).status).toBe(200);
    const reboot = '<SystemReboot xmlns="http://www.onvif.org/ver10/device/wsdl"/>';
    const refused = await soap(deviceService(), usernameToken('viewer', 'copper-meadow-violin-82', cameraTime()), reboot);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('ter:NotAuthorized');
    const done = await soap(deviceService(), usernameToken('admin', ADMIN_PASSWORD, cameraTime()), reboot);
    expect(done.status).toBe(200);
    expect(done.text).toContain('<tds:Message>');
    expect(auditEntries().filter((e) => e.type === 'camera.rebooted').map((e) => e.actor_username)).toEqual(['admin']);
  });
});

describe('activation', () => {
  it('needs the label code; refuses a weak password, a second activation, and a guesser after 5 wrong codes', async () => {
    fixture = await startCameraFixture(cacheDir);
    const url = `${fixture.camera.httpUrl}/vigil/activate`;
    expect((await postJson(url, { labelCode: 'AAAA-BBBB-CCCC-DDDD', password: ADMIN_PASSWORD })).status).toBe(403);
    const weak = await postJson(url, { labelCode: fixture.labelCode, password: 'password123' });
    expect(weak.status).toBe(422);
    expect(weak.body.reason).toBe('weak_password');
    // The label code as people type it: lower case, without dashes.
    expect((await postJson(url, { labelCode: fixture.labelCode.replace(/-/g, '').toLowerCase(), password: ADMIN_PASSWORD })).status).toBe(200);
    expect(fixture.camera.isActive()).toBe(true);
    expect((await postJson(url, { labelCode: fixture.labelCode, password: 'another-strong-pass-51' })).status).toBe(409);
    expect(auditEntries().map((e) => e.type)).toEqual(['camera.activation_failed', 'camera.activated']);
  });

  it('throttles label code guesses per source: the right code is refused after 5 wrong ones', async () => {
    fixture = await startCameraFixture(cacheDir);
    const url = `${fixture.camera.httpUrl}/vigil/activate`;
    for (let i = 0; i < 5; i++) expect((await postJson(url, { labelCode: `AAAA-BBBB-CCCC-DDD${i}`, password: ADMIN_PASSWORD })).status).toBe(403);
    const throttled = await postJson(url, { labelCode: fixture.labelCode, password: ADMIN_PASSWORD });
    expect(throttled.status).toBe(429);
    expect(fixture.camera.isActive()).toBe(false);
  });
});

describe('the reset button', () => {
  it('short press with the label code sets a new admin password and keeps the other accounts; without it, nothing changes', async () => {
    fixture = await startCameraFixture(cacheDir);
    await activate(fixture);
    const create =
      '<CreateUsers xmlns="http://www.onvif.org/ver10/device/wsdl"><User><Username>viewer</Username>' +
      '<Password>copper-meadow-violin-82</Password><UserLevel>User</UserLevel></User></CreateUsers>';
    expect((await soap(deviceService(), usernameToken('admin', ADMIN_PASSWORD, cameraTime()), create)).status).toBe(200);

    const wrong = await pressButton({ press: 'short', labelCode: 'AAAA-BBBB-CCCC-DDDD', password: 'silver-canyon-drum-38' });
    expect(wrong.body).toEqual({ ok: false, reason: 'wrong_label_code' });
    expect((await getInfo(usernameToken('admin', ADMIN_PASSWORD, cameraTime()))).status).toBe(200);

    expect((await pressButton({ press: 'short', labelCode: fixture.labelCode, password: 'silver-canyon-drum-38' })).body).toEqual({ ok: true, press: 'short' });
    expect((await getInfo(usernameToken('admin', ADMIN_PASSWORD, cameraTime()))).status).toBe(400);
    expect((await getInfo(usernameToken('admin', 'silver-canyon-drum-38', cameraTime()))).status).toBe(200);
    expect((await getInfo(usernameToken('viewer', 'copper-meadow-violin-82', cameraTime()))).status).toBe(200);
    expect(auditEntries().map((e) => e.type)).toEqual(expect.arrayContaining(['camera.button_pressed', 'password.reset']));
  });

  it('long press is a factory reset: inactive, no account, no stream, and activation with the label code works again', async () => {
    fixture = await startCameraFixture(cacheDir);
    await activate(fixture);
    const withLogin = fixture.camera.rtspUrl.replace('rtsp://', `rtsp://admin:${ADMIN_PASSWORD}@`);
    expect((await probe(withLogin, 'tcp')).ok).toBe(true);
    expect((await pressButton({ press: 'long' })).body).toEqual({ ok: true, press: 'long' });
    expect(fixture.camera.isActive()).toBe(false);
    expect((await getInfo(usernameToken('admin', ADMIN_PASSWORD, cameraTime()))).status).toBe(400);
    expect((await probe(withLogin, 'tcp')).ok).toBe(false);
    expect((await activate(fixture, 'second-life-orchard-29')).status).toBe(200);
    expect((await getInfo(usernameToken('admin', 'second-life-orchard-29', cameraTime()))).status).toBe(200);
    const verified = await fixture.camera.verifyAudit();
    expect(verified.problems).toEqual([]);
    expect(auditEntries().map((e) => e.type)).toContain('camera.factory_reset');
  });
});

describe('secrets at rest', () => {
  it('keeps no password in clear in the database or the audit log, and answers none', async () => {
    fixture = await startCameraFixture(cacheDir);
    await activate(fixture);
    await getInfo(usernameToken('admin', 'wrong-guess-password-1', cameraTime()));
    const users = await soap(deviceService(), usernameToken('admin', ADMIN_PASSWORD, cameraTime()), '<GetUsers xmlns="http://www.onvif.org/ver10/device/wsdl"/>');
    expect(users.text).toContain('<tt:Username>admin</tt:Username>');
    expect(users.text).not.toContain(ADMIN_PASSWORD);
    const database = readFileSync(cameraPaths(fixture.dataDir).database);
    const wal = readFileSync(`${cameraPaths(fixture.dataDir).database}-wal`);
    for (const secret of [ADMIN_PASSWORD, 'wrong-guess-password-1', fixture.labelCode, fixture.labelCode.replace(/-/g, '')]) {
      expect(database.includes(secret)).toBe(false);
      expect(wal.includes(secret)).toBe(false);
    }
  });
});
