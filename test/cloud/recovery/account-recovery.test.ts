// Account recovery for an owner who lost every second factor, over real HTTP on PostgreSQL with
// mail to a real SMTP server; a week passes on a manual clock and the schedule's manual timers.
import { beforeEach, describe, expect, it } from 'vitest';
import { OTHER_STRONG_PASSWORD, STRONG_PASSWORD } from '../../helpers/recorder.js';
import { useRecoveryCloud, type RecoveryCloud } from './recovery-cloud.js';

const OWNER = 'owner@example.com';
/** The owner's authenticator app and its 10 recovery codes. */
const ALL_FACTORS = 11;
const peers = useRecoveryCloud({ externalUrl: 'https://cloud.example.net' });
let f: RecoveryCloud;
let ownerId: number;
beforeEach(async () => {
  f = peers.cloud();
  ownerId = await f.account(OWNER, { totp: true });
});

const open = (grant: string) => f.post('/api/v1/account-recovery', { grant });
const subjects = () => f.mailsTo(OWNER).map((m) => m.headers.subject);
const factorCount = async () =>
  (
    await f.db.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM totp_factors WHERE account_id = $1) + (SELECT count(*) FROM recovery_codes WHERE account_id = $1) AS n',
      [ownerId],
    )
  ).rows[0]!.n;
const auditTypes = async () => (await f.db.query<{ type: string }>('SELECT type FROM audit_log ORDER BY seq')).rows.map((r) => r.type);
/** The cancel code in the latest notice, from its link (the cloud's external URL, never a Host header). */
const cancelToken = () => /https:\/\/cloud\.example\.net\/account-recovery\/cancel#([0-9a-f]{64})/.exec(f.mailsTo(OWNER).at(-1)!.text)![1]!;

