// Forgot password over real HTTP on PostgreSQL, with the codes received by a real SMTP server, and
// the attacks on it: enumeration, code guessing, expired and reused codes, a reset that would drop 2FA.
import { beforeEach, describe, expect, it } from 'vitest';
import { OTHER_STRONG_PASSWORD, STRONG_PASSWORD } from '../../helpers/recorder.js';
import { useRecoveryCloud, type Answer, type RecoveryCloud } from './recovery-cloud.js';

const peers = useRecoveryCloud();
let f: RecoveryCloud;
beforeEach(() => {
  f = peers.cloud();
});

const forgot = (email: string) => f.post('/api/v1/password/forgot', { email });
const verify = (requestId: string, code: string) => f.post('/api/v1/password/forgot/verify', { requestId, code });
const reset = (grant: string, newPassword = OTHER_STRONG_PASSWORD) => f.post('/api/v1/password/reset', { grant, newPassword });
const wrongFor = (code: string, i: number) => (String(i).padStart(8, '0') === code ? '99999999' : String(i).padStart(8, '0'));
/** What an answer shows an asker: status and body, the request's own id and expiry aside. */
const shape = (a: Answer) => ({ status: a.status, retryAfter: a.headers.get('retry-after'), body: { ...a.body, requestId: typeof a.body.requestId, expiresAt: a.body.expiresAt } });
const auditTypes = async () => (await f.db.query<{ type: string }>('SELECT type FROM audit_log ORDER BY seq')).rows.map((r) => r.type);

