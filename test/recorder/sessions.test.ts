import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PasswordHasher, parsePhcParams, TEST_ARGON2 } from '../../src/identity/passwords/hash.js';
import { activate, ApiClient, loggedInAdmin } from '../helpers/client.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../helpers/recorder.js';

describe('sessions', () => {
  let rec: TestRecorder;
  beforeEach(async () => {
    rec = await startTestRecorder({ sessionLifetime: { idleSeconds: 1800, absoluteSeconds: 12 * 3600 } });
    await activate(rec);
  });
  afterEach(() => rec.close());

  it('logs in with a hardened cookie holding an opaque 256-bit token stored only hashed', async () => {
    const client = new ApiClient(rec.url);
    const res = await client.post('/api/v1/sessions', { username: 'admin', password: STRONG_PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body.user).toEqual({ id: 1, username: 'admin', role: 'admin' });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-vigil_session='))!;
    expect(cookie).toMatch(/^__Host-vigil_session=[A-Za-z0-9_-]{43};/);
    for (const attribute of ['Path=/', 'HttpOnly', 'Secure', 'SameSite=Strict']) expect(cookie).toContain(attribute);
    expect(cookie).not.toContain('Domain=');
    const token = cookie.split(';')[0]!.split('=')[1]!;
    expect(rec.running.ctx.store.findSessionByTokenHash(token)).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain(token);
  });

  it('is case-insensitive on the username and not on the password', async () => {
    expect((await new ApiClient(rec.url).login('ADMIN', STRONG_PASSWORD)).status).toBe(201);
    expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD.toUpperCase())).status).toBe(401);
  });

  it('answers /me and the session list, and logs out', async () => {
    const client = await loggedInAdmin(rec);
    const me = await client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('admin');
    expect(me.body.csrfToken).toBe(client.csrfToken);

    const other = await loggedInAdmin(rec);
    const list = await new ApiClient(rec.url, { 'user-agent': 'ignored' }).get('/api/v1/sessions');
    expect(list.status).toBe(401);
    const mine = await client.get('/api/v1/sessions');
    expect(mine.body.sessions).toHaveLength(2);
    expect(mine.body.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(mine.body.sessions[0]).toMatchObject({ ip: '127.0.0.1', userAgent: 'node' });

    const out = await client.delete('/api/v1/sessions/current');
    expect(out.status).toBe(204);
    expect((await client.get('/api/v1/me')).status).toBe(401);
    expect((await other.get('/api/v1/me')).status).toBe(200);
  });

  it('revokes one of my other sessions by id, and 404s an unknown id', async () => {
    const client = await loggedInAdmin(rec);
    const other = await loggedInAdmin(rec);
    const otherId = (await other.get('/api/v1/me')).body.session.id;
    expect((await client.delete(`/api/v1/sessions/${otherId}`)).status).toBe(204);
    const after = await other.get('/api/v1/me');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
    expect((await client.get('/api/v1/me')).status).toBe(200);
    const missing = await client.delete('/api/v1/sessions/0123456789abcdef01234567');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('ends a session after 30 idle minutes, counting from the last request', async () => {
    const client = await loggedInAdmin(rec);
    rec.clock.advance(29 * 60);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    rec.clock.advance(29 * 60);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    rec.clock.advance(30 * 60);
    const res = await client.get('/api/v1/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('ends a session 12 hours after login even when it is used all the time', async () => {
    const client = await loggedInAdmin(rec);
    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      rec.clock.advance(20 * 60);
      expect((await client.get('/api/v1/me')).status, `after ${minutes + 20} min`).toBe(200);
    }
    rec.clock.advance(20 * 60);
    expect((await client.get('/api/v1/me')).status).toBe(401);
  });

  it('honours configured lifetimes', async () => {
    const short = await startTestRecorder({ sessionLifetime: { idleSeconds: 60, absoluteSeconds: 300 } });
    try {
      await activate(short);
      const client = await loggedInAdmin(short);
      short.clock.advance(59);
      expect((await client.get('/api/v1/me')).status).toBe(200);
      short.clock.advance(60);
      expect((await client.get('/api/v1/me')).status).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('requires the CSRF token on cookie-authenticated writes and refuses other origins', async () => {
    const client = await loggedInAdmin(rec);
    const body = { currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD };
    const missing = await client.request('POST', '/api/v1/me/password', body, { 'x-csrf-token': '' });
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe('csrf_failed');
    const forged = await client.request('POST', '/api/v1/me/password', body, { 'x-csrf-token': 'a'.repeat(64) });
    expect(forged.body.error.code).toBe('csrf_failed');
    const crossSite = await client.request('DELETE', '/api/v1/sessions/current', undefined, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.error.code).toBe('cross_origin');
    // None of these did anything: the session and the password are unchanged.
    expect((await client.get('/api/v1/me')).status).toBe(200);
    expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).status).toBe(201);
    // A token of another session does not work either.
    const other = await loggedInAdmin(rec);
    const swapped = await client.request('DELETE', '/api/v1/sessions/current', undefined, { 'x-csrf-token': other.csrfToken! });
    expect(swapped.body.error.code).toBe('csrf_failed');
    const sameOrigin = await client.request('DELETE', '/api/v1/sessions/current', undefined, { origin: rec.url });
    expect(sameOrigin.status).toBe(204);
  });

  it('throttles repeated failed logins from one address across accounts, before hashing', async () => {
    const client = new ApiClient(rec.url);
    // One failure per name: no account's own lockout is reached, the address's throttle is.
    for (let i = 0; i < 10; i++) expect((await client.login(`user-${i}`, `wrong ${i}`)).status).toBe(401);
    const blocked = await client.login('admin', STRONG_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('too_many_attempts');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    rec.clock.advance(Number(blocked.headers.get('retry-after')));
    expect((await client.login('admin', STRONG_PASSWORD)).status).toBe(201);
  });
});

describe('password change', () => {
  let rec: TestRecorder;
  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
  });
  afterEach(() => rec.close());

  it('needs the current password, applies the policy, and revokes every other session', async () => {
    const me = await loggedInAdmin(rec);
    const laptop = await loggedInAdmin(rec);
    const phone = await loggedInAdmin(rec);

    const wrong = await me.post('/api/v1/me/password', { currentPassword: 'not it at all', newPassword: OTHER_STRONG_PASSWORD });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('invalid_current_password');

    const weak = await me.post('/api/v1/me/password', { currentPassword: STRONG_PASSWORD, newPassword: 'admin2024admin' });
    expect(weak.status).toBe(422);
    expect(weak.body.error.details.reasons.map((r: { code: string }) => r.code)).toContain('contains_username');
    expect((await laptop.get('/api/v1/me')).status).toBe(200); // nothing happened yet

    const ok = await me.post('/api/v1/me/password', { currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ revokedSessions: 2 });
    expect((await me.get('/api/v1/me')).status).toBe(200);
    expect((await laptop.get('/api/v1/me')).status).toBe(401);
    expect((await phone.get('/api/v1/me')).status).toBe(401);
    expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).status).toBe(401);
    expect((await new ApiClient(rec.url).login('admin', OTHER_STRONG_PASSWORD)).status).toBe(201);
  });
});

describe('password hash upgrades', () => {
  it('rehashes with the current parameters at login, and the password keeps working', async () => {
    const rec = await startTestRecorder();
    try {
      await activate(rec);
      const before = rec.running.ctx.store.findUserByUsername('admin')!.passwordHash;
      expect(parsePhcParams(before)).toMatchObject(TEST_ARGON2);

      const upgraded = { memoryCost: TEST_ARGON2.memoryCost * 2, timeCost: 2, parallelism: 1 };
      rec.running.ctx.hasher = new PasswordHasher(upgraded); // as after a restart with new settings
      expect((await new ApiClient(rec.url).login('admin', 'a wrong password here')).status).toBe(401);
      expect(rec.running.ctx.store.findUserByUsername('admin')!.passwordHash).toBe(before); // only on success

      expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).status).toBe(201);
      const after = rec.running.ctx.store.findUserByUsername('admin')!.passwordHash;
      expect(parsePhcParams(after)).toMatchObject({ algorithm: 'argon2id', ...upgraded });
      expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).status).toBe(201);
    } finally {
      await rec.close();
    }
  });
});
