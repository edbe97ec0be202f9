import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHALLENGE_LIFETIME_SECONDS, MAX_CHALLENGE_FAILURES } from '../../src/identity/two-factor/second-factor.js';
import { activate, ApiClient, loggedInAdmin, loginFrom, postFrom } from '../helpers/client.js';
import { startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../helpers/recorder.js';
import { appCode, base32Decode, enrolTotp } from '../helpers/two-factor.js';

const WRONG_PASSWORD = 'Not the admin password 99';

let rec: TestRecorder;
beforeEach(async () => {
  rec = await startTestRecorder();
  await activate(rec);
});
afterEach(() => rec.close());

function auditOf(type: string) {
  return rec.running.ctx.audit.query({ type }).map((e) => ({ ...e, details: JSON.parse(e.details) as Record<string, unknown> }));
}

/** Logs in with the password: the answer must be the second-factor challenge, with no cookie. */
async function passwordStep(client = new ApiClient(rec.url)): Promise<{ client: ApiClient; challenge: string }> {
  const res = await client.login('admin', STRONG_PASSWORD);
  expect(res.status).toBe(200);
  expect(res.headers.getSetCookie()).toEqual([]);
  return { client, challenge: res.body.challenge };
}

async function secondStep(client: ApiClient, body: Record<string, string>) {
  const res = await client.post('/api/v1/sessions/second-factor', body);
  if (res.status === 201) client.csrfToken = res.body.csrfToken;
  return res;
}

describe('enrolment', () => {
  it('needs the current password, shows a QR code, and turns on only with a right first code', async () => {
    const client = await loggedInAdmin(rec);
    expect((await client.get('/api/v1/me/2fa')).body).toEqual({
      enabled: false,
      totp: 'off',
      passkeys: 0,
      recoveryCodesRemaining: 0,
      requiredForEveryone: false,
      enrolmentRequired: false,
    });

    const refused = await client.post('/api/v1/me/2fa/totp', { currentPassword: WRONG_PASSWORD });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('invalid_current_password');
    expect(auditOf('twofactor.enabled')[0]).toMatchObject({ outcome: 'failure', target: 'user:1', details: { reason: 'invalid_current_password' } });
    expect((await client.get('/api/v1/me/2fa')).body.totp).toBe('off');

    const start = await client.post('/api/v1/me/2fa/totp', { currentPassword: STRONG_PASSWORD });
    expect(start.status).toBe(200);
    expect(start.body.secret).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes
    expect(start.body.qrCode).toMatch(/^data:image\/png;base64,/);
    const uri = new URL(start.body.otpauthUri);
    expect(decodeURIComponent(uri.pathname)).toBe(`/Vigil:admin@${rec.serial}`);
    expect(uri.searchParams.get('secret')).toBe(start.body.secret);
    expect((await client.get('/api/v1/me/2fa')).body.totp).toBe('pending');
    // Pending is not on: the password alone still logs in.
    expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).status).toBe(201);

    const secret = base32Decode(start.body.secret);
    const confirmBody = (code: string, currentPassword = STRONG_PASSWORD) => ({ currentPassword, code });
    const noPassword = await client.post('/api/v1/me/2fa/totp/confirm', confirmBody(appCode(rec, secret), WRONG_PASSWORD));
    expect(noPassword.body.error.code).toBe('invalid_current_password');
    const wrongCode = await client.post('/api/v1/me/2fa/totp/confirm', confirmBody(appCode(rec, secret, 3)));
    expect(wrongCode.status).toBe(422);
    expect(wrongCode.body.error.code).toBe('invalid_code');

    const confirmed = await client.post('/api/v1/me/2fa/totp/confirm', confirmBody(appCode(rec, secret)));
    expect(confirmed.status).toBe(200);
    const codes: string[] = confirmed.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(new Set(codes).size).toBe(10);
    expect((await client.get('/api/v1/me/2fa')).body).toMatchObject({ enabled: true, totp: 'on', recoveryCodesRemaining: 10 });

    const enabled = auditOf('twofactor.enabled').find((e) => e.outcome === 'success')!;
    expect(enabled).toMatchObject({ target: 'user:1', actorUsername: 'admin', details: { method: 'totp' } });

    const again = await client.post('/api/v1/me/2fa/totp', { currentPassword: STRONG_PASSWORD });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_enabled');

    // Secrets at rest: the TOTP secret is sealed, recovery codes are only hashes; none is in the audit log or the logs.
    const db = new Database(join(rec.dataDir, 'vigil.db'), { readonly: true });
    try {
      const row = db.prepare('SELECT secret_sealed FROM totp_factors').get() as { secret_sealed: Buffer };
      expect(row.secret_sealed.includes(secret)).toBe(false);
      const stored = JSON.stringify(db.prepare('SELECT * FROM recovery_codes').all());
      const everything = stored + JSON.stringify(db.prepare('SELECT * FROM audit_log').all()) + rec.logs.join('');
      for (const code of codes) {
        expect(everything).not.toContain(code);
        expect(everything).not.toContain(code.replace('-', ''));
      }
      expect(everything).not.toContain(start.body.secret);
    } finally {
      db.close();
    }
  });
});

