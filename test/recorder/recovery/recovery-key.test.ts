import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRecoveryKeyFile } from '../../../src/recorder/api/recovery-key-file.js';
import { activate, ApiClient, loggedInAdmin } from '../../helpers/client.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../../helpers/recorder.js';
import { appCode, enrolTotp } from '../../helpers/two-factor.js';

const NEW_PASSWORD = 'Marble kettle 61 over the dunes';

describe('recovery key file', () => {
  let rec: TestRecorder;
  let admin: ApiClient;
  const anon = () => new ApiClient(rec.url);
  const importKey = (file: string) => anon().post('/api/v1/recovery/key/verify', { file });

  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
    admin = await loggedInAdmin(rec);
  });
  afterEach(() => rec.close());

  async function exportKey(client = admin, extra: Record<string, string> = {}): Promise<string> {
    const res = await client.post('/api/v1/me/recovery/key', { currentPassword: STRONG_PASSWORD, ...extra });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    return res.body.content as string;
  }

  /** The file with its secret changed in one character: right shape, wrong key. */
  const tampered = (file: string) => file.replace(/key: (.)/, (_m, c: string) => `key: ${c === 'A' ? 'B' : 'A'}`);

  it('exported with the password, names the serial and account, and is stored only as a hash', async () => {
    expect((await admin.get('/api/v1/me/recovery/key')).body).toEqual({ active: false, createdAt: null, usedAt: null });
    const wrong = await admin.post('/api/v1/me/recovery/key', { currentPassword: OTHER_STRONG_PASSWORD });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('invalid_current_password');

    const res = await admin.post('/api/v1/me/recovery/key', { currentPassword: STRONG_PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body.fileName).toBe(`vigil-recovery-key-${rec.serial}.txt`);
    const parsed = parseRecoveryKeyFile(res.body.content)!;
    expect(parsed).toMatchObject({ serial: rec.serial, username: 'admin' });
    expect(res.body.content).toContain('offline');

    const status = (await admin.get('/api/v1/me/recovery/key')).body;
    expect(status).toEqual({ active: true, createdAt: res.body.createdAt, usedAt: null });
    expect((await anon().get('/api/v1/device')).body.recoveryMethods.recoveryKey).toBe(true);
    expect(JSON.stringify(rec.running.ctx.recoveryKeys.get(1))).not.toContain(parsed.secret);
    expect(rec.logs.join('\n')).not.toContain(parsed.secret);
    expect(JSON.stringify(rec.running.ctx.audit.query({ limit: 50 }))).not.toContain(parsed.secret);
    const changed = rec.running.ctx.audit.query({ type: 'recovery.method_changed' });
    expect(JSON.parse(changed[0]!.details)).toEqual({ method: 'recoveryKey', change: 'set' });
  });

  it('recovers the account end to end, once: a replay is refused and the path needs a new file', async () => {
    const file = await exportKey();
    const granted = await importKey(file);
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ username: 'admin', method: 'recoveryKey', mayClearTwoFactor: true });

    const replay = await importKey(file);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('invalid_recovery_key');
    expect(JSON.parse(rec.running.ctx.audit.query({ type: 'recovery.evidence_failed' })[0]!.details)).toEqual({ method: 'recoveryKey', reason: 'already_used' });

    const reset = await anon().post('/api/v1/recovery/reset', { token: granted.body.token, newPassword: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    expect((await anon().login('admin', STRONG_PASSWORD)).status).toBe(401);
    const relogged = new ApiClient(rec.url);
    expect((await relogged.login('admin', NEW_PASSWORD)).status).toBe(201);

    expect((await anon().get('/api/v1/device')).body.recoveryMethods.recoveryKey).toBe(false);
    expect((await relogged.get('/api/v1/me/recovery/key')).body).toMatchObject({ active: false, usedAt: expect.any(String) });
    const fresh = await relogged.post('/api/v1/me/recovery/key', { currentPassword: NEW_PASSWORD });
    expect(fresh.status).toBe(201);
    expect((await importKey(fresh.body.content)).status).toBe(201);
  });

  it('a new file replaces the old one', async () => {
    const first = await exportKey();
    const second = await exportKey();
    expect((await importKey(first)).status).toBe(401);
    expect((await importKey(second)).status).toBe(201);
  });

  it('20 concurrent imports of one file give exactly one grant', async () => {
    const file = await exportKey();
    const answers = await Promise.all(Array.from({ length: 20 }, () => importKey(file)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    // The others are wrong from then on: 401 until the method (7) or the address (10) is blocked.
    expect(answers.filter((a) => a.status === 401 || a.status === 429)).toHaveLength(19);
    expect(rec.running.ctx.audit.query({ type: 'recovery.evidence_accepted' })).toHaveLength(1);
  });

  it('a file for another recorder or with a wrong key gets the one answer a used file gets', async () => {
    const file = await exportKey();
    const otherSerial = await importKey(file.replace(rec.serial, 'VGL-OTHER-0001'));
    const wrongKey = await importKey(tampered(file));
    const otherAccount = await importKey(file.replace('username: admin', 'username: nobody'));
    const junk = await importKey('hello');
    for (const answer of [otherSerial, wrongKey, otherAccount, junk]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual(wrongKey.body);
    }
    expect((await importKey(file)).status).toBe(201);
  });

  it('7 wrong imports block the path for 30 minutes, across a restart; then the right file works', async () => {
    const file = await exportKey();
    for (let i = 0; i < 7; i++) expect((await importKey(tampered(file))).status).toBe(401);
    const blocked = await importKey(file);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('recovery_method_blocked');
    expect(Number(blocked.headers.get('retry-after'))).toBe(30 * 60);
    expect(rec.running.ctx.audit.query({ type: 'recovery.blocked' })).toHaveLength(1);

    await rec.restart();
    rec.clock.advance(30 * 60 - 1);
    expect((await importKey(file)).status).toBe(429);
    rec.clock.advance(1);
    expect((await importKey(file)).status).toBe(201);
    // The count started again: the block is gone, not merely paused.
    expect(rec.running.ctx.recovery.getMethodLock('recoveryKey', 'device')).toBeUndefined();
  });

  it('with 2FA on, exporting needs the second factor too; the file may then clear a lost 2FA', async () => {
    const { secret } = await enrolTotp(rec, admin);
    const missing = await admin.post('/api/v1/me/recovery/key', { currentPassword: STRONG_PASSWORD });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('second_factor_required');
    const wrong = await admin.post('/api/v1/me/recovery/key', { currentPassword: STRONG_PASSWORD, totp: '12345x' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_second_factor');
    expect((await admin.get('/api/v1/me/recovery/key')).body.active).toBe(false);

    rec.clock.advance(30);
    const file = await exportKey(admin, { totp: appCode(rec, secret) });
    const granted = await importKey(file);
    const reset = await anon().post('/api/v1/recovery/reset', { token: granted.body.token, newPassword: NEW_PASSWORD, clearTwoFactor: true });
    expect(reset.body.twoFactorCleared).toBe(true);
    expect((await anon().login('admin', NEW_PASSWORD)).status).toBe(201);
  });

  it('only an admin session may export a file', async () => {
    expect((await anon().post('/api/v1/me/recovery/key', { currentPassword: STRONG_PASSWORD })).status).toBe(401);
    const created = await admin.post('/api/v1/users', { username: 'viewer1', role: 'viewer' });
    const viewer = new ApiClient(rec.url);
    const login = await viewer.login('viewer1', created.body.oneTimePassword);
    expect(login.status).toBe(201);
    expect((await viewer.post('/api/v1/me/recovery/key', { currentPassword: created.body.oneTimePassword })).status).toBe(403);
  });
});
