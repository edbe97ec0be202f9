import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { identityPorts } from '../../src/cloud/db/identity/index.js';
import { issueRecoveryCodes } from '../../src/identity/two-factor/enrolment.js';
import { loadOrCreateTwoFactorKey, sealSecret } from '../../src/identity/two-factor/secrets.js';
import { isoTime, ManualClock } from '../../src/shared/clock.js';
import { appCodeAt, CloudClient, verifiedAccount } from '../helpers/cloud-client.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startTestCloud, type TestCloud } from '../helpers/test-cloud.js';
import { until } from '../helpers/until.js';

// The second step of a login, over HTTP, on PostgreSQL: a right password for an account with 2FA
// answers a challenge and no session; a TOTP code (computed by otplib at the injected clock's
// time) or a recovery code completes it. Passkeys: test/cloud/two-factor-enrolment.test.ts.
let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server?.stop());

let cloud: TestCloud;
let clock: ManualClock;
beforeEach(async () => {
  clock = new ManualClock(Date.UTC(2026, 11, 7, 12, 0, 10));
  cloud = await startTestCloud({
    databaseUrl: await server.freshSchemaUrl(),
    clock,
  });
});
afterEach(() => cloud.close());

/** An account with a confirmed authenticator app and recovery codes, as enrolment leaves it. */
async function accountWithTotp(email: string): Promise<{ id: number; secret: Buffer; recoveryCodes: string[] }> {
  const id = await verifiedAccount(cloud, email);
  const key = loadOrCreateTwoFactorKey(join(cloud.dataDir, 'keys', 'two-factor.key'));
  const factors = identityPorts(cloud.db, randomBytes(32)).twoFactorFactors;
  const secret = randomBytes(20);
  const sealed = sealSecret(key, id, secret);
  await factors.startTotp(id, sealed, clock.now() - 3_600_000);
  // Confirmed an hour ago, with that hour's code.
  await factors.confirmTotp(id, sealed, Math.floor((clock.now() - 3_600_000) / 30_000), clock.now() - 3_600_000);
  return { id, secret, recoveryCodes: await issueRecoveryCodes({ twoFactor: factors, twoFactorKey: key }, id) };
}

const sessionCount = async () => (await cloud.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions')).rows[0]!.n;
const auditRows = async () =>
  (await cloud.db.query<{ type: string; details: string }>('SELECT type, details FROM audit_log ORDER BY seq')).rows.map((r) => ({ type: r.type, details: JSON.parse(r.details) }));

async function firstStep(client: CloudClient, email: string): Promise<string> {
  const res = await client.logIn(email);
  expect(res.status).toBe(200);
  expect(res.headers.get('set-cookie')).toBeNull();
  expect(res.body).toEqual({ secondFactorRequired: true, challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), methods: ['totp', 'recovery_code'], expiresAt: isoTime(clock.now() + 5 * 60_000) });
  return res.body.challenge as string;
}

