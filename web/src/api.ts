// Tiny fetch wrapper for the recorder API (/api/v1, same origin, JSON).
import type { CameraAction, DeviceAction, Grants, Role } from '../../src/recorder/accounts/permissions.js';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
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
  id: number;
  username: string;
  role: Role;
}

export interface Me {
  user: User;
  session: { id: string; createdAt: string; expiresAt: string };
  csrfToken: string;
  /** Logged in with a one-time password: nothing else works until a new password is chosen. */
  passwordChangeRequired: boolean;
  /** What this user may do now. */
  permissions: { device: DeviceAction[]; allCameras: CameraAction[] };
  /** Set when the password is older than the maximum age an admin chose: a reminder only. */
  passwordAgeReminder?: { ageDays: number; maxDays: number } | null;
}

export type SmtpSecurity = 'none' | 'starttls' | 'tls';

export interface MailSettings {
  enabled: boolean;
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string;
  from: string;
  /** The password itself is never sent back. */
  passwordSet: boolean;
}

/** A string sets the SMTP password, null removes it, absent keeps it. */
export type MailSettingsInput = Omit<MailSettings, 'passwordSet'> & { password?: string | null };

export interface AllowList {
  enabled: boolean;
  entries: string[];
  yourAddress: string;
}

export interface Finding {
  id: string;
  severity: 'high' | 'medium' | 'low';
  title: string;
  advice: string;
}

/** A user as an admin sees it in user management. */
export interface ManagedUser extends User {
  permissions: Grants;
  passwordChangeRequired: boolean;
  createdAt: string;
}

/** A one-time password, shown once. */
export interface IssuedPassword {
  oneTimePassword: string;
  oneTimePasswordExpiresAt: string;
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

/** A right password for an account with two-factor: the login finishes with POST /sessions/second-factor. */
export interface SecondFactorChallenge {
  secondFactorRequired: true;
  methods: string[];
  challenge: string;
  expiresAt: string;
  /** Present when a passkey may finish this login. */
  webauthn?: PublicKeyCredentialRequestOptionsJSON;
}

export type SecondFactorProof = { totp: string } | { recoveryCode: string } | { webauthn: AuthenticationResponseJSON };

export interface Passkey {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface TwoFactorStatus {
  enabled: boolean;
  totp: 'off' | 'pending' | 'on';
  passkeys: number;
  recoveryCodesRemaining: number;
  requiredForEveryone: boolean;
  enrolmentRequired: boolean;
}

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  qrCode: string;
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

export type CameraTransport = 'tcp' | 'udp';

/** What a probe measured; width and height only once the recorder reads them from the stream. */
export interface ProbeResult {
  codec: 'h264' | 'h265';
  width?: number;
  height?: number;
  fps?: number;
  /** Bits per second. */
  bitrate?: number;
}

export type ProbeOutcome = { ok: true; result: ProbeResult } | { ok: false; problem: string; message: string };

export interface Camera {
  id: number;
  name: string;
  /** Never with credentials; only when I may configure the camera. */
  url?: string;
  username?: string | null;
  /** The password itself is never sent back. */
  passwordSet: boolean;
  transport: CameraTransport;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  probe: (ProbeResult & { probedAt: string }) | null;
  status: {
    state: 'disabled' | 'connecting' | 'online' | 'offline';
    lastFrameAt: string | null;
    bitrate: number | null;
    problem: string | null;
    problemMessage: string | null;
    retryAt: string | null;
    /** Video the recording dropped because the disk fell behind, on this run of the recorder. */
    recording: { droppedFrames: number; droppedBytes: number; droppingSince: string | null; lastDropAt: string | null };
  };
  /** What I may do with this camera. */
  permissions: CameraAction[];
}

/** A string sets the camera password, null removes it, absent keeps it. */
export interface CameraInput {
  name: string;
  url: string;
  username: string | null;
  password?: string | null;
  transport: CameraTransport;
  enabled: boolean;
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

export interface RequestOptions {
  body?: unknown;
  /** A 401 `unauthenticated` means "the session ended" (not for the startup /me probe). */
  authenticated?: boolean;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
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

  async login(username: string, password: string): Promise<Me | SecondFactorChallenge> {
    const answer = await request<Me | SecondFactorChallenge>('POST', '/sessions', { body: { username, password }, authenticated: false });
    if ('csrfToken' in answer) csrfToken = answer.csrfToken;
    return answer;
  },

  async completeSecondFactor(challenge: string, proof: SecondFactorProof): Promise<Me> {
    const me = await request<Me>('POST', '/sessions/second-factor', { body: { challenge, ...proof }, authenticated: false });
    csrfToken = me.csrfToken;
    return me;
  },

  getTwoFactor: () => request<TwoFactorStatus>('GET', '/me/2fa'),

  startTotp: (currentPassword: string) => request<TotpEnrolment>('POST', '/me/2fa/totp', { body: { currentPassword } }),

  confirmTotp: (currentPassword: string, code: string) =>
    request<{ recoveryCodes: string[] }>('POST', '/me/2fa/totp/confirm', { body: { currentPassword, code } }).then((r) => r.recoveryCodes),

