import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RECOVERY_SETTINGS } from '../../../src/recorder/db/recovery-store.js';
import { verifyFactoryResetRecord } from '../../../src/recorder/recovery/factory-reset.js';
import { FACTORY_RESET_PHRASE, RESTORE_DEFAULTS_PHRASE } from '../../../src/recorder/recovery/reset-phrases.js';
import { pressButton, runVigilAsync } from '../../helpers/button.js';
import { activate, ApiClient, loggedInAdmin } from '../../helpers/client.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../../helpers/recorder.js';
import { enrolTotp } from '../../helpers/two-factor.js';

const OPERATOR = 'zebrakeeper41';
const SMTP_LOGIN = 'smtp-login-quokka';
const SMTP_PASSWORD = 'Smtp-Secret-7xq9-marmalade';
const NOTIFY_ADDRESS = 'owner-x93@wombat.example';
const FOOTAGE_BYTES = 'FOOTAGE-FRAME-4f1c-lighthouse';

const mailSettings = (password?: string) => ({
  enabled: true,
  host: 'smtp.wombat.example',
  port: 587,
  security: 'starttls',
  username: SMTP_LOGIN,
  ...(password === undefined ? {} : { password }),
  from: 'nvr@wombat.example',
});

/** Every file in the data directory (database, its WAL and shared memory, keys, certificates, footage), as bytes. */
function filesOf(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, entry);
    if (statSync(path).isFile()) files.set(entry, readFileSync(path));
  }
  return files;
}

/** The names of the files that hold `secret` anywhere in their bytes. */
function filesHolding(files: Map<string, Buffer>, secret: string | Buffer): string[] {
  return [...files].filter(([, bytes]) => bytes.includes(secret)).map(([name]) => name);
}

