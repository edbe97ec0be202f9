import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockAfterFailure, methodLockState } from '../../../src/identity/lockout/method-lock.js';
import { assessReadiness, RECOVERY_METHODS, type RecoveryMethod } from '../../../src/recorder/api/recovery-methods.js';
import { RESET_GRANT_LIFETIME_SECONDS } from '../../../src/identity/grants/reset-grant.js';
import { issueResetGrant } from '../../../src/recorder/recovery/reset-grant.js';
import { isLanAddress, weakPathAllowedFrom } from '../../../src/recorder/recovery/weak-path-guard.js';
import { activate, ApiClient, loggedInAdmin } from '../../helpers/client.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../../helpers/recorder.js';
import { enrolTotp } from '../../helpers/two-factor.js';

const NEW_PASSWORD = 'Marble kettle 61 over the dunes';

describe('recovery decisions (pure)', () => {
  it('a method blocks at the limit, for the block time, and counts afresh after it', () => {
    const policy = { maxFailures: 3, blockSeconds: 60 };
    let lock = lockAfterFailure(undefined, policy, 0);
    lock = lockAfterFailure(lock, policy, 1000);
    expect(methodLockState(lock, 1000)).toEqual({ blocked: false, failures: 2 });
    lock = lockAfterFailure(lock, policy, 2000);
    expect(methodLockState(lock, 2000)).toEqual({ blocked: true, retryAfterSeconds: 60 });
    expect(methodLockState(lock, 61_999)).toEqual({ blocked: true, retryAfterSeconds: 1 });
    expect(methodLockState(lock, 62_000)).toEqual({ blocked: false, failures: 0 });
    expect(lockAfterFailure(lock, policy, 62_000)).toEqual({ failures: 1, blockedUntil: null });
  });

  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.9', true],
    ['172.32.0.1', false],
    ['192.168.1.20', true],
    ['::ffff:192.168.1.20', true],
    ['169.254.3.4', true],
    ['::1', true],
    ['fd12:3456::1', true],
    ['fe80::1', true],
    ['8.8.8.8', false],
    ['2001:db8::1', false],
    ['not an address', false],
  ])('%s is on the LAN: %s', (ip, lan) => {
    expect(isLanAddress(ip)).toBe(lan);
    expect(weakPathAllowedFrom(ip, { weakPathsLanOnly: true })).toBe(lan);
    expect(weakPathAllowedFrom(ip, { weakPathsLanOnly: false })).toBe(true);
  });

  const only = (...methods: RecoveryMethod[]) =>
    Object.fromEntries(RECOVERY_METHODS.map((m) => [m, methods.includes(m)])) as Record<RecoveryMethod, boolean>;

  it('readiness: the button alone is none, weak paths alone are weak_only, one strong path is ready', () => {
    expect(assessReadiness(only('resetButton')).level).toBe('none');
    expect(assessReadiness(only('resetButton', 'email', 'securityQuestions'))).toEqual({
      level: 'weak_only',
      configured: ['email', 'securityQuestions'],
      strongCount: 0,
      weakCount: 2,
    });
    expect(assessReadiness(only('email', 'recoveryKey'))).toMatchObject({ level: 'ready', strongCount: 1, weakCount: 1 });
  });
});

