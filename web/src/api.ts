// Tiny fetch wrapper for the recorder API (/api/v1, same origin, JSON).
import type { LockoutPolicy } from '../../src/recorder/accounts/lockout-policy.js';
import type { PasswordReason } from '../../src/shared/password-policy.js';

export type { LockoutPolicy };

export interface Device {
  serial: string;
  model: string;
  firmwareVersion: string;
  activated: boolean;
  recoveryMethods: Record<string, boolean>;
}

export interface User {
  id: string;
  username: string;
  role: string;
}

export interface Me {
  user: User;
  session: { id: string; createdAt: string; expiresAt: string };
  csrfToken: string;
}

export interface SessionInfo {
  id: string;
  ip: string;
  userAgent: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

export interface Lockout {
  id: string;
  account: { username: string; userId: number | null };
  /** One address or one browser locked out of the account, or the account closed to every unknown client. */
  clientKind: 'address' | 'device' | 'unknown_clients';
  client: string;
  failures: number;
  lockedUntil: string;
}

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

  /** Reasons attached to a 422 password_rejected answer. */
  get reasons(): PasswordReason[] {
    const reasons = this.details['reasons'];
    return Array.isArray(reasons) ? (reasons as PasswordReason[]) : [];
  }
}

// The CSRF token lives in memory only; after a reload it is re-read from GET /me.
let csrfToken: string | null = null;
let onSessionEnded: () => void = () => {};

export function setSessionEndedHandler(handler: () => void): void {
  onSessionEnded = handler;
}

interface RequestOptions {
  body?: unknown;
  /** A 401 `unauthenticated` means "the session ended" (not for the startup /me probe). */
  authenticated?: boolean;
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Could not reach the recorder.');
  }

  if (response.ok) {
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  const error = await toApiError(response);
  if (error.code === 'unauthenticated' && options.authenticated !== false) {
    csrfToken = null;
    onSessionEnded();
  }
  throw error;
}

async function toApiError(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = response.statusText || 'The recorder answered with an error.';
  let details: Record<string, unknown> = {};
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
    if (body.error?.details) details = body.error.details;
  } catch {
    // Not JSON: keep the generic message.
  }
  return new ApiError(response.status, code, message, details, parseRetryAfter(response.headers.get('Retry-After')));
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export const api = {
  getDevice: () => request<Device>('GET', '/device', { authenticated: false }),

  activate: (labelCode: string, password: string) =>
    request<{ username: string }>('POST', '/activate', { body: { labelCode, password }, authenticated: false }),

  async login(username: string, password: string): Promise<Me> {
    const me = await request<Me>('POST', '/sessions', { body: { username, password }, authenticated: false });
    csrfToken = me.csrfToken;
    return me;
  },

  /** Who is logged in, or null. Used at startup; a 401 here is not "session ended". */
  async getMe(): Promise<Me | null> {
    try {
      const me = await request<Me>('GET', '/me', { authenticated: false });
      csrfToken = me.csrfToken;
      return me;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },

  /** Re-reads the signed-in state (e.g. the sliding expiry); a 401 here means the session ended. */
  async refreshMe(): Promise<Me> {
    const me = await request<Me>('GET', '/me');
    csrfToken = me.csrfToken;
    return me;
  },

  async logout(): Promise<void> {
    try {
      await request<void>('DELETE', '/sessions/current', { authenticated: false });
    } finally {
      csrfToken = null;
    }
  },

  listSessions: () => request<{ sessions: SessionInfo[] }>('GET', '/sessions').then((r) => r.sessions),

  revokeSession: (id: string) => request<void>('DELETE', `/sessions/${encodeURIComponent(id)}`),

  listLockouts: () => request<{ lockouts: Lockout[]; policy: LockoutPolicy }>('GET', '/lockouts'),

  unlock: (id: string) => request<void>('DELETE', `/lockouts/${encodeURIComponent(id)}`),

  changePassword: (currentPassword: string, newPassword: string) =>
    request<{ revokedSessions: number }>('POST', '/me/password', { body: { currentPassword, newPassword } }),
};
