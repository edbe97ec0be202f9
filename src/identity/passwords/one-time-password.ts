import { randomBytes } from 'node:crypto';

/**
 * A password an admin issues (new user, reset): 20 symbols from an alphabet without look-alikes
 * (no 0/o, 1/l), 100 bits, in groups of five so it can be read out and typed. It is stored
 * hashed like any password, works once to log in, and then must be replaced by the user.
 */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const SYMBOLS = 20;

/** Long enough to pass it on and use it over a weekend, short enough not to linger. */
export const ONE_TIME_PASSWORD_LIFETIME_SECONDS = 72 * 3600;

export function generateOneTimePassword(): string {
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  const symbols = [...randomBytes(SYMBOLS)].map((b) => ALPHABET[b % ALPHABET.length]!).join('');
  return symbols.match(/.{5}/g)!.join('-');
}

/** Is the user's one-time password (if they have one) past its lifetime at `now`? */
export function oneTimePasswordExpired(user: { oneTimePasswordExpiresAt: number | null }, now: number): boolean {
  return user.oneTimePasswordExpiresAt !== null && now >= user.oneTimePasswordExpiresAt;
}
