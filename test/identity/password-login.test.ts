// The core's password login over the recorder's real SQLite adapter of the login-attempt port:
// concurrent requests interleave at every await, and still start exactly one lock each and hash
// no guess past a limit. Time stands still on a manual clock, as for requests in the same instant.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../../src/identity/audit/security-event.js';
import { AttemptThrottle, MemoryAttemptTimes } from '../../src/identity/lockout/attempt-throttle.js';
import { LoginLockout } from '../../src/identity/lockout/login-lockout.js';
import { DEFAULT_LOCKOUT_POLICY, type LockoutPolicy } from '../../src/identity/lockout/policy.js';
import { passwordLogin, type PasswordLoginServices } from '../../src/identity/login/password-login.js';
import { PasswordHasher, TEST_ARGON2 } from '../../src/identity/passwords/hash.js';
import { ManualClock } from '../../src/shared/clock.js';
import { ConcurrencyLimit } from '../../src/shared/concurrency-limit.js';
import { createLogger } from '../../src/shared/logger.js';
import { passwordAccountsOf } from '../../src/recorder/accounts/login.js';
import { loginAttemptPort } from '../../src/recorder/db/login-attempts.js';
import { createRecorderStore, openDatabase, type RecorderStore, type UserRecord } from '../../src/recorder/db/store.js';

const PASSWORD = 'Tangerine orbit 93 lampshade';
const ADDRESS = '198.51.100.7';

let db: ReturnType<typeof openDatabase>;
let store: RecorderStore;
let clock: ManualClock;
let events: SecurityEvent[];
let hashes: { verify: number; dummy: number };
let alice: UserRecord;

beforeEach(async () => {
  db = openDatabase(':memory:');
  store = createRecorderStore(db);
  clock = new ManualClock();
  events = [];
  hashes = { verify: 0, dummy: 0 };
  const { id } = store.createUser({ username: 'alice', role: 'admin', passwordHash: 'unused', oneTimePasswordExpiresAt: 0 }, clock.now());
  store.changePassword(id, await new PasswordHasher(TEST_ARGON2).hash(PASSWORD), clock.now(), null); // her own password now, no one-time one
  alice = store.getUser(id)!;
});
afterEach(() => db.close());

/** The login over SQLite, counting every hash it runs; the per-source throttle is wide, so the lockout alone decides. */
function services(policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY): PasswordLoginServices<UserRecord, never> & { lockout: LoginLockout } {
  const hasher = new PasswordHasher(TEST_ARGON2);
  return {
    accounts: passwordAccountsOf(store),
    lockout: new LoginLockout(policy, loginAttemptPort(db), { findById: async (id) => store.getUser(id) }, clock),
    sourceThrottle: new AttemptThrottle({ maxAttempts: 1000, windowSeconds: 900, baseBlockSeconds: 60, maxBlockSeconds: 3600 }, clock, new MemoryAttemptTimes()),
    unknownClientHashing: new ConcurrencyLimit(1),
    hasher: {
      verify: (hash, password) => (hashes.verify++, hasher.verify(hash, password)),
      verifyDummy: (password) => (hashes.dummy++, hasher.verifyDummy(password)),
      hash: (password) => hasher.hash(password),
    },
    secondFactorsOf: () => [],
    events: { append: (event) => events.push(event) },
    logger: createLogger({ level: 'silent' }),
    clock,
  };
}

const lockEvents = (clientKind: string) => events.filter((e) => e.type === 'auth.lockout' && e.details?.clientKind === clientKind);

