// What every Vigil API answers on failure, `{"error":{"code","message",...}}` with a 4xx/5xx status,
// read into one error type the UIs show with ErrorAlert.
import type { PasswordReason } from '../../src/identity/passwords/policy.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** Seconds to wait, from the Retry-After header (429). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Reasons attached to a 422 answer refusing a password. */
  get reasons(): PasswordReason[] {
    const reasons = this.details['reasons'];
    return Array.isArray(reasons) ? (reasons as PasswordReason[]) : [];
  }
}

/** Names the server in messages about it: "the recorder", "the cloud". */
export interface ApiServer {
  name: string;
}

/**
 * One JSON call to `path` on the same origin. A failure throws an ApiError: the server's own code
 * and message, or `network_error` when it cannot be reached. The error's details are its `details`
 * object, or else its other fields (the cloud sends a refused password's `reasons` beside the code).
 */
export async function callApi<T>(server: ApiServer, method: string, path: string, body: unknown, headers: Record<string, string>): Promise<T> {
  const sent: Record<string, string> = { Accept: 'application/json', ...headers };
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: sent,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', `Could not reach ${server.name}.`);
  }
  if (response.ok) {
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
  throw await toApiError(server, response);
}

async function toApiError(server: ApiServer, response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = response.statusText || `${capitalised(server.name)} answered with an error.`;
  let details: Record<string, unknown> = {};
  try {
    const answer = (await response.json()) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } };
    if (answer.error) {
      const { code: givenCode, message: givenMessage, details: givenDetails, ...rest } = answer.error;
      if (givenCode) code = givenCode;
      if (givenMessage) message = givenMessage;
      details = givenDetails ?? rest;
    }
  } catch {
    // Not JSON: keep the generic message.
  }
  return new ApiError(response.status, code, message, details, parseRetryAfter(response.headers.get('Retry-After')));
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
