import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ApiAnswer, RecorderClient } from './types.js';

const TIMEOUT_MS = 15_000;

export class RecorderUnreachableError extends Error {}

/**
 * JSON to and from the recorder's API. HTTPS is checked against `ca` when given (the recorder's
 * self-signed certificate, keys/../tls/cert.pem), else against the system's trusted authorities.
 */
export function createRecorderClient(baseUrl: string, options: { ca?: string } = {}): RecorderClient {
  const base = new URL(baseUrl);
  function send(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const url = new URL(path, base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const start = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = start(url, { method, headers, timeout: TIMEOUT_MS, ...(options.ca ? { ca: options.ca } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = {};
          try {
            parsed = text ? JSON.parse(text) : {};
          } catch {
            parsed = {};
          }
          const retryAfter = Number(res.headers['retry-after']);
          resolve({
            status: res.statusCode ?? 0,
            body: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {},
            retryAfter: Number.isFinite(retryAfter) && res.headers['retry-after'] !== undefined ? retryAfter : null,
          });
        });
      });
      req.on('timeout', () => req.destroy(new RecorderUnreachableError(`${base.origin} did not answer within ${TIMEOUT_MS / 1000} s.`)));
      req.on('error', (error) =>
        reject(error instanceof RecorderUnreachableError ? error : new RecorderUnreachableError(`Cannot reach ${base.origin}: ${error.message}.`)),
      );
      req.end(payload);
    });
  }
  return {
    url: base.origin,
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body),
  };
}

/**
 * The body of an answer with the success status its route declares, typed by that route's schema
 * (src/recorder/api): the recorder writes exactly that shape with that status. Undefined for any
 * other answer.
 */
export function successBody<Body>(answer: ApiAnswer, status: number): Body | undefined {
  return answer.status === status ? (answer.body as Body) : undefined;
}

/** The recorder's own words for a refusal, with how long to wait when it says so. */
export function refusalMessage(answer: ApiAnswer): string {
  const error = answer.body.error as { message?: unknown } | undefined;
  const message = typeof error?.message === 'string' ? error.message : `The recorder answered with HTTP ${answer.status}.`;
  return answer.retryAfter !== null ? `${message} (wait ${answer.retryAfter} s)` : message;
}

export function errorCode(answer: ApiAnswer): string | undefined {
  const error = answer.body.error as { code?: unknown } | undefined;
  return typeof error?.code === 'string' ? error.code : undefined;
}
