import { createHash, createHmac } from 'node:crypto';
import { normalizeCrockford, randomCrockford } from '../../shared/crockford.js';
import { safeEqual } from '../../shared/secrets.js';

/**
 * The offline remote reset's challenge and response code (issue 11): a recorder without internet
 * shows a challenge (its serial, a random nonce, an expiry); the owner types it into the cloud,
 * which answers a short code computed with the secret the two agreed at binding; typed back into
 * the recorder, the code is the evidence for a reset grant. Pure: both the recorder (makes the
 * challenge, checks the code) and the cloud (reads the challenge, computes the code) use it, which
 * is why it lives in the security core and not in either part.
 */

/** How long a challenge can be answered: the time to walk to a phone, log in to the cloud and type. */
export const OFFLINE_CHALLENGE_LIFETIME_MS = 30 * 60_000;

const NONCE_SYMBOLS = 16; // 80 bits: never repeats, and is no secret (the code is)
const EXPIRY_SYMBOLS = 6; // minutes since 1970, up to the year 4010
const CHECK_SYMBOLS = 2; // catches a typo in the cloud, before it computes a code for a wrong challenge
const BODY_SYMBOLS = NONCE_SYMBOLS + EXPIRY_SYMBOLS + CHECK_SYMBOLS;
/** 50 bits: five wrong codes per challenge leave a guesser a chance of 5 in 10^15. */
const CODE_SYMBOLS = 10;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const QR_PREFIX = 'VIGIL-RESET:';
const SERIAL = /^[A-Z0-9]{4,40}$/;

export interface OfflineChallenge {
  serial: string;
  /** Crockford base32, 16 symbols. */
  nonce: string;
  /** Milliseconds, a whole minute (the text carries minutes). */
  expiresAt: number;
}

/** A new challenge for this device, open for 30 minutes (rounded down to the minute the text can carry). */
export function newOfflineChallenge(serial: string, now: number): OfflineChallenge {
  const expiresAt = Math.floor((now + OFFLINE_CHALLENGE_LIFETIME_MS) / 60_000) * 60_000;
  return { serial, nonce: randomCrockford(NONCE_SYMBOLS), expiresAt };
}

function toCrockford(value: number, symbols: number): string {
  let out = '';
  for (let i = 0; i < symbols; i++) {
    out = ALPHABET[value % 32]! + out;
    value = Math.floor(value / 32);
  }
  return out;
}

function fromCrockford(text: string): number {
  let value = 0;
  for (const ch of text) value = value * 32 + ALPHABET.indexOf(ch);
  return value;
}

/** The fields as one line of text, both for the check symbols and as what the code signs. */
function canonical(c: OfflineChallenge): string {
  return `vigil-offline-reset/1\n${c.serial}\n${c.nonce}\n${c.expiresAt / 60_000}`;
}

function checkSymbols(c: OfflineChallenge): string {
  const digest = createHash('sha256').update(canonical(c), 'utf8').digest();
  return toCrockford(digest.readUInt16BE(0) % 32 ** CHECK_SYMBOLS, CHECK_SYMBOLS);
}

function groups(symbols: string, size: number): string {
  return symbols.match(new RegExp(`.{1,${size}}`, 'g'))!.join('-');
}

/** What the owner types into the cloud: the serial, then six groups of four, e.g. `VGL260101ABCDEFGH 7KQX-M2PD-9RTA-W4HN-0Z3F-8C2Q`. */
export function challengeText(c: OfflineChallenge): string {
  const body = c.nonce + toCrockford(c.expiresAt / 60_000, EXPIRY_SYMBOLS) + checkSymbols(c);
  return `${c.serial} ${groups(body, 4)}`;
}

/** What the recorder's wizard puts in the QR code: the text, marked so the cloud's scanner knows it. */
export function challengeQrPayload(c: OfflineChallenge): string {
  return QR_PREFIX + challengeText(c).replace(' ', ':');
}

/**
 * Reads a challenge as typed (case, spaces and dashes do not matter; O, I, L count as 0, 1, 1 in the
 * groups) or as scanned from the QR code. Undefined when it is not one, or when its check symbols do
 * not match (a typo): the cloud then asks again rather than answer a code for another challenge.
 */
export function parseChallengeText(input: string): OfflineChallenge | undefined {
  const trimmed = input.trim();
  const text = trimmed.toUpperCase().startsWith(QR_PREFIX) ? trimmed.slice(QR_PREFIX.length).replace(':', ' ') : trimmed;
  const match = /^(\S+)\s+(.+)$/s.exec(text);
  if (!match) return undefined;
  const serial = match[1]!.toUpperCase();
  const body = normalizeCrockford(match[2]!, BODY_SYMBOLS);
  if (!SERIAL.test(serial) || !body) return undefined;
  const challenge = {
    serial,
    nonce: body.slice(0, NONCE_SYMBOLS),
    expiresAt: fromCrockford(body.slice(NONCE_SYMBOLS, NONCE_SYMBOLS + EXPIRY_SYMBOLS)) * 60_000,
  };
  return safeEqual(checkSymbols(challenge), body.slice(NONCE_SYMBOLS + EXPIRY_SYMBOLS)) ? challenge : undefined;
}

/** The cloud's answer: HMAC-SHA256 under the device's secret over every field, 50 bits as `XXXXX-XXXXX`. */
export function offlineResponseCode(deviceSecret: Buffer, c: OfflineChallenge): string {
  const mac = createHmac('sha256', deviceSecret).update(canonical(c), 'utf8').digest();
  // The first 50 bits, five bits a symbol.
  let bits = 0n;
  for (const byte of mac.subarray(0, 7)) bits = (bits << 8n) | BigInt(byte);
  bits >>= 6n;
  let code = '';
  for (let i = 0; i < CODE_SYMBOLS; i++) {
    code = ALPHABET[Number(bits & 31n)]! + code;
    bits >>= 5n;
  }
  return groups(code, 5);
}

/** Whether what the person typed is the code for this challenge; constant time in the code. */
export function offlineResponseMatches(deviceSecret: Buffer, c: OfflineChallenge, typed: string): boolean {
  const normalized = normalizeCrockford(typed, CODE_SYMBOLS);
  const expected = offlineResponseCode(deviceSecret, c).replace('-', '');
  return normalized !== undefined && safeEqual(normalized, expected);
}
