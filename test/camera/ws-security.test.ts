import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_MS, NonceMemory, tokenTiming, type UsernameToken } from '../../src/camera/onvif/ws-security.js';
import { passwordDigest } from '../../src/media/onvif/username-token.js';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const token = (fields: Partial<UsernameToken>): UsernameToken => ({
  username: 'admin',
  password: 'x',
  passwordType: 'digest',
  nonce: 'bm9uY2U=',
  created: iso(NOW),
  ...fields,
});

describe('tokenTiming: a digest needs a fresh Created and a nonce', () => {
  it.each([
    ['now', token({}), { ok: true }],
    ['5 minutes ago, the limit', token({ created: iso(NOW - MAX_CLOCK_SKEW_MS) }), { ok: true }],
    ['5 minutes ahead, the limit', token({ created: iso(NOW + MAX_CLOCK_SKEW_MS) }), { ok: true }],
    ['5 minutes and 1 ms ago', token({ created: iso(NOW - MAX_CLOCK_SKEW_MS - 1) }), { ok: false, reason: 'stale' }],
    ['6 minutes ahead', token({ created: iso(NOW + 6 * 60_000) }), { ok: false, reason: 'stale' }],
    ['without Created', token({ created: undefined }), { ok: false, reason: 'missing_created' }],
    ['with an empty Created', token({ created: '' }), { ok: false, reason: 'missing_created' }],
    ['with a Created that is no time', token({ created: 'yesterday' }), { ok: false, reason: 'missing_created' }],
    ['with a Created without a zone', token({ created: '2026-06-01T12:00:00' }), { ok: false, reason: 'missing_created' }],
    ['without a nonce', token({ nonce: undefined }), { ok: false, reason: 'missing_nonce' }],
    ['a text password without Created', token({ passwordType: 'text', created: undefined, nonce: undefined }), { ok: true }],
    ['a text password with a stale Created', token({ passwordType: 'text', created: iso(NOW - 3600_000) }), { ok: false, reason: 'stale' }],
  ])('%s', (_name, given, expected) => {
    expect(tokenTiming(given, NOW)).toEqual(expected);
  });
});

describe('passwordDigest', () => {
  it("is the profile's base64(SHA-1(nonce + created + password)), checked against a widely published example", () => {
    // The worked example quoted by SoapUI's and other WS-Security guides, computed by other implementations.
    expect(passwordDigest('LKqI6G/AikKCQrN0zqZFlg==', '2010-09-16T07:50:45Z', 'userpassword')).toBe('tuOSpGlFlIXsozq4HFNeeGeFLEI=');
  });
});

describe('NonceMemory', () => {
  it('accepts a nonce once', () => {
    const memory = new NonceMemory();
    expect(memory.remember('a', NOW)).toBe(true);
    expect(memory.has('a')).toBe(true);
    expect(memory.remember('a', NOW + 1000)).toBe(false);
  });

  it('forgets nonces once any token carrying them would be stale anyway (two skews), and not before', () => {
    const memory = new NonceMemory();
    memory.remember('a', NOW);
    expect(memory.remember('a', NOW + 2 * MAX_CLOCK_SKEW_MS - 1)).toBe(false);
    expect(memory.remember('b', NOW + 2 * MAX_CLOCK_SKEW_MS + 1)).toBe(true);
    expect(memory.has('a')).toBe(false);
    expect(memory.size).toBe(1);
  });

  it('is bounded: when full it refuses new nonces rather than forget one that could still be replayed', () => {
    const memory = new NonceMemory(3);
    for (const nonce of ['a', 'b', 'c']) expect(memory.remember(nonce, NOW)).toBe(true);
    expect(memory.remember('d', NOW + 1000)).toBe(false);
    expect(memory.size).toBe(3);
    expect(memory.remember('d', NOW + 2 * MAX_CLOCK_SKEW_MS + 1)).toBe(true);
    expect(memory.size).toBe(1);
  });
});