describe('POST /api/v1/recovery/reset', () => {
  let rec: TestRecorder;
  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
  });
  afterEach(() => rec.close());

  function grantFor(method: RecoveryMethod, username = 'admin') {
    const ctx = rec.running.ctx;
    const user = ctx.store.findUserByUsername(username)!;
    return ctx.store.transaction(() => issueResetGrant(ctx, { user, method, sourceIp: '127.0.0.1' }));
  }
  const reset = (body: unknown) => new ApiClient(rec.url).post('/api/v1/recovery/reset', body);

  it('sets the new password, ends every session, logs nobody in, and names the method in the audit log', async () => {
    const session = await loggedInAdmin(rec);
    const grant = grantFor('recoveryKey');

    const weak = await reset({ token: grant.token, newPassword: 'password1' });
    expect(weak.status).toBe(422);
    expect(weak.body.error.code).toBe('password_rejected');

    const done = await reset({ token: grant.token, newPassword: NEW_PASSWORD });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ username: 'admin', revokedSessions: 1, twoFactorCleared: false });
    expect(done.headers.getSetCookie()).toEqual([]);

    expect((await session.get('/api/v1/me')).status).toBe(401);
    expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).status).toBe(401);
    expect((await new ApiClient(rec.url).login('admin', NEW_PASSWORD)).status).toBe(201);

    const replay = await reset({ token: grant.token, newPassword: OTHER_STRONG_PASSWORD });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('invalid_reset_token');

    const types = rec.running.ctx.audit.query({ limit: 50 }).map((e) => `${e.type}:${e.outcome}`);
    expect(types).toContain('recovery.evidence_accepted:success');
    const entry = rec.running.ctx.audit.query({ type: 'recovery.password_reset' })[0]!;
    expect(JSON.parse(entry.details)).toMatchObject({ method: 'recoveryKey', revokedSessions: 1 });
  });

  it('refuses the password the account has now, and the grant still works for a new one', async () => {
    const grant = grantFor('recoveryKey');
    const same = await reset({ token: grant.token, newPassword: STRONG_PASSWORD });
    expect(same.status).toBe(422);
    expect(same.body.error.code).toBe('password_rejected');
    expect(same.body.error.details.reasons.map((r: { code: string }) => r.code)).toEqual(['same_as_current']);
    expect(rec.running.ctx.audit.query({ type: 'recovery.password_reset' })).toHaveLength(0);

    const done = await reset({ token: grant.token, newPassword: NEW_PASSWORD });
    expect(done.status).toBe(200);
    expect((await new ApiClient(rec.url).login('admin', NEW_PASSWORD)).status).toBe(201);
  });

  it('one grant sent by 20 concurrent requests sets exactly one password', async () => {
    const grant = grantFor('recoveryKey');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => reset({ token: grant.token, newPassword: `${NEW_PASSWORD} ${i}` })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    // The others are refused; once the spent token has cost the address its budget, with 429.
    expect(answers.filter((a) => a.status === 401 || a.status === 429)).toHaveLength(19);
    expect(rec.running.ctx.audit.query({ type: 'recovery.password_reset' })).toHaveLength(1);
  });

  it('a grant expires after its lifetime', async () => {
    const grant = grantFor('resetButton');
    rec.clock.advance(RESET_GRANT_LIFETIME_SECONDS + 1);
    const late = await reset({ token: grant.token, newPassword: NEW_PASSWORD });
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe('invalid_reset_token');
  });

  it('only strong evidence may remove a lost second factor', async () => {
    const admin = await loggedInAdmin(rec);
    await enrolTotp(rec, admin);
    const weak = await reset({ token: grantFor('email').token, newPassword: NEW_PASSWORD, clearTwoFactor: true });
    expect(weak.body.twoFactorCleared).toBe(false);
    expect((await rec.running.ctx.twoFactor.getTotp(1))?.confirmedAt).toBeTruthy();

    const strong = await reset({ token: grantFor('vendorSupport').token, newPassword: OTHER_STRONG_PASSWORD, clearTwoFactor: true });
    expect(strong.body.twoFactorCleared).toBe(true);
    expect(await rec.running.ctx.twoFactor.getTotp(1)).toBeUndefined();
    const login = await new ApiClient(rec.url).login('admin', OTHER_STRONG_PASSWORD);
    expect(login.status).toBe(201);
  });

  it('lifts the locks on the account: a browser locked out by wrong passwords logs in with the new one', async () => {
    const browser = new ApiClient(rec.url);
    let locked = await browser.login('admin', 'not the password 0');
    for (let i = 1; locked.status === 401 && i < 10; i++) locked = await browser.login('admin', `not the password ${i}`);
    expect(locked.status).toBe(429);
    expect((await browser.login('admin', STRONG_PASSWORD)).status).toBe(429);

    expect((await reset({ token: grantFor('recoveryKey').token, newPassword: NEW_PASSWORD })).status).toBe(200);
    expect((await browser.login('admin', NEW_PASSWORD)).status).toBe(201);
  });

  it('a grant stops working when another reset happened first, and wrong tokens count against the address', async () => {
    const first = grantFor('recoveryKey');
    const second = grantFor('resetButton');
    expect((await reset({ token: first.token, newPassword: NEW_PASSWORD })).status).toBe(200);
    expect((await reset({ token: second.token, newPassword: OTHER_STRONG_PASSWORD })).status).toBe(401);
    for (let i = 0; i < 9; i++) await reset({ token: `guess-${i}`, newPassword: NEW_PASSWORD });
    const blocked = await reset({ token: 'guess-last', newPassword: NEW_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
