import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PasswordJudge } from '../../src/identity/passwords/judge.js';
import { CloudClient } from '../helpers/cloud-client.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { OTHER_STRONG_PASSWORD, STRONG_PASSWORD } from '../helpers/recorder.js';
import { startTestSmsGateway, type TestSmsGateway } from '../helpers/sms-gateway.js';
import { startTestCloud, type TestCloud } from '../helpers/test-cloud.js';
import { until } from '../helpers/until.js';

// Sign-up and login with a phone number, against real peers: the cloud over HTTP, PostgreSQL, and
// an HTTP SMS gateway that receives the texts (the recorder's adapter, given by --sms-gateway). This
// cloud has no mail server, so a sign-up by email cannot be served.
const GATEWAY_AUTH = 'Bearer sms-SECRET-token-8812';
let server: TestPostgres;
let gateway: TestSmsGateway;
const judge = new PasswordJudge();
beforeAll(async () => {
  [server, gateway] = await Promise.all([startPostgres(), startTestSmsGateway()]);
});
afterAll(async () => {
  await judge.close();
  await gateway?.close();
  await server?.stop();
});

let cloud: TestCloud;
beforeEach(async () => {
  gateway.texts.length = 0;
  gateway.status = 202;
  cloud = await startTestCloud({
    databaseUrl: await server.freshSchemaUrl(),
    sms: { url: gateway.url, authorization: GATEWAY_AUTH },
    judgePassword: judge.judge,
  });
});
afterEach(() => cloud.close());

const PHONE = '+4915112345678';
const anonymous = () => new CloudClient(cloud);
const signUp = (phone: string, password = STRONG_PASSWORD) => anonymous().post('/api/v1/signup', { phone, password });
const textsTo = (to: string) => gateway.texts.filter((t) => t.body.to === to);

async function textedCode(to: string, nth = 1): Promise<string> {
  const text = await until(() => textsTo(to)[nth - 1], `text ${nth} to ${to}`);
  return /\b(\d{8})\b/.exec(String(text.body.text))![1]!;
}

async function signedUp(phone: string): Promise<void> {
  const started = await signUp(phone);
  expect((await anonymous().post('/api/v1/signup/verify', { requestId: started.body.requestId, code: await textedCode(phone) })).status).toBe(200);
}

describe('sign-up and login with a phone number', () => {
  it('texts an 8-digit code through the gateway; the right code makes the account usable; it logs in by its number', async () => {
    const started = await signUp(PHONE);
    expect(started).toMatchObject({ status: 202, body: { requestId: expect.any(String), message: 'If this number can be used, a code was texted to it.' } });
    const code = await textedCode(PHONE);
    const text = textsTo(PHONE)[0]!;
    expect(text).toMatchObject({ method: 'POST', headers: { authorization: GATEWAY_AUTH, 'content-type': 'application/json' } });
    expect(String(text.body.text)).not.toContain(STRONG_PASSWORD);
    expect((await anonymous().post('/api/v1/login', { phone: PHONE, password: STRONG_PASSWORD })).status).toBe(401);
    expect(await anonymous().post('/api/v1/signup/verify', { requestId: started.body.requestId, code })).toMatchObject({ status: 200, body: { verified: true } });

    const owner = new CloudClient(cloud);
    expect((await owner.post('/api/v1/login', { phone: PHONE, password: STRONG_PASSWORD })).status).toBe(200);
    expect((await owner.get('/api/v1/account')).body).toMatchObject({ email: null, phone: PHONE, verified: true });
  });

  it('answers a taken number exactly as a free one; its owner gets a notice without a code', async () => {
    await signedUp(PHONE);
    const again = await signUp(PHONE, OTHER_STRONG_PASSWORD);
    const fresh = await signUp('+4915199999999');
    expect(again.status).toBe(fresh.status);
    expect(again.body.message).toBe(fresh.body.message);
    expect(Object.keys(again.body)).toEqual(Object.keys(fresh.body));
    const notice = await until(() => textsTo(PHONE)[1], 'the notice');
    expect(String(notice.body.text)).toContain('has one already');
    expect(String(notice.body.text)).not.toMatch(/\d{8}/);
    // Nothing changed: the old password still logs in.
    expect((await anonymous().post('/api/v1/login', { phone: PHONE, password: STRONG_PASSWORD })).status).toBe(200);
  });

  it('sends at most 3 texts an hour to an account, and answers the same while the gateway fails', async () => {
    gateway.status = 500;
    const answers = await Promise.all(Array.from({ length: 6 }, () => signUp(PHONE)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(202));
    expect(new Set(answers.map((a) => a.body.message)).size).toBe(1);
    await until(() => gateway.texts.length === 3, 'three texts');
    await new Promise((resolve) => setTimeout(resolve, 200)); // and no fourth straggling in
    expect(gateway.texts).toHaveLength(3);
  });

  it('an unknown number, an unverified one and a wrong password get one answer at login', async () => {
    await signedUp(PHONE);
    await signUp('+4915100000001');
    for (const [phone, password] of [['+4915100000000', STRONG_PASSWORD], ['+4915100000001', STRONG_PASSWORD], [PHONE, 'Not the password 123']]) {
      const res = await anonymous().post('/api/v1/login', { phone, password });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'invalid_credentials', message: 'The phone number or the password is wrong.' } });
    }
    expect((await anonymous().post('/api/v1/login', { phone: '0151 1234', password: STRONG_PASSWORD })).status).toBe(400);
  });

  it('texts the security notice of a password change to the account\'s number', async () => {
    await signedUp(PHONE);
    const owner = new CloudClient(cloud);
    await owner.post('/api/v1/login', { phone: PHONE, password: STRONG_PASSWORD });
    expect((await owner.post('/api/v1/account/password', { currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD })).status).toBe(200);
    const notice = await until(() => textsTo(PHONE).find((t) => String(t.body.text).includes('password was changed')), 'the texted notice');
    expect(String(notice.body.text)).not.toContain(OTHER_STRONG_PASSWORD);
  });

  it('without a mail server, a sign-up by email answers 503 and makes no account', async () => {
    const res = await anonymous().post('/api/v1/signup', { email: 'owner@example.com', password: STRONG_PASSWORD });
    expect(res).toMatchObject({ status: 503, body: { error: { code: 'signup_unavailable' } } });
    expect((await cloud.db.query('SELECT count(*) AS n FROM accounts')).rows).toEqual([{ n: 0 }]);
  });
});
