// Security mail end to end: a real recorder sends through a real SMTP server started here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, activate, loggedInAdmin } from '../helpers/client.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../helpers/recorder.js';
import { mailSettingsFor, SMTP_PASSWORD, startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { enrolTotp } from '../helpers/two-factor.js';

const EXTERNAL_URL = 'https://nvr.example.net';
const OWNER_ADDRESS = 'owner@example.net';

let rec: TestRecorder;
let smtp: TestSmtpServer;
let admin: ApiClient;

const mailSettings = (overrides: Record<string, unknown> = {}) => ({ ...mailSettingsFor(smtp), ...overrides });

/** Every listener call the audit log has scheduled has finished: any mail it sent has been accepted. */
const mailsSettled = () => rec.running.ctx.audit.settled();

beforeEach(async () => {
  smtp = await startTestSmtpServer();
  rec = await startTestRecorder({ externalUrl: EXTERNAL_URL });
  await activate(rec);
  admin = await loggedInAdmin(rec);
});
afterEach(async () => {
  await rec.close();
  await smtp.close();
});

describe('SMTP settings', () => {
  it('are off and empty on a new device', async () => {
    const res = await admin.get('/api/v1/settings/mail');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ enabled: false, host: '', port: 587, security: 'starttls', username: '', from: '', passwordSet: false });
  });

  it('round-trip without ever returning the password, which is stored encrypted and audited by field name only', async () => {
    const saved = await admin.put('/api/v1/settings/mail', mailSettings());
    expect(saved.status).toBe(200);
    const expected = { enabled: true, host: '127.0.0.1', port: smtp.port, security: 'none', username: smtp.username, from: 'recorder@example.net', passwordSet: true };
    expect(saved.body).toEqual(expected);
    expect((await admin.get('/api/v1/settings/mail')).body).toEqual(expected);

    // Omitted: the stored password is kept.
    const { password: _omitted, ...withoutPassword } = mailSettings({ from: 'nvr@example.net' });
    const kept = await admin.put('/api/v1/settings/mail', withoutPassword);
    expect(kept.body).toMatchObject({ from: 'nvr@example.net', passwordSet: true });

    const database = readFileSync(join(rec.dataDir, 'vigil.db'));
    const wal = readFileSync(join(rec.dataDir, 'vigil.db-wal'));
    for (const file of [database, wal]) expect(file.includes(Buffer.from(SMTP_PASSWORD))).toBe(false);

    const audit = await admin.get('/api/v1/audit?type=settings.changed');
    expect(audit.body.entries.map((e: { details: unknown }) => e.details)).toEqual([{ changed: 'from' }, { changed: 'enabled,host,port,security,username,from,password' }]);
    expect(JSON.stringify(audit.body)).not.toContain(SMTP_PASSWORD);
    expect(rec.logs.join('')).not.toContain(SMTP_PASSWORD);
  });

  it('drop the stored password when the server changes without a new one, so it cannot be sent to another server', async () => {
    await admin.put('/api/v1/settings/mail', mailSettings());
    const { password: _omitted, ...moved } = mailSettings({ host: 'mail.attacker.example' });
    const res = await admin.put('/api/v1/settings/mail', moved);
    expect(res.body.passwordSet).toBe(false);
  });

  it('remove the password with null', async () => {
    await admin.put('/api/v1/settings/mail', mailSettings());
    expect((await admin.put('/api/v1/settings/mail', mailSettings({ password: null }))).body.passwordSet).toBe(false);
  });

  it('refuse a From or host that could carry another header, and are admin-only', async () => {
    const bad = await admin.put('/api/v1/settings/mail', mailSettings({ from: 'a@b.example\r\nBcc: x@evil.example' }));
    expect(bad.status).toBe(400);
    expect((await admin.put('/api/v1/settings/mail', mailSettings({ host: 'smtp.example.net\r\nX: y' }))).status).toBe(400);
    expect((await new ApiClient(rec.url).get('/api/v1/settings/mail')).status).toBe(401);
  });
});

