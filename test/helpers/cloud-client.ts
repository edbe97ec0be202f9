// A person at the cloud over real HTTP: logs in, keeps the session cookie as a browser would, and
// sends JSON. fetch keeps no cookies, so the client does.
import { markVerified, signUpAddress } from '../../src/cloud/db/accounts.js';
import type { RunningCloud } from '../../src/cloud/daemon.js';
import { PasswordHasher, TEST_ARGON2 } from '../../src/identity/passwords/hash.js';
import { generateSync } from 'otplib';
import { STRONG_PASSWORD } from './recorder.js';

export const FIREFOX_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
export const SAFARI_ON_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

const hasher = new PasswordHasher(TEST_ARGON2);

/** A verified account with STRONG_PASSWORD (or `password`), made in the database as a finished sign-up leaves it. */
export async function verifiedAccount(cloud: RunningCloud, email: string, password = STRONG_PASSWORD): Promise<number> {
  const { id } = await signUpAddress(cloud.db, 'email', email, await hasher.hash(password), 0);
  await markVerified(cloud.db, id, 0);
  return id;
}

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  body: any;
}

export class CloudClient {
  /** The session token, as the browser keeps its cookie. */
  token: string | undefined;

  constructor(
    readonly cloud: Pick<RunningCloud, 'url'>,
    readonly userAgent = FIREFOX_ON_LINUX,
  ) {}

  async send(method: string, path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.cookie = `__Host-vigil_cloud_session=${this.token}`;
    const res = await fetch(`${this.cloud.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const cookie = /^__Host-vigil_cloud_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '');
    if (cookie) this.token = cookie[1] || undefined;
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  get = (path: string) => this.send('GET', path);
  post = (path: string, body?: unknown) => this.send('POST', path, body);
  delete = (path: string) => this.send('DELETE', path);

  /** Logs in with a password; the answer says whether a second step follows. */
  logIn(email: string, password = STRONG_PASSWORD): Promise<Answer> {
    return this.post('/api/v1/login', { email, password });
  }
}

/** The code an authenticator app shows at `ms` for `secret` (otplib: HOTP of the 30-second step), `stepsLater` steps on. */
export function appCodeAt(secret: Buffer, ms: number, stepsLater = 0): string {
  return generateSync({ strategy: 'hotp', secret: new Uint8Array(secret), counter: Math.floor(ms / 30_000) + stepsLater });
}