  regenerateRecoveryCodes: (currentPassword: string) =>
    request<{ recoveryCodes: string[] }>('POST', '/me/2fa/recovery-codes', { body: { currentPassword } }).then((r) => r.recoveryCodes),

  listPasskeys: () => request<{ passkeys: Passkey[] }>('GET', '/me/2fa/passkeys').then((r) => r.passkeys),

  startPasskeyRegistration: (currentPassword: string) =>
    request<PublicKeyCredentialCreationOptionsJSON>('POST', '/me/2fa/passkeys/registration', { body: { currentPassword } }),

  finishPasskeyRegistration: (name: string, response: RegistrationResponseJSON) =>
    request<{ recoveryCodes: string[] | null }>('POST', '/me/2fa/passkeys', { body: { name, response } }).then((r) => r.recoveryCodes),

  removePasskey: (id: number, currentPassword: string) =>
    request<void>('POST', `/me/2fa/passkeys/${id}/remove`, { body: { currentPassword } }),

  disableTwoFactor: (currentPassword: string) => request<void>('POST', '/me/2fa/disable', { body: { currentPassword } }),

  getTwoFactorPolicy: () => request<{ required: boolean }>('GET', '/settings/two-factor').then((r) => r.required),

  setTwoFactorPolicy: (required: boolean, currentPassword: string) =>
    request<{ required: boolean }>('PUT', '/settings/two-factor', { body: { required, currentPassword } }).then((r) => r.required),

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

  listUsers: () => request<{ users: ManagedUser[] }>('GET', '/users').then((r) => r.users),

  createUser: (username: string, role: Role) =>
    request<{ user: ManagedUser } & IssuedPassword>('POST', '/users', { body: { username, role } }),

  updateUser: (id: number, change: { role?: Role; permissions?: Grants }) =>
    request<ManagedUser>('PATCH', `/users/${id}`, { body: change }),

  deleteUser: (id: number) => request<void>('DELETE', `/users/${id}`),

  resetUserPassword: (id: number) => request<IssuedPassword & { revokedSessions: number }>('POST', `/users/${id}/password-reset`),
  listLockouts: () => request<{ lockouts: Lockout[]; policy: LockoutPolicy }>('GET', '/lockouts'),

  unlock: (id: string) => request<void>('DELETE', `/lockouts/${encodeURIComponent(id)}`),

  changePassword: (currentPassword: string, newPassword: string) =>
    request<{ revokedSessions: number }>('POST', '/me/password', { body: { currentPassword, newPassword } }),

  getNotificationEmail: () => request<{ email: string | null }>('GET', '/me/notification-email').then((r) => r.email),

  setNotificationEmail: (email: string | null, currentPassword: string) =>
    request<{ email: string | null }>('PUT', '/me/notification-email', { body: { email, currentPassword } }).then((r) => r.email),

  getMailSettings: () => request<MailSettings>('GET', '/settings/mail'),

  saveMailSettings: (settings: MailSettingsInput) => request<MailSettings>('PUT', '/settings/mail', { body: settings }),

  sendTestMail: (to: string) => request<{ sent: boolean }>('POST', '/settings/mail/test', { body: { to } }),

  getPasswordAge: () => request<{ maxPasswordAgeDays: number | null }>('GET', '/settings/password-age').then((r) => r.maxPasswordAgeDays),

  savePasswordAge: (maxPasswordAgeDays: number | null) =>
    request<{ maxPasswordAgeDays: number | null }>('PUT', '/settings/password-age', { body: { maxPasswordAgeDays } }).then(
      (r) => r.maxPasswordAgeDays,
    ),

  getAllowList: () => request<AllowList>('GET', '/settings/login-allow-list'),

  saveAllowList: (enabled: boolean, entries: string[], confirm: boolean) =>
    request<AllowList>('PUT', '/settings/login-allow-list', { body: { enabled, entries, confirm } }),

  getCheckup: () => request<{ findings: Finding[] }>('GET', '/security/checkup').then((r) => r.findings),

  listCameras: () => request<{ cameras: Camera[] }>('GET', '/cameras').then((r) => r.cameras),

  addCamera: (camera: CameraInput) => request<{ camera: Camera; probe: ProbeOutcome }>('POST', '/cameras', { body: camera }),

  updateCamera: (id: number, change: Partial<CameraInput>) =>
    request<{ camera: Camera; probe?: ProbeOutcome }>('PATCH', `/cameras/${id}`, { body: change }),

  removeCamera: (id: number) => request<{ message: string }>('DELETE', `/cameras/${id}`),

  probeCamera: (source: Pick<CameraInput, 'url' | 'username' | 'password' | 'transport'>) =>
    request<ProbeOutcome>('POST', '/cameras/probe', { body: source }),

  /** Probes a camera as the edit would leave it: an absent password means the stored one, if it stays. */
  probeCameraEdit: (id: number, change: Partial<Pick<CameraInput, 'url' | 'username' | 'password' | 'transport'>>) =>
    request<ProbeOutcome>('POST', `/cameras/${id}/probe`, { body: change }),
};