/** Row counts of every table, read by a connection of the test's own (closed again at once). */
function rowCounts(rec: TestRecorder): Record<string, number> {
  const db = new Database(join(rec.dataDir, 'vigil.db'), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

describe('restore defaults and factory reset', () => {
  let rec: TestRecorder;
  let admin: ApiClient;
  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
    admin = await loggedInAdmin(rec);
  });
  afterEach(() => rec.close());

  /** A recorder in use: another account, 2FA, security mail, settings, a lockout, footage. */
  async function putTheRecorderToUse(): Promise<void> {
    expect((await admin.post('/api/v1/users', { username: OPERATOR, role: 'operator' })).status).toBe(201);
    await enrolTotp(rec, admin);
    expect((await admin.put('/api/v1/settings/mail', mailSettings(SMTP_PASSWORD))).status).toBe(200);
    expect((await admin.put('/api/v1/me/notification-email', { email: NOTIFY_ADDRESS, currentPassword: STRONG_PASSWORD })).status).toBe(200);
    expect((await admin.put('/api/v1/settings/password-age', { maxPasswordAgeDays: 90 })).status).toBe(200);
    expect((await admin.put('/api/v1/settings/login-allow-list', { enabled: true, entries: ['127.0.0.0/8', '192.168.7.0/24'] })).status).toBe(200);
    expect((await admin.put('/api/v1/settings/two-factor', { required: true, currentPassword: STRONG_PASSWORD })).status).toBe(200);
    expect((await admin.put('/api/v1/settings/recovery', { weakPathsLanOnly: false, questionBlockMinutes: 90 })).status).toBe(200);
    expect((await new ApiClient(rec.url).login(OPERATOR, 'not the password')).status).toBe(401);
    rec.running.ctx.methodLocks.fail('resetButton', 'device', { maxFailures: 5, blockSeconds: 60 });
    mkdirSync(join(rec.dataDir, 'footage', 'cam1', '2026-01-01'), { recursive: true });
    writeFileSync(join(rec.dataDir, 'footage', 'cam1', '2026-01-01', '00-00.mp4'), FOOTAGE_BYTES.repeat(100));
  }

  it('restore defaults resets mail, password age, 2FA policy, recovery settings and lockouts; keeps accounts, allow-list, sessions, footage, audit', async () => {
    await putTheRecorderToUse();
    const auditBefore = rec.running.ctx.audit.query({ limit: 1000 }).length;
    expect(rowCounts(rec).login_attempts).toBeGreaterThan(0);

    const restored = await admin.post('/api/v1/device/restore-defaults', { confirm: RESTORE_DEFAULTS_PHRASE, currentPassword: STRONG_PASSWORD });
    expect(restored.status).toBe(204);

    expect((await admin.get('/api/v1/settings/mail')).body).toMatchObject({ enabled: false, host: '', username: '', passwordSet: false });
    expect((await admin.get('/api/v1/settings/password-age')).body).toEqual({ maxPasswordAgeDays: null });
    expect((await admin.get('/api/v1/settings/two-factor')).body).toEqual({ required: false });
    expect((await admin.get('/api/v1/settings/recovery')).body).toEqual(DEFAULT_RECOVERY_SETTINGS);
    expect(rowCounts(rec)).toMatchObject({ login_attempts: 0, recovery_method_locks: 0, mail_settings: 0 });

    // Kept: the session that asked, the accounts with their 2FA and addresses, the allow-list, footage, the log.
    expect((await admin.get('/api/v1/me')).status).toBe(200);
    expect((await admin.get('/api/v1/users')).body.users.map((u: { username: string }) => u.username)).toEqual(['admin', OPERATOR]);
    expect((await admin.get('/api/v1/me/2fa')).body.enabled).toBe(true);
    expect((await admin.get('/api/v1/me/notification-email')).body).toEqual({ email: NOTIFY_ADDRESS });
    expect((await admin.get('/api/v1/settings/login-allow-list')).body).toMatchObject({ enabled: true, entries: ['127.0.0.0/8', '192.168.7.0/24'] });
    expect(readdirSync(join(rec.dataDir, 'footage'))).toEqual(['cam1']);
    const audit = rec.running.ctx.audit.query({ limit: 1000 });
    expect(audit).toHaveLength(auditBefore + 1);
    expect(audit[0]).toMatchObject({ type: 'device.restored_defaults', outcome: 'success', actorUsername: 'admin' });
    expect(rec.running.ctx.audit.verify().problems).toEqual([]);
  });

  it.each([
    ['restore-defaults', RESTORE_DEFAULTS_PHRASE],
    ['factory-reset', FACTORY_RESET_PHRASE],
  ])('%s: a wrong phrase or a wrong password refuses and changes nothing', async (path, phrase) => {
    await putTheRecorderToUse();
    const before = rowCounts(rec);

    const wrongPhrase = await admin.post(`/api/v1/device/${path}`, { confirm: phrase.toLowerCase(), currentPassword: STRONG_PASSWORD });
    expect(wrongPhrase.status).toBe(422);
    expect(wrongPhrase.body.error.code).toBe('confirmation_mismatch');
    expect(wrongPhrase.body.error.message).toContain(phrase);

    const wrongPassword = await admin.post(`/api/v1/device/${path}`, { confirm: phrase, currentPassword: OTHER_STRONG_PASSWORD });
    expect(wrongPassword.status).toBe(403);
    expect(wrongPassword.body.error.code).toBe('invalid_current_password');

    const after = rowCounts(rec);
    // Only the audit entry of the refused password was added, and its failure against the address
    // (kept in the database, so a restart does not forget it).
    expect(after).toEqual({ ...before, audit_log: before.audit_log! + 1, source_attempts: before.source_attempts! + 1 });
    expect(rec.running.ctx.audit.query({ limit: 1 })[0]).toMatchObject({ outcome: 'failure', actorUsername: 'admin' });
    expect((await admin.get('/api/v1/settings/mail')).body.passwordSet).toBe(true);
    expect(readdirSync(join(rec.dataDir, 'footage'))).toEqual(['cam1']);
  });

  it('factory reset: nothing erased is left in any file of the data directory; the log ends with a signed record; activation works again', async () => {
    await putTheRecorderToUse();
    const ctx = rec.running.ctx;
    const dataDir = rec.dataDir;
    const adminHash = ctx.store.findUserByUsername('admin')!.passwordHash;
    const oldServerSecret = ctx.store.getDevice()!.serverSecret;
    const oldTwoFactorKey = readFileSync(join(dataDir, 'keys', 'two-factor.key'));
    const oldSettingsKey = readFileSync(join(dataDir, 'keys', 'settings.key'));
    const db = new Database(join(dataDir, 'vigil.db'), { readonly: true });
    const sealedTotp = (db.prepare('SELECT secret_sealed FROM totp_factors').get() as { secret_sealed: Buffer }).secret_sealed;
    const sealedSmtp = (db.prepare('SELECT password_sealed FROM mail_settings').get() as { password_sealed: Buffer }).password_sealed;
    const recoveryCodeHash = (db.prepare('SELECT code_hash FROM recovery_codes').get() as { code_hash: string }).code_hash;
    db.close();
    const planted: [string, string | Buffer][] = [
      ['account name', OPERATOR],
      ['admin password hash', adminHash],
      ['SMTP login', SMTP_LOGIN],
      ['SMTP password', SMTP_PASSWORD],
      ['sealed SMTP password', sealedSmtp],
      ['notification address', NOTIFY_ADDRESS],
      ['sealed TOTP secret', sealedTotp],
      ['recovery code hash', recoveryCodeHash],
      ['server secret', oldServerSecret],
      ['two-factor key', oldTwoFactorKey],
      ['settings key', oldSettingsKey],
      ['footage', FOOTAGE_BYTES],
    ];
    // The check below could fail: before the reset the data directory holds what we look for.
    const before = filesOf(dataDir);
    for (const [what, secret] of planted) {
      if (what !== 'SMTP password') expect(filesHolding(before, secret), what).not.toEqual([]); // stored sealed only
    }
    const auditEntries = ctx.deviceReset.countAuditEntries();
    const head = ctx.audit.query({ limit: 1 })[0]!;

    const reset = await admin.post('/api/v1/device/factory-reset', { confirm: FACTORY_RESET_PHRASE, currentPassword: STRONG_PASSWORD });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ activated: false });
    expect(reset.headers.getSetCookie().some((c) => /^__Host-vigil_session=;/.test(c))).toBe(true);

    expect((await new ApiClient(rec.url).get('/api/v1/device')).body.activated).toBe(false);
    // The old session is gone with everything else (an inactive recorder answers nothing that needs one).
    expect((await admin.get('/api/v1/me')).body.error.code).toBe('device_inactive');
    const counts = rowCounts(rec);
    expect(counts.device).toBe(1);
    expect(counts.audit_log).toBe(1);
    expect(Object.entries(counts).filter(([table, n]) => n > 0 && !['device', 'audit_log', 'audit_head'].includes(table))).toEqual([]);
    expect(readdirSync(join(dataDir, 'footage'))).toEqual([]);

    const after = filesOf(dataDir);
    expect(after.get('vigil.db-wal')?.length ?? 0).toBe(0);
    for (const [what, secret] of planted) expect(filesHolding(after, secret), what).toEqual([]);
    // The device's identity stays: serial, label code, device key, certificate.
    expect(after.get(join('keys', 'device-ed25519.pem'))).toEqual(before.get(join('keys', 'device-ed25519.pem')));
    expect(ctx.store.getDevice()!.serial).toBe(rec.serial);

    // The old log is ended by one record the device key signed.
    const verified = await runVigilAsync(['recorder', 'audit', 'verify', '--data', dataDir]);
    expect(verified.stdout).toContain('Audit log intact: 1 entries');
    expect(verified.status).toBe(0);
    const [final] = ctx.audit.query({});
    expect(final).toMatchObject({ seq: 1, type: 'device.factory_reset', target: `device:${rec.serial}`, actorUsername: null, sourceIp: null });
    expect(JSON.parse(final!.details)).toMatchObject({ trigger: 'admin', erasedEntries: auditEntries, lastSeq: head.seq, lastHash: head.hash });
    const publicKey = readFileSync(join(dataDir, 'keys', 'device-ed25519.pub.pem'), 'utf8');
    expect(verifyFactoryResetRecord(publicKey, final!)).toBe(true);
    const forged = { ...final!, details: JSON.stringify({ ...JSON.parse(final!.details), erasedEntries: 0 }) };
    expect(verifyFactoryResetRecord(publicKey, forged)).toBe(false);

    // A new owner starts from the label code; the new keys seal new secrets.
    expect((await new ApiClient(rec.url).post('/api/v1/activate', { labelCode: rec.labelCode, password: OTHER_STRONG_PASSWORD })).status).toBe(201);
    expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).status).toBe(401);
    expect((await admin.get('/api/v1/me')).status).toBe(401);
    const owner = await loggedInAdmin(rec, OTHER_STRONG_PASSWORD);
    await enrolTotp(rec, owner, OTHER_STRONG_PASSWORD);
    expect((await owner.put('/api/v1/settings/mail', mailSettings('another secret'))).status).toBe(200);
    expect((await owner.get('/api/v1/settings/mail')).body.passwordSet).toBe(true);
    expect(ctx.audit.verify().problems).toEqual([]);
  });

  it('a long press of the button is a factory reset, recorded as such', async () => {
    await putTheRecorderToUse();
    const pressed = await pressButton(rec.dataDir, 'long');
    expect(pressed.stderr).toBe('');
    expect(pressed.stdout).toContain('Factory reset done');
    expect(pressed.status).toBe(0);

    expect((await new ApiClient(rec.url).get('/api/v1/device')).body.activated).toBe(false);
    expect(rowCounts(rec)).toMatchObject({ users: 0, sessions: 0, totp_factors: 0, recovery_codes: 0, mail_settings: 0, audit_log: 1 });
    expect(readdirSync(join(rec.dataDir, 'footage'))).toEqual([]);
    const [final] = rec.running.ctx.audit.query({});
    expect(JSON.parse(final!.details)).toMatchObject({ trigger: 'button_long_press' });
    expect(verifyFactoryResetRecord(readFileSync(join(rec.dataDir, 'keys', 'device-ed25519.pub.pem'), 'utf8'), final!)).toBe(true);
    await activate(rec);
    expect((await admin.get('/api/v1/me')).status).toBe(401);
  });
});
