import { timingSafeEqual } from 'node:crypto';
import { passwordDigest } from '../../media/onvif/username-token.js';
import { attributeOf, child, textOf } from '../../media/onvif/soap.js';

/**
 * WS-Security UsernameToken (OASIS Username Token Profile 1.0), as ONVIF requires it:
 * PasswordDigest = base64(SHA-1(nonce bytes + Created + password)). The nonce and Created make a
 * digest good once and for a short time, if the receiver refuses stale tokens and remembers the
 * nonces it has seen; pure functions here, the memory of nonces below.
 */

export interface UsernameToken {
  username: string;
  password: string;
  passwordType: 'digest' | 'text';
  /** Base64, as sent. */
  nonce: string | undefined;
  created: string | undefined;
}

const DIGEST_TYPE = '#PasswordDigest';

/** The UsernameToken of a SOAP header, `undefined` when there is none, `malformed` when it lacks a name or password. */
export function readUsernameToken(header: unknown): UsernameToken | undefined | 'malformed' {
  const token = child(child(header, 'Security'), 'UsernameToken');
  if (token === undefined) return undefined;
  const username = textOf(child(token, 'Username'));
  const passwordElement = child(token, 'Password');
  const password = textOf(passwordElement);
  if (!username || password === undefined) return 'malformed';
  const type = attributeOf(passwordElement, 'Type') ?? '';
  return {
    username,
    password,
    passwordType: type.endsWith(DIGEST_TYPE) ? 'digest' : 'text',
    nonce: textOf(child(token, 'Nonce')),
    created: textOf(child(token, 'Created')),
  };
}

/** How far a token's Created may be from the camera's clock, either way. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export type TokenTiming = { ok: true } | { ok: false; reason: 'missing_created' | 'missing_nonce' | 'stale' };

/**
 * Whether a token can be checked at all: a digest needs a nonce and a Created, and a Created more
 * than MAX_CLOCK_SKEW_MS from `now` is refused (a text password carries neither, and is only as
 * safe as the transport). Pure.
 */
export function tokenTiming(token: UsernameToken, now: number): TokenTiming {
  if (token.passwordType === 'text' && token.created === undefined) return { ok: true };
  if (!token.created) return { ok: false, reason: 'missing_created' };
  if (token.passwordType === 'digest' && !token.nonce) return { ok: false, reason: 'missing_nonce' };
  // ISO 8601 with a zone, as xsd:dateTime in UTC (the profile's form: 2026-01-01T12:00:00Z).
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(token.created)) return { ok: false, reason: 'missing_created' };
  const created = Date.parse(token.created);
  if (!Number.isFinite(created) || Math.abs(now - created) > MAX_CLOCK_SKEW_MS) return { ok: false, reason: 'stale' };
  return { ok: true };
}

/** Whether the token's digest was made with `password`, compared in constant time. */
export function digestMatches(token: UsernameToken, password: string): boolean {
  const expected = Buffer.from(passwordDigest(token.nonce ?? '', token.created ?? '', password), 'base64');
  const given = Buffer.from(token.password, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The nonces of tokens accepted within the last two skews (a token older than that is stale anyway),
 * so a captured request cannot be sent again. Only accepted tokens are remembered, and only someone
 * who knows a password can make one: a flood of made-up nonces fills nothing. At `capacity` it
 * refuses new ones (fail closed) until old ones age out, rather than forget one still replayable.
 */
export class NonceMemory {
  readonly #seen = new Map<string, number>();

  constructor(readonly capacity = 10_000) {}

  has(nonce: string): boolean {
    return this.#seen.has(nonce);
  }

  /** Remembers the nonce; false if it was already there (a replay) or the memory is full. */
  remember(nonce: string, now: number): boolean {
    this.#forgetBefore(now - 2 * MAX_CLOCK_SKEW_MS);
    if (this.#seen.has(nonce) || this.#seen.size >= this.capacity) return false;
    this.#seen.set(nonce, now);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }

  #forgetBefore(cutoff: number): void {
    // Insertion order is time order (one clock), so the oldest come first.
    for (const [nonce, at] of this.#seen) {
      if (at >= cutoff) break;
      this.#seen.delete(nonce);
    }
  }
}
