import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { markVerified, signUpAddress } from '../../src/cloud/db/accounts.js';
import { identityPorts } from '../../src/cloud/db/identity/index.js';
import { startCloud, type RunningCloud } from '../../src/cloud/daemon.js';
import { PasswordHasher, TEST_ARGON2 } from '../../src/identity/passwords/hash.js';
import { timeStep } from '../../src/identity/two-factor/totp.js';
import { createLogger } from '../../src/shared/logger.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';

// Login through the security core's password login, over HTTP, on PostgreSQL: one database per test,
// shared by every cloud instance the test starts.
let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server?.stop());

const hasher = new PasswordHasher(TEST_ARGON2);
let root: string;
let databaseUrl: string;
const clouds: RunningCloud[] = [];
const startInstance = async () => {
  const cloud = await startCloud({
    dataDir: root,
    listen: { host: '127.0.0.1', port: 0 },
    databaseUrl,
    argon2: TEST_ARGON2,
    logger: createLogger({ level: 'silent' }),
  });
  clouds.push(cloud);
  return cloud;
};
let cloud: RunningCloud;
beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'vigil-cloud-login-'));
  databaseUrl = await server.freshSchemaUrl();
  cloud = await startInstance();
});
afterEach(async () => {
  await Promise.all(clouds.splice(0).map((c) => c.close()));
  rmSync(root, { recursive: true, force: true });
});

async function account(email: string, verified = true): Promise<number> {
  const { id } = await signUpAddress(cloud.db, 'email', email, await hasher.hash(STRONG_PASSWORD), 0);
  if (verified) await markVerified(cloud.db, id, 0);
  return id;
}

async function login(email: string, password: string, on = cloud) {
  const res = await fetch(`${on.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('login to the cloud', () => {
  it('a verified account with its password gets a hardened session cookie; only the token\'s hash is stored', async () => {
    const id = await account('owner@example.com');
    const res = await login('Owner@Example.com', STRONG_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accountId: id });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^__Host-vigil_cloud_session=[A-Za-z0-9_-]{40,}; Path=\/; Secure; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const token = /=([^;]+)/.exec(cookie)![1]!;
    const { rows } = await cloud.db.query<{ token_hash: string; account_id: number }>('SELECT token_hash, account_id FROM sessions');
    expect(rows).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex'), account_id: id }]);
    const audit = await cloud.db.query<{ type: string }>('SELECT type FROM audit_log');
    expect(audit.rows.map((r) => r.type)).toEqual(['auth.login']);
  });

  it('an unknown address, an unverified account and a wrong password get one answer', async () => {
    await account('owner@example.com');
    await account('pending@example.com', false);
    const answers = [
      await login('nobody@example.com', STRONG_PASSWORD),
      await login('pending@example.com', STRONG_PASSWORD),
      await login('owner@example.com', 'Not the password 123'),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: { code: 'invalid_credentials', message: 'The email address or the password is wrong.' } });
      expect(answer.headers.get('set-cookie')).toBeNull();
    }
    expect((await cloud.db.query('SELECT count(*) AS n FROM sessions')).rows).toEqual([{ n: 0 }]);
  });

  it('locks a client out of an account after 5 wrong passwords, spread over two instances, the right one included', async () => {
    await account('owner@example.com');
    const other = await startInstance();
    for (let i = 0; i < 5; i++) expect((await login('owner@example.com', `Wrong guess ${i}`, i % 2 ? other : cloud)).status).toBe(401);
    for (const instance of [cloud, other]) {
      const locked = await login('owner@example.com', STRONG_PASSWORD, instance);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    const { rows } = await cloud.db.query<{ type: string }>('SELECT type FROM audit_log ORDER BY seq');
    expect(rows.map((r) => r.type)).toContain('auth.lockout');
  });

  it('throttles an address that guesses across accounts, in the database every instance reads', async () => {
    await account('owner@example.com');
    const other = await startInstance();
    for (let i = 0; i < 10; i++) expect((await login(`guess${i}@example.com`, 'Some password 1', i % 2 ? other : cloud)).status).toBe(401);
    const blocked = await login('owner@example.com', STRONG_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // A refused attempt counts nothing: the address's ten failures are all that is stored.
    expect((await cloud.db.query("SELECT count(*) AS n FROM source_attempts WHERE source = '127.0.0.1'")).rows).toEqual([{ n: 10 }]);
  });

  it('answers text PostgreSQL cannot store (a NUL character) as a bad request, not a fault', async () => {
    for (const email of ['owner\u0000@example.com', '\u0000']) {
      expect(await login(email, STRONG_PASSWORD)).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    }
  });

  it('opens no session for an account with a second factor: the password answers the challenge of the second step', async () => {
    const id = await account('careful@example.com');
    const factors = identityPorts(cloud.db, randomBytes(32)).twoFactorFactors;
    const secret = randomBytes(48);
    await factors.startTotp(id, secret, Date.now());
    await factors.confirmTotp(id, secret, timeStep(Date.now()), Date.now());
    const res = await login('careful@example.com', STRONG_PASSWORD);
    expect(res).toMatchObject({ status: 200, body: { secondFactorRequired: true, methods: ['totp', 'recovery_code'] } });
    expect(res.headers.get('set-cookie')).toBeNull();
    const keyed = await account('keyed@example.com');
    await factors.addPasskey({ accountId: keyed, credentialId: 'cred-1', name: 'Key', publicKey: randomBytes(77), counter: 0, transports: ['usb'], createdAt: 0 });
    // Without --external-url there is no relying party: the passkey cannot be offered, its recovery codes can.
    expect(await login('keyed@example.com', STRONG_PASSWORD)).toMatchObject({ status: 200, body: { secondFactorRequired: true, methods: ['recovery_code'] } });
    expect((await cloud.db.query('SELECT count(*) AS n FROM sessions')).rows).toEqual([{ n: 0 }]);
  });
});
