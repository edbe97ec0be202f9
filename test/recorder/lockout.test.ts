// Brute-force defence against a real recorder: per-(account, client) lockout, the hourly budget
// for unknown clients, device cookies, and the admin's view. Time moves on a manual clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConcurrencyLimit } from '../../src/shared/concurrency-limit.js';
import { runVigil, startVigilDaemon } from '../helpers/cli.js';
import { activate, ApiClient, loggedInAdmin, loginFrom, type ApiResponse, type RawResponse } from '../helpers/client.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../helpers/recorder.js';

const ATTACKER = '127.0.0.2';
const WRONG = 'not the password 123';

/** Fails from `address` until the recorder answers 429; returns how many 401s came first and the 429. */
async function failUntilLocked(rec: TestRecorder, address: string, username: string, limit = 20) {
  for (let failures = 0; failures < limit; failures++) {
    const res = await loginFrom(rec, address, username, `${WRONG} ${failures}`);
    if (res.status === 429) return { failures, locked: res };
    expect(res.status).toBe(401);
  }
  throw new Error(`${address} was never locked out of ${username}`);
}

function retryAfter(res: RawResponse | ApiResponse): number {
  const header = res.headers instanceof Headers ? res.headers.get('retry-after') : res.headers['retry-after'];
  return Number(header);
}

/** A second account, inserted directly: there is no user-management API yet. */
async function addOperator(rec: TestRecorder, username: string, password: string): Promise<number> {
  const hash = await rec.running.ctx.hasher.hash(password);
  const db = new Database(join(rec.dataDir, 'vigil.db'));
  try {
    const now = rec.clock.now();
    return Number(
      db
        .prepare("INSERT INTO users (username, role, password_hash, password_changed_at, created_at) VALUES (?, 'operator', ?, ?, ?)")
        .run(username, hash, now, now).lastInsertRowid,
    );
  } finally {
    db.close();
  }
}

function auditOf(rec: TestRecorder, type: string) {
  return rec.running.ctx.audit.query({ type, limit: 1000 });
}

let rec: TestRecorder;
beforeEach(async () => {
  rec = await startTestRecorder();
  await activate(rec);
});
afterEach(() => rec.close());

