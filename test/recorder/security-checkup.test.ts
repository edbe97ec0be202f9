// The security checkup: a pure function of the device's state, and its route on a real recorder.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { securityCheckup, type DeviceSecurityState } from '../../src/recorder/security/checkup.js';
import { ApiClient, activate, loggedInAdmin } from '../helpers/client.js';
import { startTestRecorder, type TestRecorder } from '../helpers/recorder.js';
import { SMTP_PASSWORD } from '../helpers/smtp.js';
import { enrolTotp } from '../helpers/two-factor.js';

const NOW = Date.UTC(2026, 5, 1);
const DAY = 86400 * 1000;

/** A device with nothing to report; each case spoils one thing. */
const SOUND: DeviceSecurityState = {
  now: NOW,
  accounts: [
    { username: 'alice', role: 'admin', passwordChangedAt: NOW - 10 * DAY, twoFactorEnabled: true },
    { username: 'victor', role: 'viewer', passwordChangedAt: NOW - 10 * DAY, twoFactorEnabled: false },
  ],
  recovery: { level: 'ready', configured: ['recoveryKey'], strongCount: 1, weakCount: 0 },
  transport: { https: true, listenHost: '0.0.0.0', externalUrl: 'https://nvr.example.net' },
  maxPasswordAgeDays: null,
  allowListEnabled: true,
  mailEnabled: true,
};

const ids = (state: DeviceSecurityState) => securityCheckup(state).map((f) => `${f.id}:${f.severity}`);

describe('securityCheckup', () => {
  it('finds nothing on a sound device (2FA is only asked of admins)', () => {
    expect(securityCheckup(SOUND)).toEqual([]);
  });

  it.each<[string, Partial<DeviceSecurityState>, string[]]>([
    ['an admin without 2FA', { accounts: [{ ...SOUND.accounts[0]!, twoFactorEnabled: false }] }, ['admin_without_2fa:high']],
    ['no recovery path', { recovery: { level: 'none', configured: [], strongCount: 0, weakCount: 0 } }, ['no_recovery_path:medium']],
    ['only weak recovery', { recovery: { level: 'weak_only', configured: ['email'], strongCount: 0, weakCount: 1 } }, ['only_weak_recovery:medium']],
    ['plain HTTP off loopback', { transport: { https: false, listenHost: '192.168.1.10', externalUrl: null } }, ['plain_http:high']],
    ['plain HTTP on loopback is fine', { transport: { https: false, listenHost: '127.0.0.1', externalUrl: null } }, []],
    ['an http:// external URL (a proxy without TLS)', { transport: { https: true, listenHost: '127.0.0.1', externalUrl: 'http://nvr.lan' } }, ['plain_http:high']],
    ['an http:// loopback external URL', { transport: { https: false, listenHost: '127.0.0.1', externalUrl: 'http://[::1]:8080' } }, []],
    ['a password over 365 days old, no maximum set', { accounts: [{ ...SOUND.accounts[0]!, passwordChangedAt: NOW - 366 * DAY }] }, ['old_passwords:low']],
    ['a password of 365 days, no maximum set', { accounts: [{ ...SOUND.accounts[0]!, passwordChangedAt: NOW - 365 * DAY }] }, []],
    ['a password over the maximum age', { maxPasswordAgeDays: 30, accounts: [{ ...SOUND.accounts[1]!, passwordChangedAt: NOW - 31 * DAY }] }, ['old_passwords:medium']],
    ['mail off', { mailEnabled: false }, ['mail_not_configured:medium']],
    ['the allow-list off', { allowListEnabled: false }, ['allow_list_off:low']],
  ])('%s', (_name, change, expected) => {
    expect(ids({ ...SOUND, ...change })).toEqual(expected);
  });

  it('names the accounts concerned, and sorts the most serious first', () => {
    const findings = securityCheckup({
      ...SOUND,
      accounts: [
        { username: 'alice', role: 'admin', passwordChangedAt: NOW - 400 * DAY, twoFactorEnabled: false },
        { username: 'bob', role: 'admin', passwordChangedAt: NOW, twoFactorEnabled: false },
      ],
      allowListEnabled: false,
      mailEnabled: false,
    });
    expect(findings.map((f) => `${f.id}:${f.severity}`)).toEqual(['admin_without_2fa:high', 'mail_not_configured:medium', 'old_passwords:low', 'allow_list_off:low']);
    expect(findings[0]!.title).toBe('Admin accounts without two-step login: alice, bob');
    expect(findings[2]!.title).toBe('Passwords older than 365 days: alice');
    for (const f of findings) expect(f.advice.length).toBeGreaterThan(20);
  });
});

describe('GET /api/v1/security/checkup', () => {
  let rec: TestRecorder;
  let admin: ApiClient;
  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
    admin = await loggedInAdmin(rec);
  });
  afterEach(() => rec.close());

  it('on a fresh device: no 2FA, no recovery path, no security mail, no allow-list', async () => {
    const res = await admin.get('/api/v1/security/checkup');
    expect(res.status).toBe(200);
    expect(res.body.findings.map((f: { id: string; severity: string }) => `${f.id}:${f.severity}`)).toEqual([
      'admin_without_2fa:high',
      'no_recovery_path:medium',
      'mail_not_configured:medium',
      'allow_list_off:low',
    ]);
  });

  it('follows the settings: mail on and an allow-list clear their findings; an old password appears', async () => {
    await admin.put('/api/v1/settings/mail', { enabled: true, host: 'smtp.example.net', port: 587, security: 'starttls', username: 'nvr', password: SMTP_PASSWORD, from: 'nvr@example.net' });
    await admin.put('/api/v1/settings/login-allow-list', { enabled: true, entries: ['127.0.0.1'] });
    rec.clock.advance(366 * 86400);
    const relogged = await loggedInAdmin(rec);
    const res = await relogged.get('/api/v1/security/checkup');
    expect(res.body.findings.map((f: { id: string }) => f.id)).toEqual(['admin_without_2fa', 'no_recovery_path', 'old_passwords']);
  });

  it('reads the real 2FA state: the admin finding goes once the admin enrols an authenticator', async () => {
    await enrolTotp(rec, admin);
    const res = await admin.get('/api/v1/security/checkup');
    expect(res.body.findings.map((f: { id: string }) => f.id)).not.toContain('admin_without_2fa');
    expect(res.body.findings.map((f: { id: string }) => f.id)).toContain('no_recovery_path');
  });

  it('is for admins only', async () => {
    expect((await new ApiClient(rec.url).get('/api/v1/security/checkup')).status).toBe(401);
  });
});
