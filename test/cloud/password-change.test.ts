import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PasswordJudge } from '../../src/identity/passwords/judge.js';
import { ManualClock } from '../../src/shared/clock.js';
import { CloudClient, SAFARI_ON_IPHONE, verifiedAccount } from '../helpers/cloud-client.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { OTHER_STRONG_PASSWORD, STRONG_PASSWORD } from '../helpers/recorder.js';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { startTestCloud, type TestCloud, cloudMailVia } from '../helpers/test-cloud.js';
import { until } from '../helpers/until.js';

// Password change over HTTP, on PostgreSQL, with the security mail received by a real SMTP server.
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

let cloud: TestCloud;
const clock = new ManualClock(Date.UTC(2026, 11, 7, 12));
beforeEach(async () => {
  smtp.mails.length = 0;
  cloud = await startTestCloud({
    databaseUrl: await server.freshSchemaUrl(),
    mail: cloudMailVia(smtp),
    externalUrl: 'https://cloud.example.net',
    judgePassword: judge.judge,
    clock,
  });
});
afterEach(() => cloud.close());

async function loggedIn(userAgent?: string): Promise<CloudClient> {
  const client = new CloudClient(cloud, userAgent);
  expect((await client.logIn('owner@example.com')).status).toBe(200);
  return client;
}

const auditRows = async () => (await cloud.db.query<{ type: string; outcome: string }>('SELECT type, outcome FROM audit_log ORDER BY seq')).rows;

describe('password change', () => {
  it('needs the current password, keeps this session, ends the others, and tells the owner by mail', async () => {
    await verifiedAccount(cloud, 'owner@example.com');
    const here = await loggedIn();
    const phone = await loggedIn(SAFARI_ON_IPHONE);
    const changed = await here.post('/api/v1/account/password', { currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD });
    expect(changed).toMatchObject({ status: 200, body: { changed: true, endedSessions: 1 } });
    expect((await here.get('/api/v1/account')).status).toBe(200);
    expect((await phone.get('/api/v1/account')).status).toBe(401);
    expect((await new CloudClient(cloud).logIn('owner@example.com', STRONG_PASSWORD)).status).toBe(401);
    expect((await new CloudClient(cloud).logIn('owner@example.com', OTHER_STRONG_PASSWORD)).status).toBe(200);

    const mail = await until(() => smtp.mails.find((m) => m.headers.subject === 'Your Vigil cloud password was changed'), 'the security mail');
    expect(mail.rcptTo).toEqual(['owner@example.com']);
    expect(mail.text).toContain('From the address: 127.0.0.1');
    expect(mail.text).toContain('log in at https://cloud.example.net');
    for (const secret of [STRONG_PASSWORD, OTHER_STRONG_PASSWORD, here.token!]) expect(mail.raw).not.toContain(secret);
    expect(await auditRows()).toContainEqual({ type: 'password.changed', outcome: 'success' });
    const { rows } = await cloud.db.query<{ revoked_reason: string | null }>('SELECT revoked_reason FROM sessions ORDER BY created_at, id');
    // This one, the phone's (ended), and the login with the new password.
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.revoked_reason).filter((r) => r !== null)).toEqual(['password_changed']);
  });

  it('a wrong current password changes nothing, is audited, and counts against the source: a stolen session is no password oracle', async () => {
    await verifiedAccount(cloud, 'owner@example.com');
    const thief = await loggedIn();
    const other = await loggedIn(SAFARI_ON_IPHONE);
    for (let i = 0; i < 10; i++) {
      const refused = await thief.post('/api/v1/account/password', { currentPassword: `Guess number ${i} here`, newPassword: OTHER_STRONG_PASSWORD });
      expect(refused).toMatchObject({ status: 403, body: { error: { code: 'invalid_current_password' } } });
    }
    const blocked = await thief.post('/api/v1/account/password', { currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await other.get('/api/v1/account')).status).toBe(200);
    expect(smtp.mails.filter((m) => m.headers.subject === 'Your Vigil cloud password was changed')).toHaveLength(0);
    await until(async () => (await auditRows()).filter((r) => r.type === 'password.changed' && r.outcome === 'failure').length === 10, 'the failures audited', 5000);
  });

  it('the password policy refuses a weak new password, and nothing changes', async () => {
    await verifiedAccount(cloud, 'owner@example.com');
    const here = await loggedIn();
    const weak = await here.post('/api/v1/account/password', { currentPassword: STRONG_PASSWORD, newPassword: 'password1' });
    expect(weak.status).toBe(422);
    expect(weak.body.error.code).toBe('weak_password');
    expect(weak.body.error.details.reasons.length).toBeGreaterThan(0);
    expect((await new CloudClient(cloud).logIn('owner@example.com', STRONG_PASSWORD)).status).toBe(200);
  });

  it('needs a session', async () => {
    const res = await new CloudClient(cloud).post('/api/v1/account/password', { currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD });
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'not_logged_in' } } });
  });
});