describe('account recovery (lost second factors)', () => {
  it('waits a week with a notice at once and every day, then removes the second factors: the password alone logs in', async () => {
    const grant = await f.grantFor(OWNER);
    const opened = await open(grant);
    expect(opened).toMatchObject({ status: 202, body: { endsAt: '2026-12-08T09:00:00.000Z' } });
    await f.mail(OWNER, 2);
    expect(subjects()[1]).toBe('Account recovery started for your Vigil cloud account');
    // The grant was not spent: the same proof sets a new password.
    expect((await f.post('/api/v1/password/reset', { grant, newPassword: OTHER_STRONG_PASSWORD })).status).toBe(200);
    await f.mail(OWNER, 3);
    // Opening again while one waits changes nothing: the clock does not start again.
    await f.days(1);
    expect(await open(await f.grantFor(OWNER, 5))).toMatchObject({ status: 202, body: { endsAt: '2026-12-08T09:00:00.000Z' } });

    await f.days(5);
    await f.mail(OWNER, 10);
    expect(await factorCount()).toBe(ALL_FACTORS);
    expect(await f.login(OWNER, OTHER_STRONG_PASSWORD)).toMatchObject({ status: 200, body: { secondFactorRequired: true } });
    await f.days(1);
    await f.mail(OWNER, 11);
    expect(subjects()).toEqual([
      'Your Vigil cloud password reset code',
      'Account recovery started for your Vigil cloud account',
      'Your Vigil cloud password was reset',
      'Account recovery of your Vigil cloud account: 6 days left',
      'Your Vigil cloud password reset code',
      'Account recovery of your Vigil cloud account: 5 days left',
      'Account recovery of your Vigil cloud account: 4 days left',
      'Account recovery of your Vigil cloud account: 3 days left',
      'Account recovery of your Vigil cloud account: 2 days left',
      'Account recovery of your Vigil cloud account: 1 day left',
      'The two-step login of your Vigil cloud account was removed',
    ]);
    expect(await factorCount()).toBe(0);
    expect((await f.login(OWNER, OTHER_STRONG_PASSWORD)).status).toBe(200);
    const types = await auditTypes();
    expect(types.filter((t) => t.startsWith('account.recovery') || t === 'twofactor.disabled')).toEqual([
      'account.recovery_opened',
      'twofactor.disabled',
      'account.recovery_completed',
    ]);
    // A week later nothing more happens: the request is done.
    await f.days(2);
    expect(f.mailsTo(OWNER)).toHaveLength(11);
  }, 60_000);

  it('is cancelled by a complete login of the owner, not by a password without the second factor', async () => {
    await open(await f.grantFor(OWNER));
    await f.mail(OWNER, 2);
    // The password alone (the owner recovering, or a thief) is no login of the owner's: it waits on.
    expect(await f.login(OWNER, STRONG_PASSWORD)).toMatchObject({ status: 200, body: { secondFactorRequired: true } });
    expect((await f.db.query('SELECT count(*) AS n FROM account_recoveries WHERE cancelled_at IS NULL')).rows).toEqual([{ n: 1 }]);
    expect(await f.loginWithApp(OWNER, STRONG_PASSWORD)).toMatchObject({ status: 200, body: { accountId: ownerId } });
    await f.mail(OWNER, 3);
    expect(subjects()[2]).toBe('Account recovery of your Vigil cloud account was cancelled');
    expect(f.mailsTo(OWNER)[2]!.text).toContain('because you logged in with your second factor');
    const { rows } = await f.db.query('SELECT cancelled_reason FROM account_recoveries');
    expect(rows).toEqual([{ cancelled_reason: 'owner_login' }]);

    await f.days(8);
    expect(await factorCount()).toBe(ALL_FACTORS);
    expect(await auditTypes()).not.toContain('account.recovery_completed');
    expect(f.mailsTo(OWNER)).toHaveLength(3);
  }, 30_000);

  it('is cancelled by the code its notices carry; a wrong code is refused and counted', async () => {
    await open(await f.grantFor(OWNER));
    await f.mail(OWNER, 2);
    expect(await f.post('/api/v1/account-recovery/cancel', { token: 'f'.repeat(64) })).toMatchObject({ status: 400, body: { error: { code: 'invalid_token' } } });
    const failures = "SELECT count(*) AS n FROM source_attempts WHERE source = '127.0.0.1'";
    expect((await f.db.query(failures)).rows).toEqual([{ n: 1 }]);
    await f.days(2);
    await f.mail(OWNER, 4);
    // Every notice carries the same code, though only its hash is stored.
    const token = cancelToken();
    expect(f.mailsTo(OWNER)[1]!.text).toContain(token);
    expect(JSON.stringify((await f.db.query('SELECT * FROM account_recoveries')).rows)).not.toContain(token);
    expect(await f.post('/api/v1/account-recovery/cancel', { token })).toEqual(expect.objectContaining({ status: 200, body: { cancelled: true } }));
    expect(await f.post('/api/v1/account-recovery/cancel', { token })).toMatchObject({ status: 400 });
    expect((await f.mail(OWNER, 5)).headers.subject).toBe('Account recovery of your Vigil cloud account was cancelled');
    await f.days(6);
    expect(await factorCount()).toBe(ALL_FACTORS);
    expect(f.mailsTo(OWNER)).toHaveLength(5);
  }, 30_000);

  it('three instances on one database send each daily notice once and complete the request once', async () => {
    await f.anotherInstance();
    await f.anotherInstance();
    await open(await f.grantFor(OWNER));
    await f.days(7);
    await f.mail(OWNER, 9);
    const types = await auditTypes();
    expect(types.filter((t) => t === 'account.recovery_completed' || t === 'twofactor.disabled')).toEqual(['twofactor.disabled', 'account.recovery_completed']);
    await f.stop();
    // The code, the opening notice, six daily ones, the removal: not one of them twice.
    expect(f.mailsTo(OWNER)).toHaveLength(9);
  }, 60_000);

  it('needs a live forgot-password grant, and an account with a second factor', async () => {
    expect(await open('not-a-grant')).toMatchObject({ status: 400, body: { error: { code: 'invalid_grant' } } });
    const stale = await f.grantFor(OWNER);
    f.clock.advance(15 * 60);
    expect(await open(stale)).toMatchObject({ status: 400, body: { error: { code: 'invalid_grant' } } });
    const spent = await f.grantFor(OWNER, 2);
    expect((await f.post('/api/v1/password/reset', { grant: spent, newPassword: OTHER_STRONG_PASSWORD })).status).toBe(200);
    expect(await open(spent)).toMatchObject({ status: 400, body: { error: { code: 'invalid_grant' } } });
    await f.account('plain@example.com');
    expect(await open(await f.grantFor('plain@example.com'))).toMatchObject({ status: 409, body: { error: { code: 'no_second_factor' } } });
    expect((await f.db.query('SELECT count(*) AS n FROM account_recoveries')).rows).toEqual([{ n: 0 }]);
  });
});
