import { randomToken, sha256Hex } from '../../shared/secrets.js';

/**
 * A reset grant: what right recovery evidence earns, a bearer token that lets its holder choose a
 * new password once. Storage keeps only the token's hash.
 */

/** Long enough to choose a good password, short enough that a forgotten tab is no standing key. */
export const RESET_GRANT_LIFETIME_SECONDS = 15 * 60;

export interface NewGrantToken {
  /** Given to the holder once, never stored. */
  token: string;
  tokenHash: string;
  expiresAt: number;
}

export function newGrantToken(now: number): NewGrantToken {
  const token = randomToken(32);
  return { token, tokenHash: grantTokenHash(token), expiresAt: now + RESET_GRANT_LIFETIME_SECONDS * 1000 };
}

/** What a presented token is looked up by. */
export function grantTokenHash(token: string): string {
  return sha256Hex(token);
}

/** Can the grant still be spent at `now`? */
export function grantIsLive(grant: { usedAt: number | null; expiresAt: number }, now: number): boolean {
  return grant.usedAt === null && grant.expiresAt > now;
}
