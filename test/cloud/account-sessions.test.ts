import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { CloudClient, FIREFOX_ON_LINUX, SAFARI_ON_IPHONE, verifiedAccount } from '../helpers/cloud-client.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startTestCloud, type TestCloud } from '../helpers/test-cloud.js';

// Requests authenticated by the session cookie, over HTTP, on PostgreSQL: logout, the account, its
// sessions, ending one or all others, and the session policy's idle and absolute limits (moved by
// an injected clock).
let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server?.stop());

let cloud: TestCloud;
let clock: ManualClock;
beforeEach(async () => {
  clock = new ManualClock(Date.UTC(2026, 11, 7, 12));
  cloud = await startTestCloud({
    databaseUrl: await server.freshSchemaUrl(),
    clock,
  });
});
afterEach(() => cloud.close());

const AUTHENTICATED: [string, string][] = [
  ['POST', '/api/v1/logout'],
  ['GET', '/api/v1/account'],
  ['GET', '/api/v1/account/sessions'],
  ['DELETE', '/api/v1/account/sessions/0123abcd'],
  ['POST', '/api/v1/account/sessions/revoke-others'],
];

async function loggedIn(email: string, userAgent = FIREFOX_ON_LINUX): Promise<CloudClient> {
  const client = new CloudClient(cloud, userAgent);
  expect((await client.logIn(email)).status).toBe(200);
  return client;
}

const auditTypes = async () => (await cloud.db.query<{ type: string }>('SELECT type FROM audit_log ORDER BY seq')).rows.map((r) => r.type);

describe('requests authenticated by the session cookie', () => {
  it('answers 401 not_logged_in without a cookie, with a made-up one, and with an empty one', async () => {
    const anonymous = new CloudClient(cloud);
    for (const token of [undefined, 'made-up-token', '']) {
      anonymous.token = token;
      for (const [method, path] of AUTHENTICATED) {
        const res = await anonymous.send(method, path);
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.body.error.code).toBe('not_logged_in');
      }
    }
  });

  it('GET /account: the owner\'s addresses, verified, and no second factor yet', async () => {
    const id = await verifiedAccount(cloud, 'owner@example.com');
    const owner = await loggedIn('owner@example.com');
    const me = await owner.get('/api/v1/account');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id,
      email: 'owner@example.com',
      phone: null,
      verified: true,
      twoFactor: { methods: [], totp: 'off', passkeys: 0, recoveryCodesRemaining: 0 },
    });
  });

  it('lists my live sessions, the current one marked, each with a readable client; never another account\'s', async () => {
    await verifiedAccount(cloud, 'owner@example.com');
    await verifiedAccount(cloud, 'other@example.com');
    const laptop = await loggedIn('owner@example.com');
    clock.advance(60);
    const phone = await loggedIn('owner@example.com', SAFARI_ON_IPHONE);
    await loggedIn('other@example.com');
    const list = await phone.get('/api/v1/account/sessions');
    expect(list.status).toBe(200);
    expect(list.body.sessions).toEqual([
      expect.objectContaining({ current: true, client: 'Safari on iPhone', lastSeenIp: '127.0.0.1', createdAt: '2026-12-07T12:01:00.000Z' }),
      expect.objectContaining({ current: false, client: 'Firefox on Linux', createdAt: '2026-12-07T12:00:00.000Z' }),
    ]);
    expect((await laptop.get('/api/v1/account/sessions')).body.sessions.map((s: { current: boolean }) => s.current)).toEqual([false, true]);
  });

  it('logout ends the session: the cookie is cleared, and the same token (stolen before) is refused afterwards', async () => {
    await verifiedAccount(cloud, 'owner@example.com');
    const owner = await loggedIn('owner@example.com');
    const stolen = owner.token!;
    const out = await owner.post('/api/v1/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^__Host-vigil_cloud_session=; Path=\/; Secure; HttpOnly; SameSite=Strict; Max-Age=0$/);
    const thief = new CloudClient(cloud);
    thief.token = stolen;
    expect((await thief.get('/api/v1/account')).body.error.code).toBe('not_logged_in');
    expect(await auditTypes()).toEqual(['auth.login', 'auth.logout']);
  });

  it('ends another of my sessions by id; another account\'s session id is not mine to end', async () => {
    await verifiedAccount(cloud, 'owner@example.com');
    await verifiedAccount(cloud, 'other@example.com');
    const laptop = await loggedIn('owner@example.com');
    const phone = await loggedIn('owner@example.com', SAFARI_ON_IPHONE);
    const stranger = await loggedIn('other@example.com');
    const strangersId = (await stranger.get('/api/v1/account/sessions')).body.sessions[0].id as string;
    const phoneId = (await phone.get('/api/v1/account/sessions')).body.sessions.find((s: { current: boolean }) => s.current).id as string;

    const refused = await laptop.delete(`/api/v1/account/sessions/${strangersId}`);
    expect(refused).toMatchObject({ status: 404, body: { error: { code: 'session_not_found' } } });
    expect((await stranger.get('/api/v1/account')).status).toBe(200);

    expect((await laptop.delete(`/api/v1/account/sessions/${phoneId}`)).status).toBe(204);
    expect((await phone.get('/api/v1/account')).status).toBe(401);
    expect((await laptop.get('/api/v1/account')).status).toBe(200);
    expect((await laptop.delete(`/api/v1/account/sessions/${phoneId}`)).status).toBe(404);
    expect(await auditTypes()).toContain('session.revoked');
  });

  it('"log out everywhere else" ends every other session of mine and keeps this one', async () => {
    await verifiedAccount(cloud, 'owner@example.com');
    await verifiedAccount(cloud, 'other@example.com');
    const here = await loggedIn('owner@example.com');
    const elsewhere = [await loggedIn('owner@example.com', SAFARI_ON_IPHONE), await loggedIn('owner@example.com')];
    const stranger = await loggedIn('other@example.com');
    expect(await here.post('/api/v1/account/sessions/revoke-others')).toMatchObject({ status: 200, body: { ended: 2 } });
    for (const client of elsewhere) expect((await client.get('/api/v1/account')).status).toBe(401);
    expect((await here.get('/api/v1/account')).status).toBe(200);
    expect((await stranger.get('/api/v1/account')).status).toBe(200);
    expect((await here.get('/api/v1/account/sessions')).body.sessions).toHaveLength(1);
  });

  it('a session ends after 30 idle minutes, and after 12 hours however busy it is', async () => {
    await verifiedAccount(cloud, 'owner@example.com');
    const idle = await loggedIn('owner@example.com');
    const busy = await loggedIn('owner@example.com');
    clock.advance(29 * 60);
    expect((await busy.get('/api/v1/account')).status).toBe(200);
    clock.advance(60);
    expect((await idle.get('/api/v1/account')).status).toBe(401);
    // Busy: a request every 20 minutes keeps it alive up to the absolute limit.
    for (let elapsed = 30 * 60; elapsed < 12 * 3600 - 20 * 60; elapsed += 20 * 60) {
      clock.advance(20 * 60);
      expect((await busy.get('/api/v1/account')).status).toBe(200);
    }
    clock.advance(20 * 60);
    expect((await busy.get('/api/v1/account')).status).toBe(401);
    expect((await busy.get('/api/v1/account/sessions')).status).toBe(401);
  });
});
