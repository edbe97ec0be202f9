import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { appCodeAt, CloudClient, verifiedAccount } from '../helpers/cloud-client.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { SoftwareAuthenticator } from '../helpers/software-authenticator.js';
import { startTestCloud, type TestCloud, cloudMailVia } from '../helpers/test-cloud.js';
import { base32Decode } from '../helpers/two-factor.js';
import { until } from '../helpers/until.js';

// Two-step login set up by the owner over HTTP, on PostgreSQL: an authenticator app (codes by
// otplib at the injected clock's time), recovery codes, passkeys (a software authenticator checked
// by @simplewebauthn/server as a browser's would be), and turning it off; each change needs the
// password and is mailed to the owner (a real SMTP server).
const EXTERNAL_URL = 'https://cloud.example.test';
let server: TestPostgres;
let smtp: TestSmtpServer;
beforeAll(async () => {
  [server, smtp] = await Promise.all([startPostgres(), startTestSmtpServer()]);
});
afterAll(async () => {
  await smtp?.close();
  await server?.stop();
});

let cloud: TestCloud;
let clock: ManualClock;
beforeEach(async () => {
  smtp.mails.length = 0;
  clock = new ManualClock(Date.UTC(2026, 11, 7, 12, 0, 10));
  cloud = await startTestCloud({
    databaseUrl: await server.freshSchemaUrl(),
    mail: cloudMailVia(smtp),
    externalUrl: EXTERNAL_URL,
    clock,
  });
});
afterEach(() => cloud.close());

const EMAIL = 'owner@example.com';
const withPassword = { currentPassword: STRONG_PASSWORD };

async function owner(): Promise<CloudClient> {
  await verifiedAccount(cloud, EMAIL);
  const client = new CloudClient(cloud);
  expect((await client.logIn(EMAIL)).status).toBe(200);
  return client;
}

async function enrolTotp(client: CloudClient): Promise<{ secret: Buffer; recoveryCodes: string[] }> {
  const start = await client.post('/api/v1/account/2fa/totp', withPassword);
  expect(start.status).toBe(200);
  const secret = base32Decode(start.body.secret);
  const confirm = await client.post('/api/v1/account/2fa/totp/confirm', { ...withPassword, code: appCodeAt(secret, clock.now()) });
  expect(confirm.status).toBe(200);
  return { secret, recoveryCodes: confirm.body.recoveryCodes };
}

/** A new login up to its second step; answers the challenge. */
async function passwordStep(client: CloudClient) {
  const res = await client.logIn(EMAIL);
  expect(res.status).toBe(200);
  return res.body as { secondFactorRequired?: true; challenge: string; methods: string[]; webauthn?: { challenge: string; rpId: string } };
}

const mailsTo = (address: string) => smtp.mails.filter((m) => m.rcptTo.includes(address));

