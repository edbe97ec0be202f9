import { generateKeyPairSync, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudPaths } from '../../src/cloud/data-dir.js';
import { markVerified, signUpAddress } from '../../src/cloud/db/accounts.js';
import { startCloud, type RunningCloud } from '../../src/cloud/daemon.js';
import { PasswordHasher, TEST_ARGON2 } from '../../src/identity/passwords/hash.js';
import { CLOSE, connectUrlOf, signAuthorisation, signHello, type Challenge, type ResetAuthorisation } from '../../src/recorder/api/cloud-link.js';
import { answerCloudCommand } from '../../src/recorder/cloud/device-commands.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { activate, ApiClient, loggedInAdmin } from '../helpers/client.js';
import { OTHER_STRONG_PASSWORD, STRONG_PASSWORD, startTestRecorder, type TestRecorder } from '../helpers/recorder.js';
import { until } from '../helpers/until.js';
import { ManualTimers } from '../helpers/manual-timers.js';
import { FACTORY_RESET_PHRASE } from '../../src/recorder/recovery/reset-phrases.js';

// A real recorder bound to a real cloud (embedded PostgreSQL) over a real WebSocket: binding with
// the label code, online state, the online remote reset, unbinding from either side, and the
// attacks on each.
let root: string;
let cloud: RunningCloud;
const cloudClock = new ManualClock(Date.now());
let rec: TestRecorder;
const hasher = new PasswordHasher(TEST_ARGON2);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vigil-cloud-binding-'));
  cloud = await startCloud({ dataDir: root, listen: { host: '127.0.0.1', port: 0 }, argon2: TEST_ARGON2, clock: cloudClock, logger: createLogger({ level: 'silent' }) });
  rec = await startTestRecorder({ cloudUrl: cloud.url });
  await activate(rec);
  // Opening PGlite takes seconds, many more on a machine busy with other test files.
}, 120_000);
afterAll(async () => {
  await rec?.close();
  await cloud?.close();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

/** A verified account, logged in: a client carrying its session cookie. */
async function owner(email: string): Promise<ApiClient> {
  const { id } = await signUpAddress(cloud.db, 'email', email, await hasher.hash(STRONG_PASSWORD), 0);
  await markVerified(cloud.db, id, 0);
  return logIn(email);
}

async function logIn(email: string): Promise<ApiClient> {
  const client = new ApiClient(cloud.url);
  const res = await fetch(`${cloud.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: STRONG_PASSWORD }) });
  expect(res.status).toBe(200);
  client.cookie = res.headers.getSetCookie()[0]!.split(';')[0];
  return client;
}

async function cloudAudit(type: string) {
  const { rows } = await cloud.db.query<{ type: string; outcome: string; details: string }>('SELECT type, outcome, details FROM audit_log WHERE type = $1 ORDER BY seq', [type]);
  return rows;
}

/** Oldest first. */
const recorderAudit = (r: TestRecorder, type: string) => r.running.ctx.audit.query({ type, limit: 1000 }).reverse();

const online = (client: ApiClient, serial: string) =>
  until(async () => {
    const res = await client.get('/api/v1/devices');
    return res.body.devices?.find((d: { serial: string; online: boolean }) => d.serial === serial && d.online);
  }, `${serial} online`);

describe('binding a recorder to a cloud account', () => {
  let alice: ApiClient;
  beforeAll(async () => {
    alice = await owner('alice@example.com');
    await until(() => rec.running.ctx.cloudLink?.status().state === 'online', 'the recorder connected');
  }, 120_000);

  it('a wrong label code is refused, throttled per account and per serial, audited on both sides; the right one binds', async () => {
    const wrong = await alice.post('/api/v1/devices/bind', { serial: rec.serial, labelCode: 'AAAA-BBBB-CCCC-DDDD' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('invalid_label_code');
    for (let i = 0; i < 4; i++) await alice.post('/api/v1/devices/bind', { serial: rec.serial, labelCode: 'AAAA-BBBB-CCCC-DDDD' });
    // Blocked now, even with the right code, for this account and for this serial from any account.
    const blocked = await alice.post('/api/v1/devices/bind', { serial: rec.serial, labelCode: rec.labelCode });
    expect(blocked.status).toBe(429);
    const mallory = await owner('mallory@example.com');
    expect((await mallory.post('/api/v1/devices/bind', { serial: rec.serial, labelCode: rec.labelCode })).status).toBe(429);
    expect(await cloudAudit('device.bind_failed')).toHaveLength(5);
    expect(recorderAudit(rec, 'cloud.binding_requested')).toHaveLength(5);

    cloudClock.advance(15 * 60 + 1);
    alice = await logIn('alice@example.com');
    const bound = await alice.post('/api/v1/devices/bind', { serial: rec.serial, labelCode: rec.labelCode.toLowerCase() });
    expect(bound.status).toBe(201);
    expect(bound.body).toMatchObject({ serial: rec.serial, model: rec.model, online: true });
    expect((await alice.get('/api/v1/devices')).body.devices).toEqual([{ serial: rec.serial, model: rec.model, boundAt: expect.any(String), online: true }]);

    // The recorder: bound, the cloud's key pinned, the secret the cloud sealed is the one it keeps.
    const device = (await new ApiClient(rec.url).get('/api/v1/device')).body;
    expect(device.cloud).toEqual({ bound: true, cloudUrl: cloud.url, since: expect.any(String) });
    expect(device.recoveryMethods.cloud).toBe(true);
    const binding = rec.running.ctx.cloudBinding.get()!;
    expect(binding.cloudPublicKey).toBe(createPublicKey(createPrivateKey(readFileSync(cloudPaths(root).signingKey, 'utf8'))).export({ type: 'spki', format: 'pem' }));
    expect(binding.ownerLabel).toBe('a***@example.com');
    expect(rec.running.ctx.cloudBinding.deviceSecret()).toHaveLength(32);
    const admin = await loggedInAdmin(rec);
    expect((await admin.get('/api/v1/device/cloud')).body).toMatchObject({ bound: true, ownerLabel: 'a***@example.com', connection: { state: 'online' } });
    expect(recorderAudit(rec, 'cloud.bound')).toHaveLength(1);
    expect(await cloudAudit('device.bound')).toHaveLength(1);

    // One owner per device: another account with the right code gets a conflict, not the device.
    const bob = await owner('bob@example.com');
    expect((await bob.post('/api/v1/devices/bind', { serial: rec.serial, labelCode: rec.labelCode })).status).toBe(409);
    expect((await bob.get('/api/v1/devices')).body.devices).toEqual([]);
  });

  it('a recorder impersonated without its device key is refused, and the real one stays connected', async () => {
    const ws = new WebSocket(connectUrlOf(cloud.url));
    const stranger = generateKeyPairSync('ed25519');
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.once('message', (data) => {
      const challenge = JSON.parse(String(data)) as Challenge;
      const publicKey = stranger.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      ws.send(JSON.stringify(signHello(stranger.privateKey, challenge, { serial: rec.serial, model: rec.model, publicKey, bound: true })));
    });
    expect(await closed).toBe(CLOSE.unauthenticated);
    expect(await cloudAudit('device.connect_refused')).toEqual([expect.objectContaining({ outcome: 'failure' })]);
    await online(alice, rec.serial);
  });

  it('the online remote reset sets the password through the cloud, audited on both sides', async () => {
    const reset = await alice.post(`/api/v1/devices/${rec.serial}/reset`, { username: 'admin', newPassword: OTHER_STRONG_PASSWORD });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ reset: true, revokedSessions: 1 });
    expect((await new ApiClient(rec.url).login('admin', OTHER_STRONG_PASSWORD)).status).toBe(201);
    expect(JSON.parse(recorderAudit(rec, 'recovery.password_reset').at(-1)!.details)).toMatchObject({ method: 'cloud' });
    expect(await cloudAudit('device.reset_requested')).toHaveLength(1);
    // The relayed password is in no log and no audit entry.
    expect(rec.logs.join('\n')).not.toContain(OTHER_STRONG_PASSWORD);
    const { rows } = await cloud.db.query<{ text: string }>('SELECT details::text AS text FROM audit_log');
    expect(rows.map((r) => r.text).join('\n')).not.toContain(OTHER_STRONG_PASSWORD);

    // Without a password: a grant for the LAN, which the recorder's last step takes.
    const granted = await alice.post(`/api/v1/devices/${rec.serial}/reset`, { username: 'admin' });
    expect(granted.status).toBe(200);
    expect(granted.body.grant).toMatchObject({ username: 'admin', token: expect.any(String) });
    const lan = await new ApiClient(rec.url).post('/api/v1/recovery/reset', { token: granted.body.grant.token, newPassword: STRONG_PASSWORD });
    expect(lan.status).toBe(200);
    expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).status).toBe(201);
  });

  it('a reset needs a fresh login, and of a device the account owns', async () => {
    const bob = await logIn('bob@example.com');
    const other = await bob.post(`/api/v1/devices/${rec.serial}/reset`, { username: 'admin', newPassword: OTHER_STRONG_PASSWORD });
    expect(other.status).toBe(404);
    expect(await cloudAudit('device.reset_refused')).toEqual([expect.objectContaining({ details: expect.stringContaining('not_owner') })]);
    expect((await bob.delete(`/api/v1/devices/${rec.serial}`)).status).toBe(404);

    cloudClock.advance(11 * 60);
    const stale = await alice.post(`/api/v1/devices/${rec.serial}/reset`, { username: 'admin', newPassword: OTHER_STRONG_PASSWORD });
    expect(stale.status).toBe(403);
    expect(stale.body.error.code).toBe('reauthentication_required');
    alice = await logIn('alice@example.com');
    expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).status).toBe(201);
  });

  it("with the recorder's waiting period set, an online reset waits: a claim token, the password unchanged", async () => {
    const admin = await loggedInAdmin(rec);
    expect((await admin.put('/api/v1/settings/cloud-reset', { waitHours: 24 })).status).toBe(200);
    try {
      const reset = await alice.post(`/api/v1/devices/${rec.serial}/reset`, { username: 'admin', newPassword: OTHER_STRONG_PASSWORD });
      expect(reset.status).toBe(202);
      expect(reset.body.waiting).toMatchObject({ username: 'admin', claimToken: expect.any(String), effectiveAt: expect.any(String) });
      expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).status).toBe(201);
      expect(recorderAudit(rec, 'recovery.cloud_reset_pending')).toHaveLength(1);
    } finally {
      expect((await (await loggedInAdmin(rec)).put('/api/v1/settings/cloud-reset', { waitHours: 0 })).status).toBe(200);
    }
  });

  it('the recorder refuses a replayed authorisation (also after a restart), an expired one and one signed by another key', async () => {
    const cloudKey = createPrivateKey(readFileSync(cloudPaths(root).signingKey, 'utf8'));
    const authorisation = (expiresAt: number): ResetAuthorisation => ({
      format: 'vigil-cloud-reset-v1',
      serial: rec.serial,
      username: 'admin',
      nonce: randomBytes(16).toString('base64url'),
      expiresAt,
    });
    const send = (a: ResetAuthorisation, key = cloudKey) =>
      answerCloudCommand({ ...rec.running.ctx, deviceKey: rec.running.ctx.vendorSupport.deviceKey }, cloud.url, {
        kind: 'reset',
        authorisation: a,
        signature: signAuthorisation(key, a),
      });
    const good = authorisation(rec.clock.now() + 60_000);
    expect(await send(good)).toMatchObject({ ok: true, grant: { username: 'admin' } });
    expect(await send(good)).toEqual({ ok: false, reason: 'refused' });
    await rec.restart();
    expect(await send(good)).toEqual({ ok: false, reason: 'refused' });

    const late = authorisation(rec.clock.now() + 60_000);
    rec.clock.advance(61);
    expect(await send(late)).toEqual({ ok: false, reason: 'refused' });
    expect(await send(authorisation(rec.clock.now() + 60_000), generateKeyPairSync('ed25519').privateKey)).toEqual({ ok: false, reason: 'refused' });
    expect(recorderAudit(rec, 'recovery.evidence_failed').map((e) => (JSON.parse(String(e.details)) as { reason: string }).reason)).toEqual(['replayed', 'replayed', 'expired', 'bad_signature']);
  });

  it('unbinding from the cloud reaches the recorder; unbinding on the recorder (password again) reaches the cloud', async () => {
    await until(() => rec.running.ctx.cloudLink?.status().state === 'online', 'the restarted recorder reconnected');
    expect((await alice.delete(`/api/v1/devices/${rec.serial}`)).status).toBe(204);
    await until(() => rec.running.ctx.cloudBinding.get() === undefined, 'the recorder forgot the binding');
    expect(JSON.parse(recorderAudit(rec, 'cloud.unbound').at(-1)!.details)).toMatchObject({ by: 'cloud' });
    expect((await new ApiClient(rec.url).get('/api/v1/device')).body.cloud).toEqual({ bound: false, cloudUrl: null, since: null });

    expect((await alice.post('/api/v1/devices/bind', { serial: rec.serial, labelCode: rec.labelCode })).status).toBe(201);
    const admin = await loggedInAdmin(rec);
    expect((await admin.post('/api/v1/device/cloud/unbind', { currentPassword: 'not it' })).status).toBe(403);
    expect(rec.running.ctx.cloudBinding.get()).toBeDefined();
    expect((await admin.post('/api/v1/device/cloud/unbind', { currentPassword: STRONG_PASSWORD })).status).toBe(204);
    await until(async () => (await alice.get('/api/v1/devices')).body.devices.length === 0, 'the cloud forgot the binding');
    expect((await cloudAudit('device.unbound')).map((e) => JSON.parse(e.details).by)).toEqual(['owner', 'device']);
  });

  it('a factory reset of a bound recorder frees it in the cloud', async () => {
    expect((await alice.post('/api/v1/devices/bind', { serial: rec.serial, labelCode: rec.labelCode })).status).toBe(201);
    const admin = await loggedInAdmin(rec);
    expect((await admin.post('/api/v1/device/factory-reset', { confirm: FACTORY_RESET_PHRASE, currentPassword: STRONG_PASSWORD })).status).toBe(200);
    await until(async () => (await alice.get('/api/v1/devices')).body.devices.length === 0, 'the cloud forgot the binding');
    expect((await cloudAudit('device.unbound')).map((e) => JSON.parse(e.details).by)).toEqual(['owner', 'device', 'device']);
  });
});

function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    }),
  );
}

describe('a recorder with its cloud down', () => {
  it('works as without one, logs one line per attempt, backs off up to its cap, and connects once the cloud is back', async () => {
    // A port nobody listens on, then a cloud started on it.
    const port = await freePort();
    const clock = new ManualClock(Date.now());
    const timers = new ManualTimers(clock);
    const r = await startTestRecorder({ cloudUrl: `http://127.0.0.1:${port}`, timers, random: () => 0 });
    try {
      const lines = () => r.logs.filter((l) => l.includes('cloud_unreachable'));
      // The waits as the log lines announce them, in milliseconds.
      const waits = () => lines().map((l) => (JSON.parse(l) as { retryInSeconds: number }).retryInSeconds * 1000);
      await until(() => lines().length === 1, 'the first failed attempt');
      await activate(r);
      expect((await loggedInAdmin(r)).cookie).toBeDefined();
      for (let i = 2; i <= 12; i++) {
        await timers.advance(waits().at(-1)!);
        await until(() => lines().length === i, `attempt ${i}`);
      }
      // 1 s, doubling, capped at 5 minutes; one log line per attempt, nothing else about the cloud.
      expect(waits()).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000, 300000]);
      expect(r.running.ctx.cloudLink!.status().state).toBe('offline');
      expect(r.logs.filter((l) => l.includes('cloud') && !l.includes('cloud_unreachable'))).toEqual([]);

      const back = await startCloud({ dataDir: join(root, 'later'), listen: { host: '127.0.0.1', port: Number(port) }, argon2: TEST_ARGON2, logger: createLogger({ level: 'silent' }) });
      try {
        await timers.advance(waits().at(-1)!);
        await until(() => r.running.ctx.cloudLink!.status().state === 'online', 'connected once the cloud is back');
      } finally {
        await back.close();
      }
    } finally {
      await r.close();
    }
  }, 60_000);
});