describe('the second step of a login', () => {
  it('a right password answers a challenge and no session; a right TOTP code opens the session', async () => {
    const { secret } = await accountWithTotp('careful@example.com');
    const client = new CloudClient(cloud);
    const challenge = await firstStep(client, 'careful@example.com');
    expect(await sessionCount()).toBe(0);
    const done = await client.post('/api/v1/login/second-factor', { challenge, totp: appCodeAt(secret, clock.now()) });
    expect(done.status).toBe(200);
    expect(done.headers.get('set-cookie')).toMatch(/^__Host-vigil_cloud_session=[A-Za-z0-9_-]{40,}; Path=\/; Secure; HttpOnly; SameSite=Strict/);
    expect((await client.get('/api/v1/account')).body.twoFactor.methods).toEqual(['totp', 'recovery_code']);
    expect((await auditRows()).find((r) => r.type === 'auth.login')?.details).toEqual({ secondFactor: 'totp' });
  });

  it('attack: the second step cannot be skipped by calling other routes, with or without the challenge as a cookie', async () => {
    await accountWithTotp('careful@example.com');
    const client = new CloudClient(cloud);
    const challenge = await firstStep(client, 'careful@example.com');
    expect(client.token).toBeUndefined();
    for (const token of [undefined, challenge]) {
      client.token = token;
      for (const [method, path] of [['GET', '/api/v1/account'], ['GET', '/api/v1/account/sessions'], ['POST', '/api/v1/account/sessions/revoke-others']] as const) {
        expect((await client.send(method, path)).status, `${method} ${path}`).toBe(401);
      }
    }
    expect(await sessionCount()).toBe(0);
  });

  it('attack: a TOTP code used once is refused the second time, in a new login within its window', async () => {
    const { secret } = await accountWithTotp('careful@example.com');
    const code = appCodeAt(secret, clock.now());
    const first = new CloudClient(cloud);
    expect((await first.post('/api/v1/login/second-factor', { challenge: await firstStep(first, 'careful@example.com'), totp: code })).status).toBe(200);
    clock.advance(5);
    const replay = new CloudClient(cloud);
    const refused = await replay.post('/api/v1/login/second-factor', { challenge: await firstStep(replay, 'careful@example.com'), totp: code });
    expect(refused).toMatchObject({ status: 401, body: { error: { code: 'invalid_second_factor' } } });
    expect(replay.token).toBeUndefined();
    expect(await sessionCount()).toBe(1);
    await until(async () => (await auditRows()).some((r) => r.type === 'twofactor.replay_rejected'), 'the replay in the audit log', 5000);
  });

  it('a challenge is single use, and expires after 5 minutes', async () => {
    const { secret } = await accountWithTotp('careful@example.com');
    const client = new CloudClient(cloud);
    const challenge = await firstStep(client, 'careful@example.com');
    expect((await client.post('/api/v1/login/second-factor', { challenge, totp: appCodeAt(secret, clock.now()) })).status).toBe(200);
    clock.advance(30);
    const again = await new CloudClient(cloud).post('/api/v1/login/second-factor', { challenge, totp: appCodeAt(secret, clock.now()) });
    expect(again).toMatchObject({ status: 401, body: { error: { code: 'invalid_challenge' } } });

    const late = new CloudClient(cloud);
    const fresh = await firstStep(late, 'careful@example.com');
    clock.advance(5 * 60);
    expect((await late.post('/api/v1/login/second-factor', { challenge: fresh, totp: appCodeAt(secret, clock.now()) })).body.error.code).toBe('invalid_challenge');
  });

  it('attack: 5 wrong codes burn the challenge and lock the client out: even the right code then opens no session', async () => {
    const { secret } = await accountWithTotp('careful@example.com');
    const client = new CloudClient(cloud);
    const challenge = await firstStep(client, 'careful@example.com');
    const right = appCodeAt(secret, clock.now());
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      expect((await client.post('/api/v1/login/second-factor', { challenge, totp: wrong })).body.error.code).toBe('invalid_second_factor');
    }
    const burnt = await client.post('/api/v1/login/second-factor', { challenge, totp: right });
    expect(burnt).toMatchObject({ status: 401, body: { error: { code: 'invalid_challenge' } } });
    const locked = await client.logIn('careful@example.com');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await sessionCount()).toBe(0);
    await until(async () => (await auditRows()).some((r) => r.type === 'auth.lockout'), 'the lockout in the audit log', 5000);
  });

  it('a recovery code completes the login once; the same code again is refused', async () => {
    const { recoveryCodes } = await accountWithTotp('careful@example.com');
    const client = new CloudClient(cloud);
    const used = await client.post('/api/v1/login/second-factor', { challenge: await firstStep(client, 'careful@example.com'), recoveryCode: recoveryCodes[0]!.toLowerCase() });
    expect(used.status).toBe(200);
    expect((await client.get('/api/v1/account')).body.twoFactor.recoveryCodesRemaining).toBe(9);
    const other = new CloudClient(cloud);
    const again = await other.post('/api/v1/login/second-factor', { challenge: await firstStep(other, 'careful@example.com'), recoveryCode: recoveryCodes[0] });
    expect(again).toMatchObject({ status: 401, body: { error: { code: 'invalid_second_factor' } } });
    await until(async () => (await auditRows()).some((r) => r.type === 'twofactor.recovery_code_used' && r.details.remaining === 9), 'the used code in the audit log', 5000);
  });

  it('a challenge answers only its own account: another account\'s TOTP code does not complete it', async () => {
    await accountWithTotp('careful@example.com');
    const other = await accountWithTotp('other@example.com');
    const client = new CloudClient(cloud);
    const refused = await client.post('/api/v1/login/second-factor', { challenge: await firstStep(client, 'careful@example.com'), totp: appCodeAt(other.secret, clock.now()) });
    expect(refused.body.error.code).toBe('invalid_second_factor');
    expect(await sessionCount()).toBe(0);
  });
});
