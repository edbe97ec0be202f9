import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEVICE_COOKIE_MAX_AGE_SECONDS,
  decodeDeviceCookie,
  encodeDeviceCookie,
  knownDeviceOf,
} from '../../src/recorder/accounts/device-cookie.js';
import { activate, ApiClient, loggedInAdmin } from '../helpers/client.js';
import { startTestRecorder, type TestRecorder } from '../helpers/recorder.js';

const SECRET = randomBytes(32);
const TOKEN = { userId: 2, accountCreatedAt: 1_700_000_000_000, deviceId: 'a'.repeat(32), issuedAt: 1_800_000_000_000 };

describe('device cookie (pure)', () => {
  it('round-trips, and refuses a changed field, another key or an expired cookie', () => {
    const cookie = encodeDeviceCookie(SECRET, TOKEN);
    expect(decodeDeviceCookie(SECRET, cookie, TOKEN.issuedAt)).toEqual(TOKEN);
    expect(decodeDeviceCookie(SECRET, cookie.replace(/^2\./, '3.'), TOKEN.issuedAt)).toBeUndefined();
    expect(decodeDeviceCookie(SECRET, cookie.replace(`.${TOKEN.accountCreatedAt}.`, `.${TOKEN.accountCreatedAt + 1}.`), TOKEN.issuedAt)).toBeUndefined();
    expect(decodeDeviceCookie(randomBytes(32), cookie, TOKEN.issuedAt)).toBeUndefined();
    expect(decodeDeviceCookie(SECRET, cookie, TOKEN.issuedAt + DEVICE_COOKIE_MAX_AGE_SECONDS * 1000)).toBeUndefined();
  });

  it('belongs to one account: the same id with another creation time is another account', () => {
    expect(knownDeviceOf(TOKEN, { id: 2, createdAt: TOKEN.accountCreatedAt })).toBe(TOKEN.deviceId);
    expect(knownDeviceOf(TOKEN, { id: 2, createdAt: TOKEN.accountCreatedAt + 1000 })).toBeUndefined();
    expect(knownDeviceOf(TOKEN, { id: 3, createdAt: TOKEN.accountCreatedAt })).toBeUndefined();
    expect(knownDeviceOf(undefined, { id: 2, createdAt: TOKEN.accountCreatedAt })).toBeUndefined();
  });
});

describe('device cookie and reused user ids', () => {
  let rec: TestRecorder;
  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
  });
  afterEach(() => rec.close());

  it("a deleted user's browser is a stranger to the next account that gets the same id", async () => {
    const admin = await loggedInAdmin(rec);
    const bob = await admin.post('/api/v1/users', { username: 'bob', role: 'viewer' });
    const browser = new ApiClient(rec.url);
    expect((await browser.login('bob', bob.body.oneTimePassword)).status).toBe(201);
    expect(browser.deviceCookie).toBeDefined();

    expect((await admin.delete(`/api/v1/users/${bob.body.user.id}`)).status).toBe(204);
    rec.clock.advance(1);
    const carol = await admin.post('/api/v1/users', { username: 'carol', role: 'viewer' });
    // SQLite hands out the freed id again: the cookie's id alone would match the new account.
    expect(carol.body.user.id).toBe(bob.body.user.id);

    expect((await browser.login('carol', carol.body.oneTimePassword)).status).toBe(201);
    const login = rec.running.ctx.audit.query({ type: 'auth.login' }).find((e) => e.actorUsername === 'carol')!;
    expect(JSON.parse(login.details)).toMatchObject({ newDevice: true });
  });
});
