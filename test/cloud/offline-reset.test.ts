// The offline remote reset end to end: a real recorder shows a challenge, the owner logged in to a
// real cloud (PGlite) gets the response code for it over HTTP, and the recorder gives a grant for it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { markVerified, signUpAddress } from '../../src/cloud/db/accounts.js';
import { insertBinding } from '../../src/cloud/db/devices.js';
import { cloudPaths } from '../../src/cloud/data-dir.js';
import { startCloud, type RunningCloud } from '../../src/cloud/daemon.js';
import { challengeText, type OfflineChallenge } from '../../src/identity/grants/offline-code.js';
import { PasswordHasher, TEST_ARGON2 } from '../../src/identity/passwords/hash.js';
import { loadOrCreateKeyFile } from '../../src/identity/sealing/secret-box.js';
import type { OfflineChallengeView } from '../../src/recorder/api/cloud-reset.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { activate, ApiClient } from '../helpers/client.js';
import { startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../helpers/recorder.js';

const hasher = new PasswordHasher(TEST_ARGON2);
const clock = new ManualClock(Date.now());
let root: string;
let cloud: RunningCloud;
let secretsKey: Buffer;
let accounts = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vigil-cloud-offline-'));
  // One embedded database for the file: opening PGlite costs seconds.
  cloud = await startCloud({ dataDir: root, listen: { host: '127.0.0.1', port: 0 }, argon2: TEST_ARGON2, logger: createLogger({ level: 'silent' }), clock });
  secretsKey = loadOrCreateKeyFile(cloudPaths(root).deviceSecretsKey, 'the per-device secrets');
});
afterAll(async () => {
  await cloud?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A verified account, logged in: its id and session cookie. */
async function owner(): Promise<{ id: number; cookie: string }> {
  const email = `owner${++accounts}@example.com`;
  const { id } = await signUpAddress(cloud.db, 'email', email, await hasher.hash(STRONG_PASSWORD), 0);
  await markVerified(cloud.db, id, 0);
  const res = await fetch(`${cloud.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: STRONG_PASSWORD }) });
  expect(res.status).toBe(200);
  return { id, cookie: res.headers.get('set-cookie')!.split(';')[0]! };
}

/** Both sides of a binding (the binding flow itself is the device lane's): the same secret on each. */
async function bind(rec: TestRecorder, accountId: number): Promise<void> {
  const secret = randomBytes(32);
  expect(rec.running.ctx.cloudBinding.bind({ cloudUrl: cloud.url, cloudPublicKey: 'unused here', ownerLabel: 'o***@example.com', boundAt: clock.now() }, secret)).toBe(true);
  const device = { serial: rec.serial, publicKey: 'unused here', model: rec.model, ownerAccountId: accountId, boundAt: clock.now() };
  expect(await insertBinding(cloud.db, device, secret, secretsKey)).toBe(true);
}

async function codeFromCloud(cookie: string | null, challenge: string) {
  const res = await fetch(`${cloud.url}/api/v1/offline-reset/code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ challenge }),
  });
  return { status: res.status, body: (await res.json()) as { serial: string; code: string; expiresAt: string; error: { code: string } } };
}

async function cloudAudit(): Promise<Array<{ type: string; outcome: string; target: string | null; details: Record<string, unknown> }>> {
  const { rows } = await cloud.db.query<{ type: string; outcome: string; target: string | null; details: string }>(
    "SELECT type, outcome, target, details FROM audit_log WHERE type LIKE 'device.%' ORDER BY seq",
  );
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}

let rec: TestRecorder;
beforeEach(async () => {
  await cloud.db.exec('DELETE FROM audit_log; DELETE FROM audit_head; DELETE FROM devices;');
  rec = await startTestRecorder();
  await activate(rec);
});
afterEach(() => rec.close());

const showChallenge = async () => (await new ApiClient(rec.url).post('/api/v1/recovery/cloud/challenge')).body as OfflineChallengeView;
const typeIntoRecorder = (code: string) => new ApiClient(rec.url).post('/api/v1/recovery/cloud/verify', { username: 'admin', code });

