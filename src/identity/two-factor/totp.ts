import { generateSync, ScureBase32Plugin, verifySync } from 'otplib';

/**
 * TOTP (RFC 6238) over HOTP (RFC 4226), computed by otplib: pure functions of a secret, a time and
 * parameters, so the RFC's own test vectors check them and tests move time instead of waiting for
 * it. otplib's synchronous calls are used (its default crypto, noble-hashes, computes HMACs
 * synchronously), so the callers keep their shape. Which steps were already accepted (replay) stays
 * the caller's.
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

/** The code lengths RFC 4226 allows and otplib computes. */
type Digits = 6 | 7 | 8;

function codeLength(digits: number): Digits {
  if (digits === 6 || digits === 7 || digits === 8) return digits;
  throw new RangeError(`a TOTP code has 6, 7 or 8 digits, not ${digits}`);
}

export function timeStep(nowMs: number, params: TotpParams = STANDARD_TOTP): number {
  return Math.floor(nowMs / 1000 / params.periodSeconds);
}

/** HOTP value of `counter` (RFC 4226 section 5.3). */
export function hotp(secret: Buffer, counter: number, algorithm: TotpAlgorithm, digits: number): string {
  return generateSync({ strategy: 'hotp', secret: new Uint8Array(secret), counter, algorithm, digits: codeLength(digits) });
}

export function totpAt(secret: Buffer, nowMs: number, params: TotpParams = STANDARD_TOTP): string {
  return hotp(secret, timeStep(nowMs, params), params.algorithm, params.digits);
}

/**
 * The time step whose code `code` is, within ±TOTP_WINDOW_STEPS of now; undefined if none. The
 * caller must still refuse a step it has accepted before (replay).
 */
export function matchTotpStep(secret: Buffer, code: string, nowMs: number, params: TotpParams = STANDARD_TOTP): number | undefined {
  const digits = codeLength(params.digits);
  // otplib throws on a code of the wrong form; to the caller that is simply a wrong code.
  if (!new RegExp(`^[0-9]{${digits}}$`).test(code)) return undefined;
  // Counted from the start of the current step, a tolerance of whole periods covers exactly the
  // neighbouring steps, wherever in its step `nowMs` falls.
  const current = timeStep(nowMs, params);
  const result = verifySync({
    secret: new Uint8Array(secret),
    token: code,
    epoch: current * params.periodSeconds,
    epochTolerance: TOTP_WINDOW_STEPS * params.periodSeconds,
    algorithm: params.algorithm,
    digits,
    period: params.periodSeconds,
  });
  return result.valid ? current + result.delta : undefined;
}

const base32 = new ScureBase32Plugin();

/** RFC 4648 base32 without padding: the form authenticator apps take secrets in. */
export function base32Encode(bytes: Buffer): string {
  return base32.encode(new Uint8Array(bytes), { padding: false });
}

/**
 * The otpauth:// URI an authenticator app reads from the QR code (Key Uri Format). Not otplib's
 * generateURI: that one leaves out algorithm, digits and period when they are the defaults, and
 * this URI states them so no app has to guess.
 */
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
