import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCloud, type RunningCloud } from '../../src/cloud/daemon.js';
import { TEST_ARGON2 } from '../../src/identity/passwords/hash.js';
import { PasswordJudge } from '../../src/identity/passwords/judge.js';
import { createLogger } from '../../src/shared/logger.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { until } from '../helpers/until.js';

// Sign-up with an email address, against real peers: the cloud over HTTP, PostgreSQL, and an SMTP
// server (the smtp-server package) that receives the codes.
// One password judge for the file: its thread loads the dictionaries once, not for every cloud.
let server: TestPostgres;
let smtp: TestSmtpServer;
const judge = new PasswordJudge();
beforeAll(async () => {
  [server, smtp] = await Promise.all([startPostgres(), startTestSmtpServer()]);
});
afterAll(async () => {
  await judge.close();
  await smtp?.close();
  await server?.stop();
});

let root: string;
let cloud: RunningCloud;
beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'vigil-cloud-signup-'));
  smtp.mails.length = 0;
  cloud = await startCloud({
    dataDir: root,
    listen: { host: '127.0.0.1', port: 0 },
    databaseUrl: await server.freshSchemaUrl(),
    mail: { server: { host: '127.0.0.1', port: smtp.port, security: 'none', username: smtp.username, password: smtp.password }, from: 'cloud@example.net' },
    argon2: TEST_ARGON2,
    judgePassword: judge.judge,
    logger: createLogger({ level: 'silent' }),
  });
});
afterEach(async () => {
  await cloud.close();
  rmSync(root, { recursive: true, force: true });
});