describe('login with a second factor', () => {
  let secret: Buffer;
  let recoveryCodes: string[];
  /** The browser that enrolled: a known device of the admin, holding a device cookie. */
  let ownBrowser: ApiClient;
  beforeEach(async () => {
    ownBrowser = await loggedInAdmin(rec);
    ({ secret, recoveryCodes } = await enrolTotp(rec, ownBrowser));
    rec.clock.advance(30); // the enrolment code's step is spent
  });

  it('answers a right password with a challenge and no session, then logs in with the app code', async () => {
    const { client, challenge } = await passwordStep();
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await client.get('/api/v1/me')).status).toBe(401);

    const res = await secondStep(client, { challenge, totp: appCode(rec, secret) });
    expect(res.status).toBe(201);
    expect(res.body.user.username).toBe('admin');
    expect(res.headers.getSetCookie().find((c) => c.startsWith('__Host-vigil_session='))).toMatch(/^__Host-vigil_session=[A-Za-z0-9_-]{43};/);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    expect(auditOf('auth.login')[0]).toMatchObject({ outcome: 'success', details: { secondFactor: 'totp' } });
  });

  it('accepts the previous and next step, not two steps away', async () => {
    for (const [stepsLater, status] of [[-1, 201], [1, 201], [3, 401], [-3, 401]] as const) {
      rec.clock.advance(120); // each case in fresh steps, so none is a replay of another
      const { client, challenge } = await passwordStep();
      expect((await secondStep(client, { challenge, totp: appCode(rec, secret, stepsLater) })).status, `${stepsLater}`).toBe(status);
    }
  });

  it('refuses a code used before (replay), and audits it', async () => {
    const code = appCode(rec, secret);
    const first = await passwordStep();
    expect((await secondStep(first.client, { challenge: first.challenge, totp: code })).status).toBe(201);

    const second = await passwordStep();
    const replay = await secondStep(second.client, { challenge: second.challenge, totp: code });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('invalid_second_factor');
    expect(auditOf('twofactor.replay_rejected')).toEqual([expect.objectContaining({ outcome: 'failure', target: 'user:1', details: { method: 'totp' } })]);
    // An older step than the last one used is a replay too, even if never used itself.
    rec.clock.advance(30);
    expect((await secondStep(second.client, { challenge: second.challenge, totp: appCode(rec, secret) })).status).toBe(201);
    const third = await passwordStep();
    expect((await secondStep(third.client, { challenge: third.challenge, totp: appCode(rec, secret, -1) })).status).toBe(401);
    expect(auditOf('twofactor.replay_rejected')).toHaveLength(2);
  });

  it('the code that confirmed enrolment cannot log in', async () => {
    const { client, challenge } = await passwordStep();
    expect((await secondStep(client, { challenge, totp: appCode(rec, secret, -1) })).body.error.code).toBe('invalid_second_factor');
  });

  it('one code submitted by 20 concurrent requests, each with its own challenge, gives exactly one session', async () => {
    const logins = [];
    for (let i = 0; i < 20; i++) logins.push(await passwordStep());
    const code = appCode(rec, secret);
    const results = await Promise.all(logins.map(({ client, challenge }) => secondStep(client, { challenge, totp: code })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    // The rest are refused: replays, then the source address gets throttled.
    expect(statuses.filter((s) => s !== 201).every((s) => s === 401 || s === 429)).toBe(true);
    expect(rec.running.ctx.store.listSessions(1)).toHaveLength(1 + 1); // the enrolling session and the winner
  });

  it('one challenge submitted by 20 concurrent requests gives exactly one session', async () => {
    const { challenge } = await passwordStep();
    const code = appCode(rec, secret);
    const results = await Promise.all(Array.from({ length: 20 }, () => secondStep(new ApiClient(rec.url), { challenge, totp: code })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401).every((r) => r.body.error.code === 'invalid_challenge')).toBe(true);
  });

  it('logs in once with each recovery code, typed loosely, and audits its use', async () => {
    const code = recoveryCodes[3]!;
    const { client, challenge } = await passwordStep();
    const res = await secondStep(client, { challenge, recoveryCode: ` ${code.toLowerCase().replace('-', ' ')} ` });
    expect(res.status).toBe(201);
    expect(auditOf('auth.login')[0]!.details).toEqual({ secondFactor: 'recovery_code', newDevice: true });
    expect(auditOf('twofactor.recovery_code_used')).toEqual([expect.objectContaining({ target: 'user:1', details: { remaining: 9 } })]);
    expect((await client.get('/api/v1/me/2fa')).body.recoveryCodesRemaining).toBe(9);

    const again = await passwordStep();
    const reused = await secondStep(again.client, { challenge: again.challenge, recoveryCode: code });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('invalid_second_factor');
    expect((await secondStep(again.client, { challenge: again.challenge, recoveryCode: recoveryCodes[4]! })).status).toBe(201);
  });

  it('a challenge is single use and expires after 5 minutes', async () => {
    const used = await passwordStep();
    expect((await secondStep(used.client, { challenge: used.challenge, totp: appCode(rec, secret) })).status).toBe(201);
    rec.clock.advance(30);
    const reuse = await secondStep(new ApiClient(rec.url), { challenge: used.challenge, totp: appCode(rec, secret) });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe('invalid_challenge');

    const late = await passwordStep();
    rec.clock.advance(CHALLENGE_LIFETIME_SECONDS - 1);
    const almost = await passwordStep();
    rec.clock.advance(1);
    const expired = await secondStep(late.client, { challenge: late.challenge, totp: appCode(rec, secret) });
    expect(expired.body.error.code).toBe('invalid_challenge');
    expect((await secondStep(almost.client, { challenge: almost.challenge, totp: appCode(rec, secret) })).status).toBe(201);
  });

  it(`${MAX_CHALLENGE_FAILURES} wrong codes burn the challenge; each counts as a failed attempt`, async () => {
    const { client, challenge } = await passwordStep();
    for (let i = 0; i < MAX_CHALLENGE_FAILURES; i++) {
      const wrong = await secondStep(client, { challenge, totp: appCode(rec, secret, 5 + i) });
      expect(wrong.body.error.code).toBe('invalid_second_factor');
    }
    const burnt = await secondStep(client, { challenge, totp: appCode(rec, secret) });
    expect(burnt.body.error.code).toBe('invalid_challenge');
    expect(auditOf('auth.login_failed').filter((e) => e.details.secondFactor === 'totp')).toHaveLength(MAX_CHALLENGE_FAILURES);
    // The lock on the account from this address (60 s after 5 wrong codes) has run out; the right
    // password does not clear those codes, so the next wrong one locks it again (120 s), before
    // the address's own throttle (10 failures per 15 minutes) would.
    rec.clock.advance(61);
    const next = await passwordStep();
    for (let i = 0; i < MAX_CHALLENGE_FAILURES; i++) await secondStep(client, { challenge: next.challenge, recoveryCode: `WRONG-CODE${i}` });
    const blocked = await secondStep(client, { challenge: next.challenge, totp: appCode(rec, secret) });
    expect(blocked.status).toBe(429);
  });

  it('wrong codes lock this client out of the account, like wrong passwords: even the right password waits', async () => {
    const { client, challenge } = await passwordStep();
    for (let i = 0; i < 5; i++) expect((await secondStep(client, { challenge, totp: appCode(rec, secret, 5 + i) })).status).toBe(401);

    const again = await client.login('admin', STRONG_PASSWORD);
    expect([again.status, again.body.error?.code]).toEqual([429, 'too_many_attempts']);
    expect(Number(again.headers.get('retry-after'))).toBe(60);
    const lock = auditOf('auth.lockout').find((e) => e.target === 'user:1');
    expect(lock?.details).toEqual({ clientKind: 'address', client: '127.0.0.1', retryAfterSeconds: 60 });
  });

  it('the right password does not wipe wrong codes: they lock its client out with doubling blocks, as wrong passwords do', async () => {
    const owner = ownBrowser;
    const attacker = new ApiClient(rec.url); // knows the password, from the same address, with no device cookie
    let wrongCodes = 0;
    const passwordThenWrongCode = async () => {
      const { challenge } = await passwordStep(attacker);
      const wrong = await secondStep(attacker, { challenge, totp: appCode(rec, secret, 5 + (wrongCodes++ % 20)) });
      expect(wrong.body.error.code).toBe('invalid_second_factor');
    };
    const retryAfterOfPassword = async () => {
      const res = await attacker.login('admin', STRONG_PASSWORD);
      expect([res.status, res.body.error?.code]).toEqual([429, 'too_many_attempts']);
      return Number(res.headers.get('retry-after'));
    };
    const ownerLogsIn = async () => {
      rec.clock.advance(30); // a fresh step: a code is used once
      const { challenge } = await passwordStep(owner);
      expect((await secondStep(owner, { challenge, totp: appCode(rec, secret) })).status).toBe(201);
    };

    for (let i = 0; i < 5; i++) await passwordThenWrongCode();
    const blocks = [await retryAfterOfPassword()];
    await ownerLogsIn(); // the attacker's failures are not the owner's browser's
    rec.clock.advance(blocks[0]! - 30);
    for (let i = 0; i < 2; i++) {
      await passwordThenWrongCode();
      blocks.push(await retryAfterOfPassword());
      rec.clock.advance(blocks.at(-1)!);
    }
    expect(blocks).toEqual([60, 120, 240]);
    expect(auditOf('auth.lockout').map((e) => e.details)).toEqual(
      blocks.map((retryAfterSeconds) => ({ clientKind: 'address', client: '127.0.0.1', retryAfterSeconds })).reverse(), // newest first
    );

    // A right second factor completes a login: only that starts the count again, from 60 s.
    rec.clock.advance(15 * 60); // past the per-address throttle's window, not the lockout's
    const { challenge } = await passwordStep(attacker);
    expect((await secondStep(attacker, { challenge, totp: appCode(rec, secret) })).status).toBe(201);
    attacker.deviceCookie = undefined; // still the address, not a known browser
    for (let i = 0; i < 5; i++) await passwordThenWrongCode();
    expect(await retryAfterOfPassword()).toBe(60);
  });

  it("wrong codes from new addresses spend the account's hourly budget for unknown clients, as wrong passwords do", async () => {
    // Someone who has the password and many addresses: each address's own lock stops it after 5
    // wrong codes, so without a budget per account the addresses would share no limit at all.
    const codeFrom = (address: string, challenge: string, totp: string) => postFrom(rec, address, '/api/v1/sessions/second-factor', { challenge, totp });
    const early = await loginFrom(rec, '127.0.4.1', 'admin', STRONG_PASSWORD); // a challenge from before the budget ran out
    expect(early.status).toBe(200);
    let checkedCodes = 0;
    for (let host = 1; host <= 25; host++) {
      const address = `127.0.3.${host}`;
      for (let i = 0; i < 5; i++) {
        const password = await loginFrom(rec, address, 'admin', STRONG_PASSWORD);
        if (password.status !== 200) break; // this address is locked out, or the account closed to it
        const wrong = await codeFrom(address, password.body.challenge, appCode(rec, secret, 5 + (checkedCodes % 20)));
        expect(wrong.body.error.code).toBe('invalid_second_factor');
        checkedCodes++;
      }
    }
    expect(checkedCodes).toBe(100); // the budget: 100 tries an hour from clients the account has not seen
    expect(auditOf('auth.lockout').filter((e) => e.details.clientKind === 'unknown_clients')).toHaveLength(1);

    // Closed to unknown clients: the right password answers like a wrong one, and the right code
    // on a challenge issued before is not checked.
    const fresh = await loginFrom(rec, '127.0.4.2', 'admin', STRONG_PASSWORD);
    expect([fresh.status, fresh.body.error?.code]).toEqual([401, 'invalid_credentials']);
    const late = await codeFrom('127.0.4.1', early.body.challenge, appCode(rec, secret));
    expect([late.status, late.body.error?.code]).toEqual([401, 'invalid_second_factor']);
    // The owner's known browser is not an unknown client.
    rec.clock.advance(30);
    const { challenge } = await passwordStep(ownBrowser);
    expect((await secondStep(ownBrowser, { challenge, totp: appCode(rec, secret) })).status).toBe(201);
  });

  it('an unknown user and a wrong password answer exactly as before: no hint of 2FA', async () => {
    const client = new ApiClient(rec.url);
    const unknown = await client.login('nobody-here', WRONG_PASSWORD);
    const wrong = await client.login('admin', WRONG_PASSWORD);
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect([...wrong.headers.keys()].sort()).toEqual([...unknown.headers.keys()].sort());
  });

  it('regenerating recovery codes needs the password and retires the old ones', async () => {
    const { client, challenge } = await passwordStep();
    await secondStep(client, { challenge, totp: appCode(rec, secret) });
    const refused = await client.post('/api/v1/me/2fa/recovery-codes', { currentPassword: WRONG_PASSWORD });
    expect(refused.body.error.code).toBe('invalid_current_password');
    const fresh = await client.post('/api/v1/me/2fa/recovery-codes', { currentPassword: STRONG_PASSWORD });
    expect(fresh.status).toBe(200);
    expect(fresh.body.recoveryCodes).toHaveLength(10);
    expect(fresh.body.recoveryCodes).not.toContain(recoveryCodes[0]);

    const old = await passwordStep();
    expect((await secondStep(old.client, { challenge: old.challenge, recoveryCode: recoveryCodes[0]! })).status).toBe(401);
    expect((await secondStep(old.client, { challenge: old.challenge, recoveryCode: fresh.body.recoveryCodes[0] })).status).toBe(201);
  });

  it('disabling needs the password, is audited, and the password alone logs in again', async () => {
    const { client, challenge } = await passwordStep();
    await secondStep(client, { challenge, totp: appCode(rec, secret) });
    const refused = await client.post('/api/v1/me/2fa/disable', { currentPassword: WRONG_PASSWORD });
    expect(refused.status).toBe(403);
    expect(auditOf('twofactor.disabled')[0]).toMatchObject({ outcome: 'failure', details: { reason: 'invalid_current_password' } });

    expect((await client.post('/api/v1/me/2fa/disable', { currentPassword: STRONG_PASSWORD })).status).toBe(204);
    expect(auditOf('twofactor.disabled')[0]).toMatchObject({ outcome: 'success', target: 'user:1' });
    expect((await client.get('/api/v1/me/2fa')).body).toMatchObject({ enabled: false, totp: 'off', recoveryCodesRemaining: 0 });
    expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).status).toBe(201);
    expect((await client.post('/api/v1/me/2fa/disable', { currentPassword: STRONG_PASSWORD })).body.error.code).toBe('not_enabled');
  });
});