describe('per (account, client) lockout', () => {
  it('the owner with a device cookie logs in while an attacker from another address is locked out of the same account', async () => {
    const owner = await loggedInAdmin(rec); // from 127.0.0.1: this browser now holds a device cookie
    expect(owner.deviceCookie).toMatch(/^__Host-vigil_device=/);

    const { failures, locked } = await failUntilLocked(rec, ATTACKER, 'admin');
    expect(failures).toBe(5); // as for every role
    expect(locked.body.error.code).toBe('too_many_attempts');
    // Locked even with the right password: a lockout is not a password check.
    expect((await loginFrom(rec, ATTACKER, 'admin', STRONG_PASSWORD)).status).toBe(429);

    const again = await owner.login('admin', STRONG_PASSWORD);
    expect(again.status).toBe(201);
    // Another address that has not failed is not locked either: the lock is the attacker's alone.
    expect((await loginFrom(rec, '127.0.0.3', 'admin', STRONG_PASSWORD)).status).toBe(201);
    expect((await loginFrom(rec, ATTACKER, 'admin', STRONG_PASSWORD)).status).toBe(429);
  });

  it('locks after 5 failures for an admin, another user and a name no account has alike: the count tells no admin apart', async () => {
    await addOperator(rec, 'olivia', OTHER_STRONG_PASSWORD);
    expect((await failUntilLocked(rec, '127.0.0.2', 'admin')).failures).toBe(5);
    expect((await failUntilLocked(rec, '127.0.0.3', 'olivia')).failures).toBe(5);
    expect((await failUntilLocked(rec, '127.0.0.4', 'nobody-here')).failures).toBe(5);
  });

  it('blocks 60 s first, with a Retry-After that counts down, then doubles up to 1 h', async () => {
    // A known device of the admin: its failures are its own and the per-address throttle does
    // not apply to it, so the doubling can be followed all the way up.
    const device = await loggedInAdmin(rec);
    for (let i = 0; i < 5; i++) expect((await device.login('admin', `${WRONG} ${i}`)).status).toBe(401);
    const first = await device.login('admin', STRONG_PASSWORD);
    expect(first.status).toBe(429);
    expect(retryAfter(first)).toBe(60);
    expect(first.body.error.details).toEqual({ retryAfterSeconds: 60 });

    rec.clock.advance(25);
    expect(retryAfter(await device.login('admin', STRONG_PASSWORD))).toBe(35);

    const blocks: number[] = [];
    let wait = 35;
    for (let i = 0; i < 8; i++) {
      rec.clock.advance(wait);
      expect((await device.login('admin', `${WRONG} again ${i}`)).status).toBe(401);
      const res = await device.login('admin', STRONG_PASSWORD);
      expect(res.status).toBe(429);
      wait = retryAfter(res);
      blocks.push(wait);
    }
    expect(blocks).toEqual([120, 240, 480, 960, 1920, 3600, 3600, 3600]);
    rec.clock.advance(3600);
    expect((await device.login('admin', STRONG_PASSWORD)).status).toBe(201);
  });

  it('a success resets the count', async () => {
    const client = new ApiClient(rec.url);
    for (let i = 0; i < 4; i++) expect((await client.login('admin', `${WRONG} ${i}`)).status).toBe(401);
    expect((await client.login('admin', STRONG_PASSWORD)).status).toBe(201);
    client.deviceCookie = undefined; // stay an unknown client: the count is per (account, address)
    for (let i = 0; i < 3; i++) expect((await client.login('admin', `${WRONG} ${i}`)).status).toBe(401);
    // 7 failures in all but only 3 since the success: not locked, and not throttled per address
    // either (a success takes its own attempt back, not the failures).
    expect((await client.login('admin', STRONG_PASSWORD)).status).toBe(201);
  });

  it('a lockout survives a restart of the recorder', async () => {
    await failUntilLocked(rec, ATTACKER, 'admin');
    rec.clock.advance(20);
    await rec.restart();
    const res = await loginFrom(rec, ATTACKER, 'admin', STRONG_PASSWORD);
    expect(res.status).toBe(429);
    expect(retryAfter(res)).toBe(40);
    rec.clock.advance(40);
    expect((await loginFrom(rec, ATTACKER, 'admin', STRONG_PASSWORD)).status).toBe(201);
  });

  it('the per-address throttle across accounts survives a restart too', async () => {
    // One failure on each of 10 names: no account's lockout, only the address's throttle.
    for (let i = 0; i < 10; i++) expect((await loginFrom(rec, ATTACKER, `name-${i}`, WRONG)).status).toBe(401);
    expect((await loginFrom(rec, ATTACKER, 'admin', STRONG_PASSWORD)).status).toBe(429);
    rec.clock.advance(20);
    await rec.restart();
    const res = await loginFrom(rec, ATTACKER, 'admin', STRONG_PASSWORD);
    expect([res.status, res.body.error.code]).toEqual([429, 'too_many_attempts']);
    expect(retryAfter(res)).toBe(40);
    rec.clock.advance(40);
    expect((await loginFrom(rec, ATTACKER, 'admin', STRONG_PASSWORD)).status).toBe(201);
  });

  it('audits each lock once, against user:<id> or the attempted name, with the kind of client', async () => {
    await failUntilLocked(rec, ATTACKER, 'admin');
    await loginFrom(rec, ATTACKER, 'admin', WRONG); // refused while locked: no second entry
    await failUntilLocked(rec, '127.0.0.3', 'ghost');
    const entries = auditOf(rec, 'auth.lockout').filter((e) => !e.target?.startsWith('source:'));
    expect(entries.map((e) => [e.target, e.sourceIp, JSON.parse(e.details)])).toEqual([
      ['username:ghost', '127.0.0.3', { clientKind: 'address', client: '127.0.0.3', retryAfterSeconds: 60 }],
      ['user:1', ATTACKER, { clientKind: 'address', client: ATTACKER, retryAfterSeconds: 60 }],
    ]);
  });
});

