// The login allow-list and the password-age reminder. Every address here is loopback (all of
// 127.0.0.0/8 is, on this machine), so a login from outside a list cannot be made over HTTP in a
// test: the pure table below carries those cases, the API tests the rest.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkCredentials } from '../../src/recorder/accounts/login.js';
import { isAllowed, isListed, normaliseAddress, parseAllowListEntry } from '../../src/recorder/accounts/login-allow-list.js';
import { passwordAgeReminder } from '../../src/recorder/accounts/password-age.js';
import { ApiClient, activate, loggedInAdmin } from '../helpers/client.js';
import { OTHER_STRONG_PASSWORD, startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../helpers/recorder.js';

describe('isAllowed', () => {
  it.each([
    // [ip, list, allowed]
    ['192.168.1.20', [], false],
    ['192.168.1.20', ['192.168.1.0/24'], true],
    ['192.168.2.20', ['192.168.1.0/24'], false],
    ['192.168.1.20', ['192.168.1.20'], true],
    ['192.168.1.21', ['192.168.1.20'], false],
    ['192.168.1.20', ['192.168.1.20/32'], true],
    ['10.200.3.4', ['10.0.0.0/8'], true],
    ['11.0.0.1', ['10.0.0.0/8'], false],
    ['10.1.2.3', ['10.1.2.99/24'], true], // host bits in the entry are ignored
    ['203.0.113.9', ['0.0.0.0/0'], true],
    ['::ffff:192.168.1.20', ['192.168.1.0/24'], true], // IPv4 client of a dual-stack socket
    ['::ffff:192.168.2.20', ['192.168.1.0/24'], false],
    ['2001:db8::1', ['2001:db8::/32'], true],
    ['2001:db9::1', ['2001:db8::/32'], false],
    ['2001:DB8::1', ['2001:db8::/32'], true],
    ['fe80::1', ['2001:db8::/32', '10.0.0.0/8'], false],
    ['fe80::1', ['::/0'], true],
    ['192.168.1.20', ['2001:db8::/32'], false], // families never match across
    ['192.168.1.20', ['not an address', '192.168.1.0/24'], true], // a bad entry is skipped, not fatal
    // Loopback is the local console: always allowed, whatever the list.
    ['127.0.0.1', [], true],
    ['127.0.0.1', ['10.0.0.0/8'], true],
    ['127.8.9.10', ['10.0.0.0/8'], true],
    ['::1', ['10.0.0.0/8'], true],
    ['::ffff:127.0.0.1', ['10.0.0.0/8'], true],
    // Not addresses at all: never allowed.
    ['', ['0.0.0.0/0'], false],
    ['garbage', ['0.0.0.0/0'], false],
  ] as const)('%s with %j → %s', (ip, list, allowed) => {
    expect(isAllowed(ip, list)).toBe(allowed);
  });

  it('isListed ignores the loopback exemption (it decides whether saving needs a confirmation)', () => {
    expect(isListed('127.0.0.1', ['10.0.0.0/8'])).toBe(false);
    expect(isListed('127.0.0.1', ['127.0.0.0/8'])).toBe(true);
  });

  it.each([
    ['10.0.0.0/8', { address: '10.0.0.0', prefix: 8, family: 'ipv4' }],
    [' 192.168.1.5 ', { address: '192.168.1.5', prefix: 32, family: 'ipv4' }],
    ['2001:db8::/32', { address: '2001:db8::', prefix: 32, family: 'ipv6' }],
    ['::1', { address: '::1', prefix: 128, family: 'ipv6' }],
    ['10.0.0.0/33', null],
    ['2001:db8::/129', null],
    ['10.0.0.0/', null],
    ['10.0.0.0/8/8', null],
    ['10.0.0.0/-1', null],
    ['10.0.0/8', null],
    ['example.com', null],
    ['', null],
  ] as const)('parseAllowListEntry(%j)', (text, parsed) => {
    expect(parseAllowListEntry(text)).toEqual(parsed);
  });

  it('normalises IPv4-mapped addresses only', () => {
    expect(normaliseAddress('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(normaliseAddress('::ffff:a00:1')).toBe('::ffff:a00:1');
    expect(normaliseAddress('2001:db8::1')).toBe('2001:db8::1');
  });
});

describe('passwordAgeReminder', () => {
  const DAY = 24 * 3600 * 1000;
  it.each([
    [0, null, null],
    [400 * DAY, null, null], // off: never a reminder
    [90 * DAY, 90, null], // exactly at the limit: not yet
    [91 * DAY, 90, { ageDays: 91, maxDays: 90 }],
    [91 * DAY - 1, 90, null],
    [-5 * DAY, 1, null], // a clock set back never gives a negative age
  ])('age %i ms, max %s days → %j', (age, max, reminder) => {
    expect(passwordAgeReminder(0, age, max)).toEqual(reminder);
  });
});

describe('settings API', () => {
  let rec: TestRecorder;
  let admin: ApiClient;
  beforeEach(async () => {
    rec = await startTestRecorder();
    await activate(rec);
    admin = await loggedInAdmin(rec);
  });
  afterEach(() => rec.close());

  it('the allow-list is off and empty by default, and says which address the admin is at', async () => {
    expect((await admin.get('/api/v1/settings/login-allow-list')).body).toEqual({ enabled: false, entries: [], yourAddress: '127.0.0.1' });
  });

  it('a list without the admin\'s own address needs confirm: true; with it, it saves', async () => {
    const unconfirmed = await admin.put('/api/v1/settings/login-allow-list', { enabled: true, entries: ['10.0.0.0/8'] });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.error).toMatchObject({ code: 'confirm_required', details: { yourAddress: '127.0.0.1' } });
    expect((await admin.get('/api/v1/settings/login-allow-list')).body.enabled).toBe(false);

    const confirmed = await admin.put('/api/v1/settings/login-allow-list', { enabled: true, entries: ['10.0.0.0/8', '2001:db8::/32'], confirm: true });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ enabled: true, entries: ['10.0.0.0/8', '2001:db8::/32'], yourAddress: '127.0.0.1' });

    // Including the admin's address, or switching the list off, needs no confirmation.
    expect((await admin.put('/api/v1/settings/login-allow-list', { enabled: true, entries: ['127.0.0.0/8'] })).status).toBe(200);
    expect((await admin.put('/api/v1/settings/login-allow-list', { enabled: false, entries: ['10.0.0.0/8'] })).status).toBe(200);

    const audit = await admin.get('/api/v1/audit?type=settings.changed');
    // Newest first; the refused save is not there.
    expect(audit.body.entries.map((e: { target: string; details: unknown }) => [e.target, e.details])).toEqual([
      ['settings:login-allow-list', { changed: 'allowListEnabled,allowList' }],
      ['settings:login-allow-list', { changed: 'allowList' }],
      ['settings:login-allow-list', { changed: 'allowListEnabled,allowList' }],
    ]);
  });

  it('refuses entries that are not addresses or ranges, naming them', async () => {
    const res = await admin.put('/api/v1/settings/login-allow-list', { enabled: true, entries: ['10.0.0.0/8', 'office', '10.0.0.0/40'], confirm: true });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'invalid_allow_list', details: { invalid: ['office', '10.0.0.0/40'] } });
  });

  it('the local console can always log in, even with a list that names none of its addresses', async () => {
    await admin.put('/api/v1/settings/login-allow-list', { enabled: true, entries: ['192.0.2.0/24'], confirm: true });
    expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).status).toBe(201);
  });

  it('a login from outside the list is refused before any password hashing, and audited (the login step called directly, with an outside address)', async () => {
    await admin.put('/api/v1/settings/login-allow-list', { enabled: true, entries: ['192.0.2.0/24'], confirm: true });
    const ctx = rec.running.ctx;
    const verify = vi.spyOn(ctx.hasher, 'verify');
    const verifyDummy = vi.spyOn(ctx.hasher, 'verifyDummy');
    const outside = await checkCredentials(ctx, { username: 'admin', password: STRONG_PASSWORD, sourceIp: '198.51.100.7' });
    expect(outside).toEqual({ ok: false, reason: 'address_not_allowed' });
    expect(verify).not.toHaveBeenCalled();
    expect(verifyDummy).not.toHaveBeenCalled();
    const inside = await checkCredentials(ctx, { username: 'admin', password: STRONG_PASSWORD, sourceIp: '192.0.2.44' });
    expect(inside.ok).toBe(true);
    expect(verify).toHaveBeenCalledTimes(1);

    const audit = await admin.get('/api/v1/audit?type=auth.login_failed');
    expect(audit.body.entries).toEqual([
      expect.objectContaining({ sourceIp: '198.51.100.7', actor: { id: null, username: 'admin' }, details: { reason: 'address_not_allowed' } }),
    ]);
  });

  it('password age: off by default; when set, older passwords get a reminder in the login state, not a forced change', async () => {
    expect((await admin.get('/api/v1/settings/password-age')).body).toEqual({ maxPasswordAgeDays: null });
    expect((await admin.get('/api/v1/me')).body.passwordAgeReminder).toBeNull();

    expect((await admin.put('/api/v1/settings/password-age', { maxPasswordAgeDays: 90 })).body).toEqual({ maxPasswordAgeDays: 90 });
    rec.clock.advance(90 * 86400);
    expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).body.passwordAgeReminder).toBeNull();

    rec.clock.advance(86400);
    const client = new ApiClient(rec.url);
    const login = await client.login('admin', STRONG_PASSWORD);
    expect(login.status).toBe(201);
    expect(login.body.passwordAgeReminder).toEqual({ ageDays: 91, maxDays: 90 });
    expect((await client.get('/api/v1/me')).body.passwordAgeReminder).toEqual({ ageDays: 91, maxDays: 90 });
    // A reminder only: everything still works.
    expect((await client.get('/api/v1/sessions')).status).toBe(200);

    expect((await client.post('/api/v1/me/password', { currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD })).status).toBe(200);
    expect((await client.get('/api/v1/me')).body.passwordAgeReminder).toBeNull();

    expect((await client.put('/api/v1/settings/password-age', { maxPasswordAgeDays: null })).body).toEqual({ maxPasswordAgeDays: null });
    expect((await client.put('/api/v1/settings/password-age', { maxPasswordAgeDays: 0 })).status).toBe(400);
  });
});
