import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { CloudClient, verifiedAccount } from '../helpers/cloud-client.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { STRONG_PASSWORD } from '../helpers/recorder.js';
import { startTestCloud, type TestCloud } from '../helpers/test-cloud.js';
import { until } from '../helpers/until.js';

// The account's own security events from the audit chain, over HTTP, on PostgreSQL, paged.
let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server?.stop());

let cloud: TestCloud;
const clock = new ManualClock(Date.UTC(2026, 11, 7, 12));
beforeEach(async () => {
  cloud = await startTestCloud({
    databaseUrl: await server.freshSchemaUrl(),
    clock,
  });
});
afterEach(() => cloud.close());

describe('GET /api/v1/account/audit', () => {
  it('shows my own security events, newest first (a stranger\'s wrong password on my account included), never another account\'s', async () => {
    const mine = await verifiedAccount(cloud, 'owner@example.com');
    await verifiedAccount(cloud, 'other@example.com');
    expect((await new CloudClient(cloud).logIn('owner@example.com', 'A stranger guesses 1')).status).toBe(401);
    const other = new CloudClient(cloud);
    await other.logIn('other@example.com');
    await other.post('/api/v1/logout');
    const me = new CloudClient(cloud);
    await me.logIn('owner@example.com');
    await me.post('/api/v1/account/password', { currentPassword: 'Not the password 9', newPassword: 'Whatever new 77 words' });

    // The core appends a refused change's entry without waiting for it: read until it is there.
    const res = await until(async () => {
      const page = await me.get('/api/v1/account/audit');
      return page.body.events.length === 3 && page;
    }, 'three events', 5000);
    expect(res.status).toBe(200);
    expect(res.body.events.map((e: { type: string; outcome: string }) => `${e.type} ${e.outcome}`)).toEqual([
      'password.changed failure',
      'auth.login success',
      'auth.login_failed failure',
    ]);
    expect(res.body.events[1]).toMatchObject({ at: '2026-12-07T12:00:00.000Z', sourceIp: '127.0.0.1', details: {} });
    expect(res.body.events[0].details).toEqual({ reason: 'invalid_current_password' });
    expect(res.body.next).toBeNull();
    // Nothing of the other account: its login and logout are its own.
    const { rows } = await cloud.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE actor_user_id <> $1", [mine]);
    expect(rows[0]!.n).toBe(2);
    expect(JSON.stringify(res.body)).not.toContain('other@example.com');
  });

  it('pages with before= and limit=: the pages do not overlap and together are the whole list', async () => {
    await verifiedAccount(cloud, 'owner@example.com');
    const me = new CloudClient(cloud);
    for (let i = 0; i < 4; i++) {
      await me.logIn('owner@example.com');
      clock.advance(1);
    }
    const all = (await me.get('/api/v1/account/audit')).body.events.map((e: { seq: number }) => e.seq) as number[];
    expect(all).toHaveLength(4);
    const first = await me.get('/api/v1/account/audit?limit=3');
    expect(first.body.events.map((e: { seq: number }) => e.seq)).toEqual(all.slice(0, 3));
    expect(first.body.next).toBe(all[2]);
    const second = await me.get(`/api/v1/account/audit?limit=3&before=${first.body.next}`);
    expect(second.body.events.map((e: { seq: number }) => e.seq)).toEqual(all.slice(3));
    expect(second.body.next).toBeNull();
  });

  it('refuses a malformed page and answers nobody without a session', async () => {
    await verifiedAccount(cloud, 'owner@example.com');
    const me = new CloudClient(cloud);
    await me.logIn('owner@example.com', STRONG_PASSWORD);
    for (const query of ['limit=0', 'limit=101', 'before=-1', 'before=abc', 'other=1']) {
      expect((await me.get(`/api/v1/account/audit?${query}`)).status, query).toBe(400);
    }
    expect((await new CloudClient(cloud).get('/api/v1/account/audit')).body.error.code).toBe('not_logged_in');
  });
});
