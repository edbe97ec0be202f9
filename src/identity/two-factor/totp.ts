import { createHmac } from 'node:crypto';
import { safeEqual } from '../../shared/secrets.js';

/**
 * TOTP (RFC 6238) over HOTP (RFC 4226): pure functions of a secret, a time and parameters, so the
 * RFC's own test vectors check them and tests move time instead of waiting for it.
 */
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpParams {
  algorithm: TotpAlgorithm;
  digits: number;
  periodSeconds: number;
}

/** What authenticator apps assume when the otpauth:// URI says nothing else. */
export const STANDARD_TOTP: TotpParams = { algorithm: 'sha1', digits: 6, periodSeconds: 30 };

/** Codes of the previous and next step are accepted too: clocks drift and people type slowly. */
export const TOTP_WINDOW_STEPS = 1;

export function timeStep(nowMs: number, params: TotpParams = STANDARD_TOTP): number {
  return Math.floor(nowMs / 1000 / params.periodSeconds);
}

/** HOTP value of `counter`: dynamic truncation of the HMAC, as RFC 4226 section 5.3 defines it. */
export function hotp(secret: Buffer, counter: number, algorithm: TotpAlgorithm, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export function totpAt(secret: Buffer, nowMs: number, params: TotpParams = STANDARD_TOTP): string {
  return hotp(secret, timeStep(nowMs, params), params.algorithm, params.digits);
}

/**
 * The time step whose code `code` is, within ±TOTP_WINDOW_STEPS of now; undefined if none. The
 * caller must still refuse a step it has accepted before (replay).
 */
export function matchTotpStep(secret: Buffer, code: string, nowMs: number, params: TotpParams = STANDARD_TOTP): number | undefined {
  const current = timeStep(nowMs, params);
  let matched: number | undefined;
  // Every candidate is computed and compared, so the time taken does not say which one matched.
  for (let step = current - TOTP_WINDOW_STEPS; step <= current + TOTP_WINDOW_STEPS; step++) {
    if (step >= 0 && safeEqual(hotp(secret, step, params.algorithm, params.digits), code)) matched ??= step;
  }
  return matched;
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding: the form authenticator apps take secrets in. */
export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** The otpauth:// URI an authenticator app reads from the QR code (Key Uri Format). */
export function otpauthUri(secret: Buffer, issuer: string, account: string, params: TotpParams = STANDARD_TOTP): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({
    secret: base32Encode(secret),
    issuer,
    algorithm: params.algorithm.toUpperCase(),
    digits: String(params.digits),
    period: String(params.periodSeconds),
  });
  return `otpauth://totp/${label}?${query.toString()}`;
}