describe('device cookies', () => {
  it('is __Host-, HttpOnly, Secure, SameSite=Strict, long-lived, and refreshed at every login', async () => {
    const client = new ApiClient(rec.url);
    const res = await client.login('admin', STRONG_PASSWORD);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-vigil_device='))!;
    for (const attribute of ['Path=/', 'HttpOnly', 'Secure', 'SameSite=Strict']) expect(cookie).toContain(attribute);
    expect(cookie).not.toContain('Domain=');
    expect(Number(/Max-Age=(\d+)/.exec(cookie)![1])).toBeGreaterThanOrEqual(365 * 24 * 3600);
    const first = client.deviceCookie!;
    rec.clock.advance(10);
    await client.login('admin', STRONG_PASSWORD);
    // Same device id, new issue time and signature.
    expect(client.deviceCookie).not.toBe(first);
    expect(client.deviceCookie!.split('.')[1]).toBe(first.split('.')[1]);
    expect(JSON.stringify(res.body)).not.toContain(first.split('=')[1]!);
  });

  it('marks a login without a valid device cookie as from a new device in the audit log', async () => {
    const client = new ApiClient(rec.url);
    await client.login('admin', STRONG_PASSWORD);
    await client.login('admin', STRONG_PASSWORD);
    client.deviceCookie = client.deviceCookie!.slice(0, -1) + (client.deviceCookie!.endsWith('0') ? '1' : '0');
    await client.login('admin', STRONG_PASSWORD);
    const flags = auditOf(rec, 'auth.login').map((e) => JSON.parse(e.details).newDevice).reverse();
    expect(flags).toEqual([true, false, true]);
  });

  it('a forged cookie, or one of another account, does not make a client known', async () => {
    const operatorId = await addOperator(rec, 'olivia', OTHER_STRONG_PASSWORD);
    const owner = await loggedInAdmin(rec);
    const operator = new ApiClient(rec.url);
    expect((await operator.login('olivia', OTHER_STRONG_PASSWORD)).status).toBe(201);
    expect(operator.deviceCookie!.split('=')[1]!.startsWith(`${operatorId}.`)).toBe(true);

    await failUntilLocked(rec, ATTACKER, 'admin');
    const [, value] = owner.deviceCookie!.split('=') as [string, string];
    const [userId, deviceId, issuedAt, mac] = value.split('.') as [string, string, string, string];
    const forgeries = [
      `__Host-vigil_device=${userId}.${deviceId}.${issuedAt}.${'0'.repeat(64)}`, // wrong signature
      `__Host-vigil_device=${userId}.${deviceId}.${Number(issuedAt) + 1}.${mac}`, // altered issue time
      `__Host-vigil_device=${userId}.${'a'.repeat(32)}.${issuedAt}.${mac}`, // another device id
      operator.deviceCookie!, // valid, but for olivia
      '__Host-vigil_device=garbage',
    ];
    for (const cookie of forgeries) {
      expect((await loginFrom(rec, ATTACKER, 'admin', STRONG_PASSWORD, cookie)).status, cookie).toBe(429);
    }
    // The real one works from the locked address.
    expect((await loginFrom(rec, ATTACKER, 'admin', STRONG_PASSWORD, owner.deviceCookie)).status).toBe(201);
  });

  it("a known browser's password check never waits behind unknown clients' checks", async () => {
    const owner = await loggedInAdmin(rec);
    const limit = new ConcurrencyLimit(1);
    rec.running.ctx.unknownClientHashing = limit;
    let release!: () => void;
    const busy = limit.run(() => new Promise<void>((resolve) => (release = resolve))); // every slot taken

    let newcomerAnswered = false;
    const newcomer = new ApiClient(rec.url).login('admin', STRONG_PASSWORD).then((res) => ((newcomerAnswered = true), res));
    await expect.poll(() => limit.waiting, { timeout: 10_000 }).toBe(1); // the newcomer's check is queued
    expect((await owner.login('admin', STRONG_PASSWORD)).status).toBe(201);
    expect(newcomerAnswered).toBe(false);

    release();
    await busy;
    expect((await newcomer).status).toBe(201);
  });

  it('an expired device cookie (over a year old) no longer counts', async () => {
    const owner = await loggedInAdmin(rec);
    rec.clock.advance(366 * 24 * 3600);
    await failUntilLocked(rec, ATTACKER, 'admin');
    expect((await loginFrom(rec, ATTACKER, 'admin', STRONG_PASSWORD, owner.deviceCookie)).status).toBe(429);
  });
});