describe('test mail', () => {
  it('arrives through the SMTP server, logged in with the stored credentials, and is audited', async () => {
    await admin.put('/api/v1/settings/mail', mailSettings({ enabled: false }));
    const res = await admin.post('/api/v1/settings/mail/test', { to: OWNER_ADDRESS });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ sent: true });

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.authUser).toBe(smtp.username);
    expect(mail.rcptTo).toEqual([OWNER_ADDRESS]);
    expect(mail.mailFrom).toBe('recorder@example.net');
    expect(mail.headers.to).toBe(OWNER_ADDRESS);
    expect(mail.headers.subject).toBe('Vigil: test mail');
    expect(mail.headers['content-type']).toMatch(/^text\/plain/);
    expect(mail.text).toContain(`${rec.model} ${rec.serial}`);
    expect(mail.text).toContain(EXTERNAL_URL);
    expect(mail.raw).not.toContain(SMTP_PASSWORD);

    const audit = await admin.get('/api/v1/audit?type=mail.test_sent');
    expect(audit.body.entries).toEqual([expect.objectContaining({ outcome: 'success', target: `mail:${OWNER_ADDRESS}` })]);
  });

  it('with a wrong SMTP password fails with a 502 that says so in plain words', async () => {
    await admin.put('/api/v1/settings/mail', mailSettings({ password: 'not the password' }));
    const res = await admin.post('/api/v1/settings/mail/test', { to: OWNER_ADDRESS });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('mail_delivery_failed');
    expect(res.body.error.message).toBe(`The mail server at 127.0.0.1:${smtp.port} refused the username or password (SMTP status 535).`);
    expect(smtp.refusedLogins).toBe(1);
    expect(smtp.mails).toEqual([]);
    const audit = await admin.get('/api/v1/audit?type=mail.test_sent');
    expect(audit.body.entries[0]).toMatchObject({ outcome: 'failure', details: { reason: res.body.error.message } });
  });

  it('to a port where nothing listens fails at once with a clear 502', async () => {
    const dead = await startTestSmtpServer();
    const deadPort = dead.port;
    await dead.close();
    await admin.put('/api/v1/settings/mail', mailSettings({ port: deadPort }));
    const res = await admin.post('/api/v1/settings/mail/test', { to: OWNER_ADDRESS });
    expect(res.status).toBe(502);
    expect(res.body.error.message).toBe(`Nothing answers at 127.0.0.1:${deadPort} (connection refused): check the host and the port.`);
  });

  it('before any settings is a 409, and the address must be one address', async () => {
    const res = await admin.post('/api/v1/settings/mail/test', { to: OWNER_ADDRESS });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('mail_not_configured');
    expect((await admin.post('/api/v1/settings/mail/test', { to: 'a@b.example, c@d.example' })).status).toBe(400);
  });

  it('is rate-limited per admin before any connection is made', async () => {
    await admin.put('/api/v1/settings/mail', mailSettings());
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await admin.post('/api/v1/settings/mail/test', { to: OWNER_ADDRESS })).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    expect(smtp.mails).toHaveLength(10);
  });
});

describe('notification address', () => {
  it('is set with the current password, shown to its owner, audited without the address, and removable', async () => {
    expect((await admin.get('/api/v1/me/notification-email')).body).toEqual({ email: null });
    const wrong = await admin.put('/api/v1/me/notification-email', { email: OWNER_ADDRESS, currentPassword: OTHER_STRONG_PASSWORD });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('invalid_current_password');
    expect((await admin.get('/api/v1/me/notification-email')).body).toEqual({ email: null });

    const set = await admin.put('/api/v1/me/notification-email', { email: OWNER_ADDRESS, currentPassword: STRONG_PASSWORD });
    expect(set.status).toBe(200);
    expect((await admin.get('/api/v1/me/notification-email')).body).toEqual({ email: OWNER_ADDRESS });
    const audit = await admin.get('/api/v1/audit?type=notification_email.changed');
    expect(audit.body.entries.map((e: { outcome: string; details: unknown }) => [e.outcome, e.details])).toEqual([
      ['success', { set: true }],
      ['failure', { reason: 'invalid_current_password' }],
    ]);

    await admin.put('/api/v1/me/notification-email', { email: null, currentPassword: STRONG_PASSWORD });
    expect((await admin.get('/api/v1/me/notification-email')).body).toEqual({ email: null });
  });
});