async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${cloud.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

const signUp = (email: string, password = STRONG_PASSWORD) => post('/api/v1/signup', { email, password });
const verify = (requestId: string, code: string) => post('/api/v1/signup/verify', { requestId, code });

/** The 8-digit code in the latest mail to `to`. */
async function mailedCode(to: string): Promise<string> {
  const mail = await until(() => smtp.mails.findLast((m) => m.rcptTo.includes(to)), `a mail to ${to}`);
  return /\b(\d{8})\b/.exec(mail.text)![1]!;
}

const verifiedAt = async (email: string) =>
  (await cloud.db.query<{ verified_at: number | null }>('SELECT verified_at FROM accounts WHERE email = $1', [email])).rows[0]?.verified_at;

describe('sign-up with an email address', () => {
  it('mails an 8-digit code; the account is unusable until the right code comes back, once', async () => {
    const started = await signUp('Owner@Example.com');
    expect(started).toEqual({ status: 202, body: { requestId: expect.any(String), message: 'If this address can be used, a code was mailed to it.' } });
    const code = await mailedCode('owner@example.com');
    expect(smtp.mails[0]).toMatchObject({ mailFrom: 'cloud@example.net', headers: { subject: 'Your Vigil cloud code' } });
    expect(await verifiedAt('owner@example.com')).toBeNull();

    const wrong = code === '00000000' ? '00000001' : '00000000';
    expect(await verify(started.body.requestId, wrong)).toMatchObject({ status: 400, body: { error: { code: 'invalid_code' } } });
    expect(await verifiedAt('owner@example.com')).toBeNull();
    expect(await verify(started.body.requestId, code)).toEqual({ status: 200, body: { verified: true } });
    expect(await verifiedAt('owner@example.com')).toEqual(expect.any(Number));
    expect(await verify(started.body.requestId, code)).toMatchObject({ status: 400, body: { error: { code: 'invalid_code' } } });
    // The password is kept as an Argon2id hash, never as typed.
    const { rows } = await cloud.db.query<{ password_hash: string }>('SELECT password_hash FROM accounts');
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(smtp.mails)).not.toContain(STRONG_PASSWORD);
  });

  it('answers a taken address exactly as a free one; its owner gets a notice without a code, and nothing changes', async () => {
    const first = await signUp('taken@example.com');
    await verify(first.body.requestId, await mailedCode('taken@example.com'));
    const { rows: before } = await cloud.db.query('SELECT * FROM accounts');
    smtp.mails.length = 0;

    const again = await signUp('taken@example.com', 'Another sturdy phrase 4417');
    const fresh = await signUp('free@example.com');
    expect(again.status).toBe(fresh.status);
    expect(Object.keys(again.body)).toEqual(Object.keys(fresh.body));
    expect(again.body.message).toBe(fresh.body.message);

    const notice = await until(() => smtp.mails.find((m) => m.rcptTo.includes('taken@example.com')), 'the notice');
    expect(notice.headers.subject).toBe('Someone tried to sign up with your address');
    expect(notice.text).not.toMatch(/\d{8}/);
    expect((await cloud.db.query('SELECT * FROM accounts WHERE email = $1', ['taken@example.com'])).rows).toEqual(before);
    // Its request has no code: every code is wrong for it, as for an unknown request.
    expect(await verify(again.body.requestId, '12345678')).toEqual(await verify('no-such-request', '12345678'));
  });

  it('blocks the account\'s codes after 5 wrong ones, the right one included, across requests', async () => {
    const first = await signUp('target@example.com');
    const second = await signUp('target@example.com');
    const code = await until(async () => smtp.mails.length === 2 && mailedCode('target@example.com'), 'two codes');
    for (let i = 0; i < 5; i++) {
      const guess = String(i).padStart(8, '0') === code ? '99999999' : String(i).padStart(8, '0');
      expect((await verify(i % 2 ? first.body.requestId : second.body.requestId, guess)).status).toBe(400);
    }
    const blocked = await verify(second.body.requestId, code);
    expect(blocked).toMatchObject({ status: 429, body: { error: { code: 'throttled' } } });
    expect(await verifiedAt('target@example.com')).toBeNull();
  });

  it('answers a malformed request in the API\'s error format', async () => {
    expect(await post('/api/v1/signup', { email: 'not an address', password: STRONG_PASSWORD })).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(await post('/api/v1/signup', { email: 'owner\u0000@example.com', password: STRONG_PASSWORD })).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(await post('/api/v1/signup/verify', { requestId: 'x\u0000', code: '12345678' })).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(await post('/api/v1/signup/verify', { requestId: 'x', code: '1234' })).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });

  it('sends at most 3 mails an hour to an account (its atomic count: test/cloud/db/send-budget.test.ts)', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => signUp('busy@example.com')));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
    const { rows } = await cloud.db.query<{ n: number }>('SELECT count(*) AS n FROM sent_codes WHERE account_id IS NOT NULL');
    expect(rows).toEqual([{ n: 3 }]);
    await until(() => smtp.mails.length === 3, 'three mails');
    await new Promise((resolve) => setTimeout(resolve, 200)); // and no fourth straggling in
    expect(smtp.mails).toHaveLength(3);
  });

  it('refuses a weak password before anything is stored or sent', async () => {
    const weak = await signUp('weak@example.com', 'password1');
    expect(weak).toMatchObject({ status: 422, body: { error: { code: 'weak_password' } } });
    expect((await cloud.db.query('SELECT count(*) AS n FROM accounts')).rows).toEqual([{ n: 0 }]);
    expect(smtp.mails).toEqual([]);
  });

  it('records each step in the audit chain, without the code or the password', async () => {
    const started = await signUp('audited@example.com');
    await verify(started.body.requestId, await mailedCode('audited@example.com'));
    const { rows } = await cloud.db.query<{ type: string; outcome: string; details: string }>('SELECT type, outcome, details FROM audit_log ORDER BY seq');
    expect(rows.map((r) => [r.type, r.outcome])).toEqual([
      ['account.signup_requested', 'info'],
      ['account.verified', 'success'],
    ]);
    const code = await mailedCode('audited@example.com');
    expect(JSON.stringify(rows)).not.toContain(code);
    expect(JSON.stringify(rows)).not.toContain(STRONG_PASSWORD);
  });
});