describe('offline reset: the cloud answers the code, the recorder gives the grant', () => {
  it('the owner types the challenge into the cloud, and the code it shows resets the admin', async () => {
    const me = await owner();
    await bind(rec, me.id);
    const challenge = await showChallenge();
    // What a person types: lower case, spaces instead of dashes.
    const typed = challenge.text.toLowerCase().replace(/-/g, ' ');
    const answer = await codeFromCloud(me.cookie, typed);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toEqual({ serial: rec.serial, code: expect.stringMatching(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/), expiresAt: challenge.expiresAt });
    // The QR payload works too, and gives the same code.
    expect((await codeFromCloud(me.cookie, challenge.qrPayload)).body.code).toBe(answer.body.code);

    const granted = await typeIntoRecorder(answer.body.code);
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);
    expect(granted.body).toMatchObject({ method: 'cloud', username: 'admin' });

    const audit = await cloudAudit();
    expect(audit.map((e) => [e.type, e.outcome, e.target])).toEqual([
      ['device.offline_reset_code_issued', 'success', `device:${rec.serial}`],
      ['device.offline_reset_code_issued', 'success', `device:${rec.serial}`],
    ]);
    expect(audit[0]!.details).toEqual({ challenge: challenge.nonce, expiresAt: challenge.expiresAt });
    // The code is in neither audit log.
    const { rows } = await cloud.db.query<{ details: string }>('SELECT details FROM audit_log');
    expect(rows.map((r) => r.details).join('')).not.toContain(answer.body.code.replace('-', ''));
  });

  it("the cloud gives no code for a device another account owns, nor for one bound to nobody: one answer for both", async () => {
    const me = await owner();
    const thief = await owner();
    await bind(rec, me.id);
    const challenge = await showChallenge();
    const theirs = await codeFromCloud(thief.cookie, challenge.text);
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.code).toBe('device_not_found');

    const unbound: OfflineChallenge = { serial: 'VGL260101ZZZZZZZZ', nonce: challenge.nonce, expiresAt: Date.parse(challenge.expiresAt) };
    const nobodys = await codeFromCloud(thief.cookie, challengeText(unbound));
    expect(nobodys.status).toBe(404);
    expect(nobodys.body).toEqual(theirs.body);
    expect((await cloudAudit()).map((e) => [e.type, e.outcome, e.details.reason])).toEqual([
      ['device.offline_reset_refused', 'failure', 'not_yours'],
      ['device.offline_reset_refused', 'failure', 'not_yours'],
    ]);
  });

  it('no session, no code', async () => {
    const me = await owner();
    await bind(rec, me.id);
    const res = await codeFromCloud(null, (await showChallenge()).text);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('not_logged_in');
    expect(await cloudAudit()).toEqual([]);
  });

  it('an expired, far-future or mistyped challenge gets no code', async () => {
    const me = await owner();
    await bind(rec, me.id);
    const shown = await showChallenge();
    const challenge: OfflineChallenge = { serial: rec.serial, nonce: shown.nonce, expiresAt: Date.parse(shown.expiresAt) };
    const past = await codeFromCloud(me.cookie, challengeText({ ...challenge, expiresAt: Math.floor(clock.now() / 60_000) * 60_000 }));
    const future = await codeFromCloud(me.cookie, challengeText({ ...challenge, expiresAt: challenge.expiresAt + 24 * 3600_000 }));
    for (const res of [past, future]) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('challenge_expired');
    }
    // The last symbol is a check symbol: any other value there is a typo, whatever the rest.
    const typo = shown.text.slice(0, -1) + (shown.text.endsWith('X') ? 'Y' : 'X');
    const mistyped = await codeFromCloud(me.cookie, typo);
    expect(mistyped.status).toBe(400);
    expect(mistyped.body.error.code).toBe('invalid_challenge');
  });

  it("a code the cloud computed for another challenge is refused by the recorder", async () => {
    const me = await owner();
    await bind(rec, me.id);
    const first = await showChallenge();
    const firstCode = (await codeFromCloud(me.cookie, first.text)).body.code;
    expect((await typeIntoRecorder(firstCode)).status).toBe(201);
    const second = await showChallenge();
    expect(second.nonce).not.toBe(first.nonce);
    const reused = await typeIntoRecorder(firstCode);
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('invalid_cloud_code');
    expect((await typeIntoRecorder((await codeFromCloud(me.cookie, second.text)).body.code)).status).toBe(201);
  });
});