describe('the password login under concurrent guesses', () => {
  it('20 concurrent wrong passwords from a client one failure short of its lock: one is checked and starts the lock, audited once; 19 are refused unhashed', async () => {
    const ctx = services();
    for (let i = 0; i < 4; i++) expect(await passwordLogin(ctx, { username: 'alice', password: `wrong ${i}`, sourceIp: ADDRESS })).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(hashes.verify).toBe(4);

    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => passwordLogin(ctx, { username: 'alice', password: `guess ${i}`, sourceIp: ADDRESS })));
    expect(answers.filter((a) => !a.ok && a.reason === 'invalid_credentials')).toHaveLength(1);
    expect(answers.filter((a) => !a.ok && a.reason === 'throttled')).toHaveLength(19);
    expect(hashes.verify).toBe(5);
    expect(lockEvents('address')).toEqual([expect.objectContaining({ target: `user:${alice.id}`, details: { clientKind: 'address', client: ADDRESS, retryAfterSeconds: 60 } })]);
    // The refused ones were taken back: the lock is the first one, not one doubled 19 times.
    expect(await passwordLogin(ctx, { username: 'alice', password: PASSWORD, sourceIp: ADDRESS })).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 60 });
    expect((await ctx.lockout.list()).map((l) => l.failures)).toEqual([5]);
  });

  it('20 concurrent wrong passwords from a browser the account knows: the same, without the per-source throttle', async () => {
    const ctx = services();
    const knownDeviceOf = () => 'd3v1ce0123456789';
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => passwordLogin(ctx, { username: 'alice', password: `guess ${i}`, sourceIp: ADDRESS, knownDeviceOf })),
    );
    expect(answers.filter((a) => !a.ok && a.reason === 'invalid_credentials')).toHaveLength(5);
    expect(answers.filter((a) => !a.ok && a.reason === 'throttled')).toHaveLength(15);
    expect(hashes.verify).toBe(5);
    expect(lockEvents('device')).toHaveLength(1);
  });

  it("30 addresses guess at once on an account with a budget of 10: 10 checks, one audited closing, and every answer a wrong password's", async () => {
    const ctx = services({ ...DEFAULT_LOCKOUT_POLICY, unknownClientGuessesPerHour: 10 });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => passwordLogin(ctx, { username: 'alice', password: i === 29 ? PASSWORD : `guess ${i}`, sourceIp: `203.0.113.${i}` })),
    );
    expect(answers).toEqual(Array(30).fill({ ok: false, reason: 'invalid_credentials' }));
    expect(hashes.verify).toBe(10);
    expect(lockEvents('unknown_clients')).toEqual([expect.objectContaining({ target: `user:${alice.id}`, details: { clientKind: 'unknown_clients', guessesPerHour: 10, retryAfterSeconds: 3600 } })]);
    // The 20 past the budget still count in their own clients' streaks, as no guesses.
    const budget = (await ctx.lockout.list()).find((l) => l.clientKind === 'unknown_clients');
    expect(budget?.failures).toBe(10);
    expect(events.filter((e) => e.type === 'auth.login_failed')).toHaveLength(30);
  });

  it('a name no account has: the same budget, spent on dummy hashes', async () => {
    const ctx = services({ ...DEFAULT_LOCKOUT_POLICY, unknownClientGuessesPerHour: 10 });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => passwordLogin(ctx, { username: 'nobody', password: `guess ${i}`, sourceIp: `203.0.113.${i}` })));
    expect(answers).toEqual(Array(30).fill({ ok: false, reason: 'invalid_credentials' }));
    expect(hashes).toEqual({ verify: 0, dummy: 10 });
    expect(lockEvents('unknown_clients')).toEqual([expect.objectContaining({ target: 'username:nobody' })]);
  });

  it('the right password completes the login and resets the streak; a wrong one after it starts again from one', async () => {
    const ctx = services();
    for (let i = 0; i < 4; i++) await passwordLogin(ctx, { username: 'alice', password: `wrong ${i}`, sourceIp: ADDRESS });
    const ok = await passwordLogin(ctx, { username: 'alice', password: PASSWORD, sourceIp: ADDRESS });
    expect(ok).toMatchObject({ ok: true, account: { id: alice.id }, secondFactorMethods: [] });
    for (let i = 0; i < 4; i++) expect((await passwordLogin(ctx, { username: 'alice', password: `again ${i}`, sourceIp: ADDRESS })).ok).toBe(false);
    expect(lockEvents('address')).toEqual([]);
  });
});