describe('unknown clients share an hourly budget per account', () => {
  const ATTACKERS = Array.from({ length: 50 }, (_, i) => `127.0.0.${i + 2}`);

  /** Every attacker address guesses at once until each is locked out; returns how many 401s they got. */
  async function attack(username: string, addresses = ATTACKERS): Promise<number> {
    const answers = await Promise.all(addresses.map((address) => failUntilLocked(rec, address, username)));
    return answers.reduce((sum, a) => sum + a.failures, 0);
  }

  it('50 addresses get at most 100 guesses an hour on one account; the owner with a device cookie still gets in', async () => {
    const owner = await loggedInAdmin(rec);
    const adminHash = rec.running.ctx.store.findUserByUsername('admin')!.passwordHash;
    const verify = vi.spyOn(rec.running.ctx.hasher, 'verify');
    const guesses = () => verify.mock.calls.filter(([hash]) => hash === adminHash).length;

    const answered = await attack('admin');
    expect(answered).toBe(50 * 5); // every address saw 5 wrong-password answers before its own lock...
    expect(guesses()).toBe(100); // ...but only 100 of them were real password checks
    expect(auditOf(rec, 'auth.lockout').filter((e) => JSON.parse(e.details).clientKind === 'unknown_clients')).toHaveLength(1);

    // The owner's browser is a known client: neither the attackers' locks nor the budget apply.
    expect((await owner.login('admin', STRONG_PASSWORD)).status).toBe(201);
    expect(guesses()).toBe(101); // the owner's own login was checked

    // The attackers' own 60 s locks run out, the budget does not: their guesses are not checked.
    rec.clock.advance(61);
    for (const address of ATTACKERS.slice(0, 10)) expect((await loginFrom(rec, address, 'admin', STRONG_PASSWORD)).status).toBe(401);
    expect(guesses()).toBe(101);

    // An hour after the last guess, the budget is back: 100 more in the next hour, from 50 new addresses.
    rec.clock.advance(3600);
    expect(await attack('admin', ATTACKERS.map((a) => a.replace('127.0.0.', '127.0.1.')))).toBe(50 * 5);
    expect(guesses()).toBe(201);
  });

  it('an account closed to unknown clients answers exactly like a wrong password, even to the right one', async () => {
    await attack('admin');
    const fresh = '127.0.0.100';
    const rightPassword = await loginFrom(rec, fresh, 'admin', STRONG_PASSWORD);
    const wrongPassword = await loginFrom(rec, '127.0.0.101', 'admin', WRONG);
    const unknownUser = await loginFrom(rec, '127.0.0.102', 'nobody-here', WRONG);
    const shape = (r: RawResponse) => ({
      status: r.status,
      body: r.body,
      headers: Object.keys(r.headers).filter((h) => h !== 'date').sort(),
      length: r.headers['content-length'],
      retryAfter: r.headers['retry-after'],
    });
    expect(shape(rightPassword)).toEqual(shape(wrongPassword));
    expect(shape(unknownUser)).toEqual(shape(wrongPassword));
    expect(rightPassword.status).toBe(401);
    expect(rightPassword.headers['set-cookie']).toBeUndefined();
  });

  it('a name no account has gets the same budget and the same answers', async () => {
    const answered = await attack('nobody-here');
    expect(answered).toBe(50 * 5);
    const res = await loginFrom(rec, '127.0.0.100', 'nobody-here', WRONG);
    expect(res.status).toBe(401);
    const list = (await (await loggedInAdmin(rec)).get('/api/v1/lockouts')).body.lockouts;
    expect(list.filter((l: { clientKind: string }) => l.clientKind === 'unknown_clients')).toEqual([
      expect.objectContaining({ account: { username: 'nobody-here', userId: null }, failures: 100 }),
    ]);
  });
});