describe('requiring 2FA for everyone', () => {
  it('an admin turns it on only with 2FA of their own; a user without 2FA may then only enrol', async () => {
    const admin = await loggedInAdmin(rec);
    const put = (required: boolean, currentPassword = STRONG_PASSWORD) =>
      admin.request('PUT', '/api/v1/settings/two-factor', { required, currentPassword });

    expect((await put(true, WRONG_PASSWORD)).body.error.code).toBe('invalid_current_password');
    const notYet = await put(true);
    expect(notYet.status).toBe(409);
    expect(notYet.body.error.code).toBe('own_two_factor_missing');

    await enrolTotp(rec, admin);
    const on = await put(true);
    expect(on.status).toBe(200);
    expect(on.body).toEqual({ required: true });
    expect((await admin.get('/api/v1/settings/two-factor')).body).toEqual({ required: true });
    expect(auditOf('settings.changed')[0]).toMatchObject({ outcome: 'success', details: { setting: 'two_factor_required', value: true } });

    // The admin now turns their own 2FA off: their session is held to enrolment.
    expect((await admin.post('/api/v1/me/2fa/disable', { currentPassword: STRONG_PASSWORD })).status).toBe(204);
    const fresh = new ApiClient(rec.url);
    expect((await fresh.login('admin', STRONG_PASSWORD)).status).toBe(201); // no factor to ask for
    for (const client of [admin, fresh]) {
      const blocked = await client.get('/api/v1/sessions');
      expect(blocked.status).toBe(403);
      expect(blocked.body.error.code).toBe('two_factor_enrolment_required');
      expect((await client.get('/api/v1/audit')).body.error.code).toBe('two_factor_enrolment_required');
      expect((await client.get('/api/v1/me')).status).toBe(200);
      expect((await client.get('/api/v1/me/2fa')).body).toMatchObject({ enrolmentRequired: true, requiredForEveryone: true });
    }
    expect((await fresh.request('PUT', '/api/v1/settings/two-factor', { required: false, currentPassword: STRONG_PASSWORD })).status).toBe(403);

    // Enrolling lifts the restriction at once.
    rec.clock.advance(60);
    await enrolTotp(rec, fresh);
    expect((await fresh.get('/api/v1/sessions')).status).toBe(200);
    expect((await fresh.get('/api/v1/me/2fa')).body.enrolmentRequired).toBe(false);
    expect((await fresh.delete('/api/v1/sessions/current')).status).toBe(204);
  });
});

describe('passkeys over an IP address', () => {
  it('cannot be added, and a login by IP offers only the other factors', async () => {
    const client = await loggedInAdmin(rec);
    const start = await client.post('/api/v1/me/2fa/passkeys/registration', { currentPassword: STRONG_PASSWORD });
    expect(start.status).toBe(409);
    expect(start.body.error.code).toBe('passkeys_need_a_name');
    expect((await client.get('/api/v1/me/2fa/passkeys')).body).toEqual({ passkeys: [] });

    await enrolTotp(rec, client);
    const login = await new ApiClient(rec.url).login('admin', STRONG_PASSWORD);
    expect(login.body.methods).toEqual(['totp', 'recovery_code']);
    expect(login.body.webauthn).toBeUndefined();
  });
});