describe('security mails', () => {
  async function setUpMail(): Promise<void> {
    await admin.put('/api/v1/settings/mail', mailSettings());
    await admin.put('/api/v1/me/notification-email', { email: OWNER_ADDRESS, currentPassword: STRONG_PASSWORD });
  }

  it('a password change mails the account, saying what, when and from where, with no secret in it', async () => {
    await setUpMail();
    const res = await admin.post('/api/v1/me/password', { currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD });
    expect(res.status).toBe(200);
    await mailsSettled();

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.rcptTo).toEqual([OWNER_ADDRESS]);
    expect(mail.headers.subject).toBe('Vigil: Your password was changed');
    expect(mail.text).toContain('The password of your account admin was changed.');
    expect(mail.text).toContain(`When:   ${new Date(rec.clock.now()).toISOString()} (UTC)`);
    expect(mail.text).toContain('From:   address 127.0.0.1');
    expect(mail.text).toContain('If it was not you,');
    expect(mail.text).toContain(`Your recorder: ${EXTERNAL_URL}`);
    for (const secret of [STRONG_PASSWORD, OTHER_STRONG_PASSWORD, SMTP_PASSWORD, rec.labelCode, admin.csrfToken!, admin.cookie!.split('=')[1]!]) {
      expect(mail.raw).not.toContain(secret);
    }
  });

  it('a login from a new device mails the account; an ordinary login does not', async () => {
    await setUpMail();
    const audit = rec.running.ctx.audit;
    // The per-account lockout work marks logins from an unknown browser this way.
    audit.append({ type: 'auth.login', outcome: 'success', actor: { id: 1, username: 'admin' }, sourceIp: '192.0.2.7', target: 'session:0123456789abcdef01234567', details: { newDevice: false } });
    audit.append({ type: 'auth.login', outcome: 'success', actor: { id: 1, username: 'admin' }, sourceIp: '192.0.2.8', target: 'session:abcdef0123456789abcdef01', details: { newDevice: true, userAgent: 'Firefox/140' } });
    await mailsSettled();
    expect(smtp.mails.map((m) => m.headers.subject)).toEqual(['Vigil: New login to your account']);
    expect(smtp.mails[0]!.text).toContain('From:   address 192.0.2.8, browser Firefox/140');
  });

  it('a lockout of an admin account mails it; a lockout of a source address mails nobody', async () => {
    await setUpMail();
    const audit = rec.running.ctx.audit;
    audit.append({ type: 'auth.lockout', outcome: 'info', sourceIp: '192.0.2.9', target: 'source:192.0.2.9', details: { retryAfterSeconds: 60 } });
    audit.append({ type: 'auth.lockout', outcome: 'info', sourceIp: '192.0.2.9', target: 'user:1', details: { retryAfterSeconds: 900 } });
    await mailsSettled();
    expect(smtp.mails.map((m) => [m.rcptTo, m.headers.subject])).toEqual([[[OWNER_ADDRESS], 'Vigil: Your admin account was locked']]);
  });

  it('2FA changes and an admin reset mail the account concerned', async () => {
    await setUpMail();
    const audit = rec.running.ctx.audit;
    const byAdmin = { actor: { id: 1, username: 'admin' }, sourceIp: '127.0.0.1', target: 'user:1' } as const;
    audit.append({ type: 'twofactor.enabled', outcome: 'success', ...byAdmin });
    await mailsSettled();
    audit.append({ type: 'twofactor.disabled', outcome: 'success', ...byAdmin });
    await mailsSettled();
    audit.append({ type: 'password.reset', outcome: 'success', ...byAdmin });
    await mailsSettled();
    expect(smtp.mails.map((m) => m.headers.subject)).toEqual([
      'Vigil: Two-step login was turned on',
      'Vigil: Two-step login was turned off',
      'Vigil: Your password was reset',
    ]);
  });

  it('nothing is mailed to an account without a notification address, or while mail is disabled', async () => {
    await admin.put('/api/v1/settings/mail', mailSettings());
    await admin.post('/api/v1/me/password', { currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD });
    await mailsSettled();
    expect(smtp.mails).toEqual([]);

    await admin.put('/api/v1/me/notification-email', { email: OWNER_ADDRESS, currentPassword: OTHER_STRONG_PASSWORD });
    await admin.put('/api/v1/settings/mail', mailSettings({ enabled: false }));
    await admin.post('/api/v1/me/password', { currentPassword: OTHER_STRONG_PASSWORD, newPassword: STRONG_PASSWORD });
    await mailsSettled();
    expect(smtp.mails).toEqual([]);
  });

  it('a mail server that fails never fails the request that caused the mail; the failure is logged', async () => {
    await setUpMail();
    await smtp.close();
    const res = await admin.post('/api/v1/me/password', { currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD });
    expect(res.status).toBe(200);
    await mailsSettled();
    expect(rec.logs.join('')).toContain('an audit listener failed (security mail)');
    expect(rec.logs.join('')).not.toContain(SMTP_PASSWORD);
  });
});

describe('security mails from the real events of the other features', () => {
  beforeEach(async () => {
    await admin.put('/api/v1/settings/mail', mailSettings());
  });

  it('turning two-step login on mails the account', async () => {
    await admin.put('/api/v1/me/notification-email', { email: OWNER_ADDRESS, currentPassword: STRONG_PASSWORD });
    const { recoveryCodes } = await enrolTotp(rec, admin);
    await mailsSettled();
    const mails = smtp.mails.filter((m) => m.headers.subject === 'Vigil: Two-step login was turned on');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.rcptTo).toEqual([OWNER_ADDRESS]);
    for (const code of recoveryCodes) expect(mails[0]!.raw).not.toContain(code);
  });

  it("an admin's reset of a user's password mails that user, not the admin, and never the one-time password", async () => {
    const created = await admin.post('/api/v1/users', { username: 'night-guard', role: 'operator' });
    const guard = new ApiClient(rec.url);
    await guard.login('night-guard', created.body.oneTimePassword);
    await guard.post('/api/v1/me/password', { currentPassword: created.body.oneTimePassword, newPassword: OTHER_STRONG_PASSWORD });
    await guard.login('night-guard', OTHER_STRONG_PASSWORD);
    await guard.put('/api/v1/me/notification-email', { email: 'guard@example.net', currentPassword: OTHER_STRONG_PASSWORD });
    await mailsSettled();
    smtp.mails.length = 0;

    const reset = await admin.post(`/api/v1/users/${created.body.user.id}/password-reset`);
    expect(reset.status).toBe(200);
    await mailsSettled();
    expect(smtp.mails.map((m) => [m.rcptTo, m.headers.subject])).toEqual([[['guard@example.net'], 'Vigil: Your password was reset']]);
    expect(smtp.mails[0]!.raw).not.toContain(reset.body.oneTimePassword);
  });
});