describe('the admin sees and lifts lockouts', () => {
  it('lists locked clients with the policy, unlocks one, audits it, and 404s it the second time', async () => {
    const admin = await loggedInAdmin(rec);
    await failUntilLocked(rec, ATTACKER, 'admin');
    await failUntilLocked(rec, '127.0.0.3', 'ghost');

    const res = await admin.get('/api/v1/lockouts');
    expect(res.status).toBe(200);
    expect(res.body.policy).toEqual({
      userThreshold: 5,
      adminThreshold: 5,
      windowSeconds: 86400,
      baseBlockSeconds: 60,
      maxBlockSeconds: 3600,
      unknownClientGuessesPerHour: 100,
    });
    const until = new Date(rec.clock.now() + 60_000).toISOString();
    expect(res.body.lockouts).toEqual(
      expect.arrayContaining([
        { id: expect.stringMatching(/^[0-9a-f]{24}$/), account: { username: 'admin', userId: 1 }, clientKind: 'address', client: ATTACKER, failures: 5, lockedUntil: until },
        { id: expect.stringMatching(/^[0-9a-f]{24}$/), account: { username: 'ghost', userId: null }, clientKind: 'address', client: '127.0.0.3', failures: 5, lockedUntil: until },
      ]),
    );
    expect(res.body.lockouts).toHaveLength(2);

    const lock = res.body.lockouts.find((l: { client: string }) => l.client === ATTACKER);
    expect((await admin.delete(`/api/v1/lockouts/${lock.id}`)).status).toBe(204);
    expect((await loginFrom(rec, ATTACKER, 'admin', STRONG_PASSWORD)).status).toBe(201);
    expect((await admin.get('/api/v1/lockouts')).body.lockouts).toHaveLength(1);
    const again = await admin.delete(`/api/v1/lockouts/${lock.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');

    const [unlock] = auditOf(rec, 'auth.unlock');
    expect(unlock).toMatchObject({ actorUsername: 'admin', target: 'user:1' });
    expect(JSON.parse(unlock!.details)).toEqual({ clientKind: 'address', client: ATTACKER });
  });

  it('unlocking the unknown-client budget of an account opens it to unknown clients again', async () => {
    const admin = await loggedInAdmin(rec);
    // 21 addresses of 5 guesses each: more than the budget of 100.
    await Promise.all(Array.from({ length: 21 }, (_, i) => failUntilLocked(rec, `127.0.0.${i + 2}`, 'admin')));
    const budget = (await admin.get('/api/v1/lockouts')).body.lockouts.find((l: { clientKind: string }) => l.clientKind === 'unknown_clients');
    expect(budget).toMatchObject({ account: { username: 'admin', userId: 1 }, client: '', failures: 100 });
    expect((await loginFrom(rec, '127.0.0.100', 'admin', STRONG_PASSWORD)).status).toBe(401);
    expect((await admin.delete(`/api/v1/lockouts/${budget.id}`)).status).toBe(204);
    expect((await loginFrom(rec, '127.0.0.100', 'admin', STRONG_PASSWORD)).status).toBe(201);
  });

  it('is for admins only', async () => {
    const anonymous = new ApiClient(rec.url);
    expect((await anonymous.get('/api/v1/lockouts')).status).toBe(401);
    await addOperator(rec, 'olivia', OTHER_STRONG_PASSWORD);
    const operator = new ApiClient(rec.url);
    await operator.login('olivia', OTHER_STRONG_PASSWORD);
    const res = await operator.get('/api/v1/lockouts');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });
});

describe('configuration', () => {
  it('vigil recorder takes the thresholds from --lockout-user-threshold and --lockout-admin-threshold', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vigil-lockout-cli-'));
    const dir = join(root, 'data');
    const { labelCode } = JSON.parse(runVigil(['recorder', 'init', '--data', dir, '--json']).stdout) as { labelCode: string };
    const args = ['recorder', '--data', dir, '--listen', '127.0.0.1:0', '--lockout-user-threshold', '3', '--lockout-admin-threshold', '4'];
    const { child, url } = await startVigilDaemon(args);
    try {
      expect((await new ApiClient(url).post('/api/v1/activate', { labelCode, password: STRONG_PASSWORD })).status).toBe(201);
      const admin = new ApiClient(url);
      expect((await admin.login('admin', STRONG_PASSWORD)).status).toBe(201);
      expect((await admin.get('/api/v1/lockouts')).body.policy).toMatchObject({ userThreshold: 3, adminThreshold: 4 });
      const attacker = new ApiClient(url);
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await attacker.login('admin', `${WRONG} ${i}`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 429]);
    } finally {
      child.kill('SIGTERM');
      rmSync(root, { recursive: true, force: true });
    }
  });
});
