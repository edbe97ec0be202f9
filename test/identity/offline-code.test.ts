// The offline remote reset's challenge and response code (pure): the text, the QR payload, the code.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  challengeQrPayload,
  challengeText,
  newOfflineChallenge,
  offlineResponseCode,
  offlineResponseMatches,
  OFFLINE_CHALLENGE_LIFETIME_MS,
  parseChallengeText,
  type OfflineChallenge,
} from '../../src/identity/grants/offline-code.js';

const secret = Buffer.alloc(32, 7);
const now = Date.UTC(2026, 11, 7, 23, 0, 30);
const challenge: OfflineChallenge = { serial: 'VGL261207ABCDEFGH', nonce: '0123456789ABCDEF', expiresAt: Date.UTC(2026, 11, 7, 23, 30) };

describe('offline challenge', () => {
  it('is open for 30 minutes at most, to the minute, with a fresh 16-symbol nonce each time', () => {
    const a = newOfflineChallenge('VGL261207ABCDEFGH', now);
    const b = newOfflineChallenge('VGL261207ABCDEFGH', now);
    expect(a.expiresAt % 60_000).toBe(0);
    expect(a.expiresAt).toBeLessThanOrEqual(now + OFFLINE_CHALLENGE_LIFETIME_MS);
    expect(a.expiresAt).toBeGreaterThan(now + OFFLINE_CHALLENGE_LIFETIME_MS - 60_000);
    expect(a.nonce).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(a.nonce).not.toBe(b.nonce);
  });

  it('reads back from its text and from its QR payload', () => {
    const text = challengeText(challenge);
    expect(text).toMatch(/^VGL261207ABCDEFGH [0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
    expect(parseChallengeText(text)).toEqual(challenge);
    expect(parseChallengeText(challengeQrPayload(challenge))).toEqual(challenge);
  });

  it('forgives case, spacing, dashes and O/I/L for 0/1/1 in the groups', () => {
    const [serial, body] = challengeText(challenge).split(' ') as [string, string];
    const sloppy = `  ${serial.toLowerCase()}   ${body.replace(/-/g, ' ').toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l')} `;
    expect(parseChallengeText(sloppy)).toEqual(challenge);
  });

  it('refuses a typo (check symbols), a wrong length and no serial', () => {
    const text = challengeText(challenge);
    const at = text.indexOf(' ') + 1; // the nonce's first symbol, '0'
    const typo = text.slice(0, at) + '8' + text.slice(at + 1);
    expect(parseChallengeText(typo)).toBeUndefined();
    expect(parseChallengeText(text.slice(0, -1))).toBeUndefined();
    expect(parseChallengeText(text.split(' ')[1]!)).toBeUndefined();
    expect(parseChallengeText('')).toBeUndefined();
    expect(parseChallengeText('VGL#1 ' + text.split(' ')[1])).toBeUndefined();
  });
});

describe('offline response code', () => {
  it('is 10 symbols in two groups, and the same for the same challenge and secret', () => {
    const code = offlineResponseCode(secret, challenge);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(offlineResponseCode(secret, { ...challenge })).toBe(code);
    expect(offlineResponseMatches(secret, challenge, code)).toBe(true);
    expect(offlineResponseMatches(secret, challenge, code.toLowerCase().replace('-', ' '))).toBe(true);
  });

  it("refuses the code of another challenge: another nonce, expiry or serial, or another device's secret", () => {
    const code = offlineResponseCode(secret, challenge);
    const others: OfflineChallenge[] = [
      { ...challenge, nonce: '0123456789ABCDEG' },
      { ...challenge, expiresAt: challenge.expiresAt + 60_000 },
      { ...challenge, serial: 'VGL261207ABCDEFGJ' },
    ];
    for (const other of others) {
      expect(offlineResponseMatches(secret, other, code)).toBe(false);
      expect(offlineResponseCode(secret, other)).not.toBe(code);
    }
    expect(offlineResponseMatches(randomBytes(32), challenge, code)).toBe(false);
  });

  it('refuses what is no code at all', () => {
    for (const typed of ['', 'ABCDE', '!!!!!-!!!!!', offlineResponseCode(secret, challenge) + '0']) {
      expect(offlineResponseMatches(secret, challenge, typed)).toBe(false);
    }
  });
});
