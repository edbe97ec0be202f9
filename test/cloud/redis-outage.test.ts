import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBinding } from '../../src/cloud/db/devices.js';
import { CloudClient, verifiedAccount } from '../helpers/cloud-client.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { cloudMailVia, startTestCloud, type TestCloud } from '../helpers/test-cloud.js';
import { until } from '../helpers/until.js';

// A cloud started with --redis (embedded database) whose Redis stops while it runs, then comes back
// on the same port. Health names Redis; what needs Redis (the throttles of login and sign-up, the
// routing of device commands) answers 503 in the API's format, never a 500; once Redis is back the
// same requests succeed without a restart of the cloud.
let redis: TestRedis;
let smtp: TestSmtpServer;
let cloud: TestCloud;
const SERIAL = 'VGL260101OUTAGE01';

beforeAll(async () => {
  [redis, smtp] = await Promise.all([startRedis(), startTestSmtpServer()]);
  cloud = await startTestCloud({ redisUrl: redis.url, mail: cloudMailVia(smtp) });
  // Opening PGlite takes seconds, more on a busy machine.
}, 120_000);
afterAll(async () => {
  await cloud?.close();
  await Promise.all([redis?.stop(), smtp?.close()]);
});

const UNAVAILABLE = { error: { code: 'service_unavailable', message: expect.stringMatching(/try again/i) } };

describe('a cloud whose Redis stops', () => {
  it('answers 503 naming Redis in its health and in every request that needs it, and serves again once Redis is back', async () => {
    const accountId = await verifiedAccount(cloud, 'owner@example.com');
    // A recorder bound to the account that no instance holds: reaching it asks Redis who does.
    const bound = await insertBinding(cloud.db, { serial: SERIAL, publicKey: 'unused', model: 'NVR', ownerAccountId: accountId, boundAt: Date.now() }, randomBytes(32), randomBytes(32));
    expect(bound).toBe(true);
    const owner = new CloudClient(cloud);
    expect((await owner.logIn('owner@example.com')).status).toBe(200);
    const health = () => owner.get('/api/v1/health');
    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok', database: { engine: 'pglite' }, redis: { status: 'ok' } } });

    const port = Number(new URL(redis.url).port);
    await redis.stop();

    expect(await health()).toMatchObject({ status: 503, body: { error: { code: 'redis_unavailable', message: 'Redis does not answer.' } } });
    const needingRedis = {
      login: () => new CloudClient(cloud).logIn('owner@example.com'),
      wrongLogin: () => new CloudClient(cloud).logIn('owner@example.com', 'Wrong guess 123456'),
      signUp: () => new CloudClient(cloud).post('/api/v1/signup', { email: 'new@example.com', password: STRONG_PASSWORD }),
      devices: () => owner.get('/api/v1/devices'),
      reset: () => owner.post(`/api/v1/devices/${SERIAL}/reset`, { username: 'admin' }),
    };
    for (const [what, send] of Object.entries(needingRedis)) {
      const answer = await send();
      expect({ what, status: answer.status, body: answer.body }).toEqual({ what, status: 503, body: UNAVAILABLE });
    }
    // What needs only the database still works.
    expect((await owner.get('/api/v1/account')).status).toBe(200);

    redis = await startRedis(port);
    // The cloud reconnects by itself (its retries are at most half a second apart).
    await until(async () => (await health()).status === 200, 'the health to answer ok again');
    expect((await needingRedis.login()).status).toBe(200);
    expect((await needingRedis.devices()).body).toMatchObject({ devices: [{ serial: SERIAL, online: false }] });
    expect((await needingRedis.reset()).body).toMatchObject({ error: { code: 'device_offline' } });
  }, 60_000);
});