describe('two-step login enrolment', () => {
  it('an authenticator app: a secret as text, URI and QR code; confirmed by its first code, which brings 10 recovery codes and a mail', async () => {
    const client = await owner();
    expect((await client.post('/api/v1/account/2fa/totp', { currentPassword: 'Not my password 12' })).body.error.code).toBe('invalid_current_password');
    const start = await client.post('/api/v1/account/2fa/totp', withPassword);
    expect(start.status).toBe(200);
    expect(start.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Vigil:owner%40example\.com\?secret=[A-Z2-7]+&issuer=Vigil/);
    expect(start.body.qrCode).toMatch(/^data:image\/png;base64,/);
    const secret = base32Decode(start.body.secret);
    const wrong = appCodeAt(secret, clock.now(), 5);
    expect((await client.post('/api/v1/account/2fa/totp/confirm', { ...withPassword, code: wrong })).body.error.code).toBe('invalid_code');
    const code = appCodeAt(secret, clock.now());
    const confirm = await client.post('/api/v1/account/2fa/totp/confirm', { ...withPassword, code });
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expect((await client.get('/api/v1/account')).body.twoFactor).toEqual({ methods: ['totp', 'recovery_code'], totp: 'on', passkeys: 0, recoveryCodesRemaining: 10 });

    const mail = await until(() => mailsTo(EMAIL)[0], 'the security mail');
    expect(mail.headers.subject).toBe('Your Vigil cloud two-step login changed');
    expect(mail.text).toContain('an authenticator app was turned on');
    for (const secretText of [start.body.secret, code, ...confirm.body.recoveryCodes]) expect(mail.raw).not.toContain(secretText);

    // The confirming code counts as used: it cannot log anyone in afterwards.
    const next = new CloudClient(cloud);
    const replay = await next.post('/api/v1/login/second-factor', { challenge: (await passwordStep(next)).challenge, totp: code });
    expect(replay.body.error.code).toBe('invalid_second_factor');
    clock.advance(30);
    const later = await next.post('/api/v1/login/second-factor', { challenge: (await passwordStep(next)).challenge, totp: appCodeAt(secret, clock.now()) });
    expect(later.status).toBe(200);
  });

  it('recovery codes made again: the old ones stop working, the new ones work; it needs the password', async () => {
    const client = await owner();
    const { recoveryCodes: old } = await enrolTotp(client);
    expect((await client.post('/api/v1/account/2fa/recovery-codes', { currentPassword: 'Not my password 12' })).status).toBe(403);
    const again = await client.post('/api/v1/account/2fa/recovery-codes', withPassword);
    expect(again.status).toBe(200);
    expect(again.body.recoveryCodes).toHaveLength(10);
    const next = new CloudClient(cloud);
    expect((await next.post('/api/v1/login/second-factor', { challenge: (await passwordStep(next)).challenge, recoveryCode: old[0] })).status).toBe(401);
    expect((await next.post('/api/v1/login/second-factor', { challenge: (await passwordStep(next)).challenge, recoveryCode: again.body.recoveryCodes[0] })).status).toBe(200);
  });

  it('turning two-step login off needs the password; then a password logs in alone', async () => {
    const client = await owner();
    await enrolTotp(client);
    expect((await client.send('DELETE', '/api/v1/account/2fa', { currentPassword: 'Not my password 12' })).status).toBe(403);
    expect((await client.get('/api/v1/account')).body.twoFactor.totp).toBe('on');
    expect((await client.send('DELETE', '/api/v1/account/2fa', withPassword)).status).toBe(204);
    expect((await client.get('/api/v1/account')).body.twoFactor).toEqual({ methods: [], totp: 'off', passkeys: 0, recoveryCodesRemaining: 0 });
    const next = new CloudClient(cloud);
    expect((await next.logIn(EMAIL)).body).toEqual({ accountId: expect.any(Number) });
    await until(() => mailsTo(EMAIL).some((m) => m.text.includes('it was turned off')), 'the mail saying 2FA is off');
  });

  it('a passkey: registered after the password, listed, used as the second step; a phishing origin\'s assertion is refused; removed with the password', async () => {
    const client = await owner();
    const key = new SoftwareAuthenticator(EXTERNAL_URL);
    expect((await client.post('/api/v1/account/2fa/passkeys/registration', { currentPassword: 'Not my password 12' })).status).toBe(403);
    const options = await client.post('/api/v1/account/2fa/passkeys/registration', withPassword);
    expect(options.status).toBe(200);
    expect(options.body.rp).toEqual({ id: 'cloud.example.test', name: 'Vigil' });
    const added = await client.post('/api/v1/account/2fa/passkeys', { name: 'My key', response: key.register(options.body) });
    expect(added.status).toBe(200);
    expect(added.body.recoveryCodes).toHaveLength(10); // the first factor brings them
    const list = await client.get('/api/v1/account/2fa/passkeys');
    expect(list.body.passkeys).toEqual([{ id: expect.any(Number), name: 'My key', createdAt: '2026-12-07T12:00:10.000Z', lastUsedAt: null }]);

    // A lookalike site relays a real login's challenge to the owner: the browser reports its origin.
    const phisher = new CloudClient(cloud);
    const relayed = await passwordStep(phisher);
    const refused = await phisher.post('/api/v1/login/second-factor', { challenge: relayed.challenge, webauthn: key.assert(relayed.webauthn!, 'https://cloud-example-test.evil.example') });
    expect(refused.body.error.code).toBe('invalid_second_factor');
    expect(phisher.token).toBeUndefined();

    const next = new CloudClient(cloud);
    const step = await passwordStep(next);
    expect(step.methods).toEqual(['webauthn', 'recovery_code']);
    expect(step.webauthn!.rpId).toBe('cloud.example.test');
    const assertion = key.assert(step.webauthn!);
    const done = await next.post('/api/v1/login/second-factor', { challenge: step.challenge, webauthn: assertion });
    expect(done.status).toBe(200);
    // The same assertion in another login: it signed another challenge, and its counter did not move.
    const again = new CloudClient(cloud);
    expect((await again.post('/api/v1/login/second-factor', { challenge: (await passwordStep(again)).challenge, webauthn: assertion })).status).toBe(401);

    const id = list.body.passkeys[0].id as number;
    expect((await next.send('DELETE', `/api/v1/account/2fa/passkeys/${id}`, { currentPassword: 'Not my password 12' })).status).toBe(403);
    expect((await next.send('DELETE', `/api/v1/account/2fa/passkeys/${id}`, withPassword)).status).toBe(204);
    // The last factor gone, two-step login is off altogether.
    expect((await next.get('/api/v1/account')).body.twoFactor).toEqual({ methods: [], totp: 'off', passkeys: 0, recoveryCodesRemaining: 0 });
    await until(() => mailsTo(EMAIL).some((m) => m.text.includes('a passkey was removed')), 'the mail about the removed passkey');
  });

  it('every enrolment route needs a session', async () => {
    const anonymous = new CloudClient(cloud);
    for (const [method, path, body] of [
      ['POST', '/api/v1/account/2fa/totp', withPassword],
      ['POST', '/api/v1/account/2fa/totp/confirm', { ...withPassword, code: '123456' }],
      ['POST', '/api/v1/account/2fa/recovery-codes', withPassword],
      ['DELETE', '/api/v1/account/2fa', withPassword],
      ['GET', '/api/v1/account/2fa/passkeys', undefined],
      ['POST', '/api/v1/account/2fa/passkeys/registration', withPassword],
      ['DELETE', '/api/v1/account/2fa/passkeys/1', withPassword],
    ] as const) {
      expect((await anonymous.send(method, path, body)).body.error.code, `${method} ${path}`).toBe('not_logged_in');
    }
  });
});
