import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isNewClient } from '../../src/cloud/accounts/new-client.js';
import { CloudClient, FIREFOX_ON_LINUX, SAFARI_ON_IPHONE, verifiedAccount } from '../helpers/cloud-client.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { startTestCloud, type TestCloud, cloudMailVia } from '../helpers/test-cloud.js';
import { until } from '../helpers/until.js';

describe('which client is new (pure)', () => {
  it('a login is from a new client when earlier sessions exist and none had its User-Agent', () => {
    expect(isNewClient([], FIREFOX_ON_LINUX)).toBe(false);
    expect(isNewClient([FIREFOX_ON_LINUX], FIREFOX_ON_LINUX)).toBe(false);
    expect(isNewClient([FIREFOX_ON_LINUX], SAFARI_ON_IPHONE)).toBe(true);
  });
});

// Security mail over a real SMTP server: a login from a new client, on PostgreSQL.
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
beforeEach(async () => {
  smtp.mails.length = 0;
  cloud = await startTestCloud({
    databaseUrl: await server.freshSchemaUrl(),
    mail: cloudMailVia(smtp),
    externalUrl: 'https://cloud.example.net',
  });
});
afterEach(() => cloud.close());

/** A login sent with a Host header of the attacker's choosing (fetch cannot set Host). */
function loginWithHost(host: string, userAgent: string): Promise<number> {
  const body = JSON.stringify({ email: 'owner@example.com', password: STRONG_PASSWORD });
  const url = new URL(cloud.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: '/api/v1/login', method: 'POST', headers: { host, 'user-agent': userAgent, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the new-client security mail', () => {
  it('tells the owner of a login from a client the account has not used, once; not of the same browser again', async () => {
    await verifiedAccount(cloud, 'owner@example.com');
    expect((await new CloudClient(cloud, FIREFOX_ON_LINUX).logIn('owner@example.com')).status).toBe(200);
    expect((await new CloudClient(cloud, FIREFOX_ON_LINUX).logIn('owner@example.com')).status).toBe(200);
    const phone = new CloudClient(cloud, SAFARI_ON_IPHONE);
    expect((await phone.logIn('owner@example.com')).status).toBe(200);
    const mail = await until(() => smtp.mails.find((m) => m.headers.subject === 'New login to your Vigil cloud account'), 'the new-client mail');
    expect(mail.rcptTo).toEqual(['owner@example.com']);
    expect(mail.text).toContain('Safari on iPhone');
    expect(mail.text).toContain('From the address: 127.0.0.1');
    expect(mail.raw).not.toContain(phone.token!);
    expect(mail.raw).not.toContain(STRONG_PASSWORD);
    // Give any mail that should not be sent the time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.mails).toHaveLength(1);
  });

  it('attack: a poisoned Host header does not reach the mail; its link is the configured external URL', async () => {
    await verifiedAccount(cloud, 'owner@example.com');
    expect((await new CloudClient(cloud, FIREFOX_ON_LINUX).logIn('owner@example.com')).status).toBe(200);
    expect(await loginWithHost('evil.example', SAFARI_ON_IPHONE)).toBe(200);
    const mail = await until(() => smtp.mails[0], 'the new-client mail');
    expect(mail.text).toContain('log in at https://cloud.example.net');
    expect(mail.raw).not.toContain('evil.example');
  });
});
