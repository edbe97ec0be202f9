import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The schemes real cameras offer: Basic (base64 of user:password) and Digest with MD5 (RFC 2617). */
export type AuthScheme = 'basic' | 'digest';

export interface CameraCredentials {
  username: string;
  password: string;
  scheme: AuthScheme;
}

export const REALM = 'Vigil simulated camera';

/**
 * Checks RTSP requests against one username and password. Digest nonces are an HMAC of a random
 * value under a per-server key, so any nonce this server issued verifies without a table of them.
 */
export class RtspAuthenticator {
  private readonly nonceKey = randomBytes(32);

  constructor(private readonly credentials: CameraCredentials) {}

  /** The WWW-Authenticate header of a 401 answer. */
  challenge(): string {
    if (this.credentials.scheme === 'basic') return `Basic realm="${REALM}"`;
    const salt = randomBytes(8).toString('hex');
    return `Digest realm="${REALM}", nonce="${salt}${this.nonceMac(salt)}", algorithm=MD5`;
  }

  /** Whether the request's Authorization header holds the right credentials in the configured scheme. */
  verify(method: string, authorization: string | undefined): boolean {
    if (!authorization) return false;
    const space = authorization.indexOf(' ');
    const scheme = authorization.slice(0, space).toLowerCase();
    const rest = authorization.slice(space + 1).trim();
    if (space < 0 || scheme !== this.credentials.scheme) return false;
    return scheme === 'basic' ? this.verifyBasic(rest) : this.verifyDigest(method, parseDigestParams(rest));
  }

  private verifyBasic(encoded: string): boolean {
    const expected = `${this.credentials.username}:${this.credentials.password}`;
    return sameText(Buffer.from(encoded, 'base64').toString('utf8'), expected);
  }

  private verifyDigest(method: string, params: Map<string, string>): boolean {
    const nonce = params.get('nonce') ?? '';
    const salt = nonce.slice(0, 16);
    if (nonce.length !== 16 + 32 || !sameText(nonce.slice(16), this.nonceMac(salt))) return false;
    const { username, password } = this.credentials;
    if (params.get('username') !== username || params.get('realm') !== REALM) return false;
    const ha1 = md5(`${username}:${REALM}:${password}`);
    const ha2 = md5(`${method}:${params.get('uri') ?? ''}`);
    const qop = params.get('qop');
    const expected =
      qop === 'auth'
        ? md5(`${ha1}:${nonce}:${params.get('nc') ?? ''}:${params.get('cnonce') ?? ''}:auth:${ha2}`)
        : md5(`${ha1}:${nonce}:${ha2}`);
    return sameText(params.get('response') ?? '', expected);
  }

  private nonceMac(salt: string): string {
    return createHmac('sha256', this.nonceKey).update(salt).digest('hex').slice(0, 32);
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
