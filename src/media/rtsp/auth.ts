/**
 * RTSP authentication as cameras do it: HTTP Basic and Digest (RFC 2617, RFC 7616 with MD5, with and
 * without qop=auth). Pure: the client passes the nonce count and a random cnonce in.
 */
import { createHash } from 'node:crypto';

export interface Credentials {
  username: string;
  password: string;
}

export type Challenge =
  | { scheme: 'basic'; realm: string }
  | { scheme: 'digest'; realm: string; nonce: string; qop: string[]; opaque?: string; algorithm?: string };

/** The challenges of the WWW-Authenticate headers of a 401 answer (several headers, or several in one). */
export function parseChallenges(headerValues: readonly string[]): Challenge[] {
  const challenges: Challenge[] = [];
  for (const value of headerValues) {
    // Each challenge starts with its scheme name; parameters never look like "Name param=".
    for (const match of value.matchAll(/(?:^|,)\s*(basic|digest)\s+((?:(?!,\s*(?:basic|digest)\s)[^])*)/gi)) {
      const scheme = match[1]!.toLowerCase() as Challenge['scheme'];
      const params = parseParams(match[2]!);
      const realm = params.get('realm') ?? '';
      if (scheme === 'basic') challenges.push({ scheme, realm });
      else {
        const nonce = params.get('nonce');
        if (nonce === undefined) continue;
        const qop = (params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase()).filter(Boolean);
        const opaque = params.get('opaque');
        const algorithm = params.get('algorithm');
        challenges.push({ scheme, realm, nonce, qop, ...(opaque === undefined ? {} : { opaque }), ...(algorithm === undefined ? {} : { algorithm }) });
      }
    }
  }
  return challenges;
}

function parseParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const match of text.matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params.set(match[1]!.toLowerCase(), match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!);
  }
  return params;
}

/** The challenge to answer: Digest (MD5) before Basic, as Basic sends the password in the clear. */
export function chooseChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return (
    challenges.find((c) => c.scheme === 'digest' && (c.algorithm === undefined || c.algorithm.toUpperCase() === 'MD5')) ??
    challenges.find((c) => c.scheme === 'basic')
  );
}

export interface DigestRequest {
  method: string;
  uri: string;
  /** How many requests this nonce has answered, this one included (qop=auth only). */
  nonceCount: number;
  /** Client nonce (qop=auth only). */
  cnonce: string;
}

/** The Authorization header value answering the challenge. */
export function authorization(challenge: Challenge, credentials: Credentials, request: DigestRequest): string {
  if (challenge.scheme === 'basic') {
    return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
  }
  const ha1 = md5(`${credentials.username}:${challenge.realm}:${credentials.password}`);
  const ha2 = md5(`${request.method}:${request.uri}`);
  const fields = [`username="${quote(credentials.username)}"`, `realm="${quote(challenge.realm)}"`, `nonce="${quote(challenge.nonce)}"`, `uri="${quote(request.uri)}"`];
  if (challenge.qop.includes('auth')) {
    const nc = request.nonceCount.toString(16).padStart(8, '0');
    fields.push(`response="${md5(`${ha1}:${challenge.nonce}:${nc}:${request.cnonce}:auth:${ha2}`)}"`, 'qop=auth', `nc=${nc}`, `cnonce="${quote(request.cnonce)}"`);
  } else {
    fields.push(`response="${md5(`${ha1}:${challenge.nonce}:${ha2}`)}"`);
  }
  if (challenge.opaque !== undefined) fields.push(`opaque="${quote(challenge.opaque)}"`);
  if (challenge.algorithm !== undefined) fields.push(`algorithm=${challenge.algorithm}`);
  return `Digest ${fields.join(', ')}`;
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function quote(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}
