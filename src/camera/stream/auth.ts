import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The schemes real cameras offer: Basic (base64 of user:password) and Digest with MD5 (RFC 2617). */
export type AuthScheme = 'basic' | 'digest';

export interface CameraCredentials {
  username: string;
  password: string;
  scheme: AuthScheme;
}

export const REALM = 'Vigil simulated camera';

/** Who may use a server's streams: asks for credentials and checks a request's Authorization header. */
export interface RtspAccess {
  /** The WWW-Authenticate header of a 401 answer. */
  challenge(): string;
  verify(method: string, authorization: string | undefined, sourceIp: string): boolean | Promise<boolean>;
}

/**
 * Digest nonces (RFC 2617, MD5) that need no table: each is a random salt and an HMAC of it under
 * a per-server key, so any nonce this server issued verifies and no other does.
 */
export class DigestNonces {
  private readonly nonceKey = randomBytes(32);

  constructor(readonly realm: string) {}

  challenge(): string {
    const salt = randomBytes(8).toString('hex');
    return `Digest realm="${this.realm}", nonce="${salt}${this.nonceMac(salt)}", algorithm=MD5`;
  }

  /** Whether the header's parameters carry a nonce of this server and this realm. */
  issued(params: Map<string, string>): boolean {
    const nonce = params.get('nonce') ?? '';
    return nonce.length === 16 + 32 && sameText(nonce.slice(16), this.nonceMac(nonce.slice(0, 16))) && params.get('realm') === this.realm;
  }

  private nonceMac(salt: string): string {
    return createHmac('sha256', this.nonceKey).update(salt).digest('hex').slice(0, 32);
  }
}

/** Whether a Digest response proves `password` for the request (RFC 2617, MD5, with or without qop=auth). Pure. */
export function digestResponseMatches(method: string, params: Map<string, string>, password: string): boolean {
  const ha1 = md5(`${params.get('username') ?? ''}:${params.get('realm') ?? ''}:${password}`);
  const ha2 = md5(`${method}:${params.get('uri') ?? ''}`);
  const nonce = params.get('nonce') ?? '';
  const expected =
    params.get('qop') === 'auth'
      ? md5(`${ha1}:${nonce}:${params.get('nc') ?? ''}:${params.get('cnonce') ?? ''}:auth:${ha2}`)
      : md5(`${ha1}:${nonce}:${ha2}`);
  return sameText(params.get('response') ?? '', expected);
}

/** The scheme (lower case) and the rest of an Authorization header, or undefined. Pure. */
export function splitAuthorization(authorization: string | undefined): { scheme: string; rest: string } | undefined {
  const space = authorization?.indexOf(' ') ?? -1;
  if (!authorization || space < 0) return undefined;
  return { scheme: authorization.slice(0, space).toLowerCase(), rest: authorization.slice(space + 1).trim() };
}

/** Checks RTSP requests against one username and password, for the simulated cameras of `vigil simcam`. */
export class RtspAuthenticator implements RtspAccess {
  private readonly nonces = new DigestNonces(REALM);

  constructor(private readonly credentials: CameraCredentials) {}

  challenge(): string {
    return this.credentials.scheme === 'basic' ? `Basic realm="${REALM}"` : this.nonces.challenge();
  }

  /** Whether the request's Authorization header holds the right credentials in the configured scheme. */
  verify(method: string, authorization: string | undefined): boolean {
    const given = splitAuthorization(authorization);
    if (!given || given.scheme !== this.credentials.scheme) return false;
    return given.scheme === 'basic' ? this.verifyBasic(given.rest) : this.verifyDigest(method, parseDigestParams(given.rest));
  }

  private verifyBasic(encoded: string): boolean {
    const expected = `${this.credentials.username}:${this.credentials.password}`;
    return sameText(Buffer.from(encoded, 'base64').toString('utf8'), expected);
  }

  private verifyDigest(method: string, params: Map<string, string>): boolean {
    if (!this.nonces.issued(params) || params.get('username') !== this.credentials.username) return false;
    return digestResponseMatches(method, params, this.credentials.password);
  }
}

/** `key="value", key=value, ...` of a Digest Authorization header. Pure. */
export function parseDigestParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const match of text.matchAll(/([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params.set(match[1]!.toLowerCase(), match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? ''));
  }
  return params;
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** Compares secrets in constant time (for equal lengths; a length difference is no secret here). */
function sameText(actual: string, expected: string): boolean {
  const a = Buffer.from(actual);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
