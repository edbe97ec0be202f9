import { hmacHex, randomId, randomToken, safeEqual, sha256Hex } from '../../shared/secrets.js';

/**
 * Sessions are opaque 256-bit bearer tokens. Storage keeps only their SHA-256, so a copy of the
 * database does not let anyone in; the public `id` is a separate random value for listings.
 */
export interface NewSessionToken {
  /** Given to the client once, never stored. */
  token: string;
  tokenHash: string;
  id: string;
}

export function newSessionToken(): NewSessionToken {
  const token = randomToken(32);
  return { token, tokenHash: sessionTokenHash(token), id: randomId(12) };
}

/** What a presented token is looked up by. */
export function sessionTokenHash(token: string): string {
  return sha256Hex(token);
}

/** The anti-CSRF token of a session: derived, so it needs no storage, and useless without the cookie. */
export function csrfTokenFor(serverSecret: Buffer, session: { id: string }): string {
  return hmacHex(serverSecret, `csrf:${session.id}`);
}

export function isValidCsrfToken(serverSecret: Buffer, session: { id: string }, presented: string): boolean {
  return safeEqual(csrfTokenFor(serverSecret, session), presented);
}
