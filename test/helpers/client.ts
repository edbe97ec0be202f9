import { request as httpRequest } from 'node:http';
import type { LoginState } from '../../src/recorder/api/sessions.js';
import { STRONG_PASSWORD, type TestRecorder } from './recorder.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by each test
export interface ApiResponse<Body = any> {
  status: number;
  headers: Headers;
  /** Typed when the caller names the route's success type (src/recorder/api); then check the status first. */
  body: Body;
}

/**
 * An API client that behaves like a browser tab: it keeps the session cookie and sends the CSRF
 * token on writes once it has one.
 */
export class ApiClient {
  cookie: string | undefined;
  /** `__Host-vigil_device=...` once a login succeeded: this client is then a known device of that account. */
  deviceCookie: string | undefined;
  csrfToken: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly headers: Record<string, string> = {},
  ) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see ApiResponse
  async request<Body = any>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ApiResponse<Body>> {
    const headers: Record<string, string> = { ...this.headers, ...extraHeaders };
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const cookies = [this.cookie, this.deviceCookie].filter((c) => c !== undefined);
    if (cookies.length > 0) headers.cookie = cookies.join('; ');
    if (this.csrfToken && method !== 'GET') headers['x-csrf-token'] ??= this.csrfToken;
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('__Host-vigil_session='));
    if (setCookie) {
      const pair = setCookie.split(';')[0]!;
      this.cookie = pair.endsWith('=') ? undefined : pair;
    }
    const deviceCookie = response.headers.getSetCookie().find((c) => c.startsWith('__Host-vigil_device='));
    if (deviceCookie) this.deviceCookie = deviceCookie.split(';')[0]!;
    const text = await response.text();
    const parsed: unknown = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    return { status: response.status, headers: response.headers, body: parsed as Body };
  }

  /* eslint-disable @typescript-eslint/no-explicit-any -- see ApiResponse */
  get = <Body = any>(path: string) => this.request<Body>('GET', path);
  post = <Body = any>(path: string, body?: unknown) => this.request<Body>('POST', path, body ?? {});
  put = <Body = any>(path: string, body: unknown) => this.request<Body>('PUT', path, body);
  delete = <Body = any>(path: string) => this.request<Body>('DELETE', path);
  /* eslint-enable @typescript-eslint/no-explicit-any */

  async login(username: string, password: string): Promise<ApiResponse> {
    const res = await this.post('/api/v1/sessions', { username, password });
    if (res.status === 201) this.csrfToken = (res.body as LoginState).csrfToken;
    return res;
  }
}

export async function activate(rec: TestRecorder, password = STRONG_PASSWORD): Promise<void> {
  const res = await new ApiClient(rec.url).post('/api/v1/activate', { labelCode: rec.labelCode, password });
  if (res.status !== 201) throw new Error(`activation failed: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function loggedInAdmin(rec: TestRecorder, password = STRONG_PASSWORD): Promise<ApiClient> {
  const client = new ApiClient(rec.url);
  const res = await client.login('admin', password);
  if (res.status !== 201) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return client;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked by each test
}

/** POST /api/v1/sessions from a chosen loopback address (all of 127.0.0.0/8 is this machine). */
export function loginFrom(rec: TestRecorder, localAddress: string, username: string, password: string, cookie?: string): Promise<RawResponse> {
  return postFrom(rec, localAddress, '/api/v1/sessions', { username, password }, cookie);
}

/** A JSON POST from a chosen loopback address, with no cookie but the one given. */
export function postFrom(rec: TestRecorder, localAddress: string, path: string, body: unknown, cookie?: string): Promise<RawResponse> {
  const url = new URL(rec.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        localAddress,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(cookie ? { cookie } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
