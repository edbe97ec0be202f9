import { request } from 'node:https';

/** A GET over HTTPS that trusts `ca` (a server's self-signed certificate) for the name localhost. */
export function httpsGet(url: string, ca: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca, servername: 'localhost' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

/**
 * A browser tab's JSON session with a recorder over HTTPS, trusting its self-signed certificate
 * `ca` for the name localhost: keeps the session cookie and sends the CSRF token on writes.
 */
export class HttpsSession {
  #cookie: string | undefined;
  #csrf: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly ca: string,
  ) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by each test
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (this.#cookie) headers.cookie = this.#cookie;
    if (this.#csrf && method !== 'GET') headers['x-csrf-token'] = this.#csrf;
    return new Promise((resolve, reject) => {
      request(this.baseUrl + path, { method, headers, ca: this.ca, servername: 'localhost' }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          const session = res.headers['set-cookie']?.find((c) => c.startsWith('__Host-vigil_session='));
          if (session) this.#cookie = session.split(';')[0];
          const parsed: unknown = text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text;
          if (path === '/api/v1/sessions' && res.statusCode === 201) this.#csrf = (parsed as { csrfToken: string }).csrfToken;
          resolve({ status: res.statusCode!, body: parsed, text });
        });
      })
        .on('error', reject)
        .end(payload);
    });
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body: unknown = {}) => this.request('POST', path, body);
}