describe('forgot password', () => {
  it('mails an 8-digit code; the code earns a grant; the reset sets the password, ends every session and tells the address', async () => {
    const id = await f.account('owner@example.com');
    expect((await f.login('owner@example.com', STRONG_PASSWORD)).status).toBe(200);

    const asked = await forgot('Owner@Example.com');
    expect(asked).toMatchObject({ status: 202, body: { requestId: expect.any(String), expiresAt: '2026-12-01T09:15:00.000Z', message: 'If an account has this address, a code was sent to it.' } });
    const code = await f.code('owner@example.com', 1);
    expect(code).toMatch(/^\d{8}$/);
    expect((await f.mail('owner@example.com', 1)).headers.subject).toBe('Your Vigil cloud password reset code');

    const verified = await verify(asked.body.requestId, code);
    expect(verified).toMatchObject({ status: 200, body: { grant: expect.any(String), expiresAt: '2026-12-01T09:15:00.000Z' } });
    const done = await reset(verified.body.grant);
    expect(done).toMatchObject({ status: 200, body: { reset: true, revokedSessions: 1 } });

    const { rows } = await f.db.query<{ revoked_reason: string }>('SELECT revoked_reason FROM sessions WHERE account_id = $1', [id]);
    expect(rows).toEqual([{ revoked_reason: 'password_reset' }]);
    expect((await f.login('owner@example.com', STRONG_PASSWORD)).status).toBe(401);
    expect((await f.login('owner@example.com', OTHER_STRONG_PASSWORD)).status).toBe(200);
    const notice = await f.mail('owner@example.com', 2);
    expect(notice.headers.subject).toBe('Your Vigil cloud password was reset');

    expect(await auditTypes()).toEqual(['auth.login', 'recovery.requested', 'recovery.evidence_accepted', 'recovery.password_reset', 'auth.login_failed', 'auth.login']);
    const audit = JSON.stringify((await f.db.query('SELECT * FROM audit_log')).rows);
    for (const secret of [code, verified.body.grant, OTHER_STRONG_PASSWORD]) expect(audit).not.toContain(secret);
  });

  it('never turns 2FA off: after the reset the account still needs its second factor to log in', async () => {
    const id = await f.account('careful@example.com', { totp: true });
    expect(await reset(await f.grantFor('careful@example.com'))).toMatchObject({ status: 200 });
    const login = await f.login('careful@example.com', OTHER_STRONG_PASSWORD);
    expect(login).toMatchObject({ status: 200, body: { secondFactorRequired: true } });
    expect(login.headers.get('set-cookie')).toBeNull();
    const factors = await f.db.query('SELECT (SELECT count(*) FROM totp_factors WHERE account_id = $1) AS totp, (SELECT count(*) FROM recovery_codes WHERE account_id = $1) AS codes', [id]);
    expect(factors.rows).toEqual([{ totp: 1, codes: 10 }]);
    // The owner, with the new password and the authenticator app, is in.
    expect((await f.loginWithApp('careful@example.com', OTHER_STRONG_PASSWORD)).status).toBe(200);
    const { rows } = await f.db.query<{ details: string }>("SELECT details FROM audit_log WHERE type = 'recovery.password_reset'");
    expect(JSON.parse(rows[0]!.details)).toMatchObject({ method: 'email', twoFactorCleared: false });
    expect(await auditTypes()).not.toContain('twofactor.disabled');
  });

  it('answers an unknown, an unverified and a verified address alike, and mails only the verified one', async () => {
    await f.account('owner@example.com');
    await f.account('pending@example.com', { verified: false });
    const answers = [await forgot('owner@example.com'), await forgot('pending@example.com'), await forgot('nobody@example.com')];
    expect(answers.map(shape)).toEqual(Array(3).fill(shape(answers[0]!)));
    // A request that sent nothing is answered like a wrong code.
    expect(shape(await verify(answers[2]!.body.requestId, '12345678'))).toEqual(shape(await verify(answers[0]!.body.requestId, '12345678')));
    await f.mail('owner@example.com', 1);
    await f.stop(); // every send under way has ended
    expect(peers.smtp().mails.map((m) => m.rcptTo)).toEqual([['owner@example.com']]);
  }, 30_000);

  it('budgets: 5 requests an hour per address named, the same for every address; 3 mails an hour to an account, silently; 10 requests an hour per source', async () => {
    await f.account('owner@example.com');
    for (const email of ['owner@example.com', 'nobody@example.com']) {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await forgot(email));
      expect(answers.slice(0, 5).map((a) => a.status)).toEqual(Array(5).fill(202));
      expect(shape(answers[5]!)).toEqual({ status: 429, retryAfter: '3600', body: { error: { code: 'throttled', message: expect.any(String) }, requestId: 'undefined' } });
      f.clock.advance(3601); // both budgets start again
    }
    expect(await auditTypes()).toEqual([...Array(3).fill('recovery.requested'), 'recovery.blocked', 'recovery.blocked', ...Array(5).fill('recovery.requested')]);
    // Of the five answered alike, three reached the owner.
    await f.stop();
    expect(f.mailsTo('owner@example.com')).toHaveLength(3);
  }, 30_000);

  it('a source gets 10 requests an hour, whatever addresses it names', async () => {
    for (let i = 0; i < 10; i++) expect((await forgot(`someone${i}@example.com`)).status).toBe(202);
    expect(await forgot('someone-else@example.com')).toMatchObject({ status: 429, body: { error: { code: 'throttled' } } });
  });

  it('code guessing: 5 wrong codes across two requests block the account\'s codes, the right one included; a request that sent nothing blocks after as many', async () => {
    await f.account('target@example.com');
    const first = await forgot('target@example.com');
    const second = await forgot('target@example.com');
    const code = await f.code('target@example.com', 2);
    await f.mail('target@example.com', 1);
    for (let i = 0; i < 5; i++) expect((await verify((i % 2 ? first : second).body.requestId, wrongFor(code, i))).status).toBe(400);
    const blocked = await verify(second.body.requestId, code);
    expect(blocked).toMatchObject({ status: 429, body: { error: { code: 'throttled' } } });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(3000);

    f.clock.advance(2 * 3600); // the source's own throttle (10 failures) is not what is tested here
    const decoys = [await forgot('nobody@example.com'), await forgot('nobody@example.com')];
    for (let i = 0; i < 5; i++) expect((await verify(decoys[i % 2]!.body.requestId, wrongFor('', i))).status).toBe(400);
    expect(shape(await verify(decoys[0]!.body.requestId, '77777777'))).toEqual({ ...shape(blocked), retryAfter: expect.any(String) });
    expect(await auditTypes()).toContain('recovery.blocked');
  });

  it('an expired code and a used code are refused; a used grant too', async () => {
    await f.account('owner@example.com');
    const stale = await forgot('owner@example.com');
    const staleCode = await f.code('owner@example.com', 1);
    f.clock.advance(15 * 60);
    expect(await verify(stale.body.requestId, staleCode)).toMatchObject({ status: 400, body: { error: { code: 'invalid_code' } } });

    const fresh = await forgot('owner@example.com');
    const code = await f.code('owner@example.com', 2);
    const { body } = await verify(fresh.body.requestId, code);
    expect(await verify(fresh.body.requestId, code)).toMatchObject({ status: 400, body: { error: { code: 'invalid_code' } } });
    expect((await reset(body.grant)).status).toBe(200);
    expect(await reset(body.grant, 'Yet another long phrase 8812')).toMatchObject({ status: 400, body: { error: { code: 'invalid_reset_token' } } });
    expect((await f.login('owner@example.com', OTHER_STRONG_PASSWORD)).status).toBe(200);
  });

  it('refuses a weak new password and keeps the grant for a better one', async () => {
    await f.account('owner@example.com');
    const grant = await f.grantFor('owner@example.com');
    expect(await reset(grant, 'password1')).toMatchObject({ status: 422, body: { error: { code: 'weak_password', details: { reasons: expect.any(Array) } } } });
    expect((await reset(grant)).status).toBe(200);
  });

  it('answers 503 for a phone number while the cloud has no SMS gateway, and refuses malformed requests', async () => {
    expect(await f.post('/api/v1/password/forgot', { phone: '+4917012345678' })).toMatchObject({ status: 503, body: { error: { code: 'reset_unavailable' } } });
    for (const body of [{}, { email: 'a@example.com', phone: '+4917012345678' }, { phone: '017012345678' }, { email: 'no-at-sign' }]) {
      expect(await f.post('/api/v1/password/forgot', body)).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    }
    expect((await f.db.query('SELECT count(*) AS n FROM source_attempts')).rows).toEqual([{ n: 0 }]);
  });
});
