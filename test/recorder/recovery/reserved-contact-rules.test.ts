import { describe, expect, it } from 'vitest';
import type { ReservedContactRecord } from '../../../src/recorder/db/reserved-contact-store.js';
import { MAX_SENDS_PER_HOUR, sendBudgetLeft, setupCodeVerdict } from '../../../src/identity/codes/code-rules.js';
import { hintRejection, maskAddress, normaliseAddress, recoverySendDecision } from '../../../src/recorder/recovery/reserved-contact-rules.js';
import { newContactCode } from '../../../src/identity/codes/contact-code.js';

describe('reserved contact decisions (pure)', () => {
  it.each([
    ['email', ' Owner@Example.NET ', 'owner@example.net'],
    ['email', 'no-at-sign.example.net', null],
    ['email', 'a@b', null],
    ['email', 'a@example.net,b@example.net', null],
    ['email', 'a@example.net>\r\nBcc: b@example.net', null],
    ['phone', '+49 (170) 123-45.67', '+491701234567'],
    ['phone', '0170 1234567', null],
    ['phone', '+49 170 12a', null],
    ['phone', '12345', null],
    ['phone', '+1234567890123456', null],
  ] as const)('%s %j is stored as %j', (channel, raw, stored) => {
    expect(normaliseAddress(channel, raw)).toBe(stored);
  });

  it('masks an address to what its owner recognises', () => {
    expect(maskAddress('email', 'owner@example.net')).toBe('o***@example.net');
    expect(maskAddress('phone', '+491701234567')).toBe('+49••••••••67');
  });

  it('refuses a hint that holds the password in any case, or is too long', () => {
    expect(hintRejection('my cat + the year', 'Tangerine orbit 93')).toBeNull();
    expect(hintRejection('it is TANGERINE ORBIT 93!', 'Tangerine orbit 93')).toBe('contains_password');
    expect(hintRejection('x'.repeat(101), 'Tangerine orbit 93')).toBe('too_long');
    expect(hintRejection('x'.repeat(100), 'Tangerine orbit 93')).toBeNull();
  });

  it(`allows ${MAX_SENDS_PER_HOUR} sends per hour`, () => {
    expect(sendBudgetLeft(MAX_SENDS_PER_HOUR - 1)).toBe(true);
    expect(sendBudgetLeft(MAX_SENDS_PER_HOUR)).toBe(false);
  });

  it('sends only to an admin whose verified address matches, on a channel that delivers, within budget', () => {
    const ok = { isAdmin: true, addressMatches: true, deliverable: true, sendsInLastHour: 0 };
    expect(recoverySendDecision(ok)).toEqual({ send: true });
    expect(recoverySendDecision({ ...ok, isAdmin: false })).toEqual({ send: false, reason: 'no_account' });
    expect(recoverySendDecision({ ...ok, addressMatches: false })).toEqual({ send: false, reason: 'no_match' });
    expect(recoverySendDecision({ ...ok, deliverable: false })).toEqual({ send: false, reason: 'not_deliverable' });
    expect(recoverySendDecision({ ...ok, sendsInLastHour: MAX_SENDS_PER_HOUR })).toEqual({ send: false, reason: 'budget_spent' });
  });

  it('a setup code confirms only a live pending address, and only before 5 wrong tries', () => {
    const pending: ReservedContactRecord = {
      userId: 1,
      channel: 'email',
      verifiedAddress: null,
      verifiedAt: null,
      pendingAddress: 'owner@example.net',
      pendingCodeHmac: 'h',
      pendingExpiresAt: 1000,
      pendingFailures: 0,
    };
    expect(setupCodeVerdict(pending, 999, true)).toBe('right');
    expect(setupCodeVerdict(pending, 999, false)).toBe('wrong');
    expect(setupCodeVerdict(pending, 1000, true)).toBe('expired');
    expect(setupCodeVerdict({ ...pending, pendingFailures: 5 }, 0, true)).toBe('no_pending');
    expect(setupCodeVerdict({ ...pending, pendingAddress: null }, 0, true)).toBe('no_pending');
    expect(setupCodeVerdict(undefined, 0, true)).toBe('no_pending');
  });

  it('codes are 8 digits, leading zeros kept', () => {
    const codes = Array.from({ length: 200 }, newContactCode);
    for (const code of codes) expect(code).toMatch(/^\d{8}$/);
    expect(new Set(codes).size).toBeGreaterThan(190);
  });
});
