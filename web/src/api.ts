// Tiny fetch wrapper for the recorder API (/api/v1, same origin, JSON). What each call sends and
// answers is typed from the route schemas in src/recorder/api: nothing here mirrors them.
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import type { Activated } from '../../src/recorder/api/activation.js';
import type {
  ActivateCameraBody,
  Camera,
  CameraAdded,
  CameraChangeBody,
  CameraChanged,
  CameraDiscovery,
  CameraList,
  CameraRemoved,
  NewCameraBody,
  OnvifCameraBody,
  ProbeBody,
  ProbeEditBody,
  ProbeOutcome,
} from '../../src/recorder/api/cameras.js';
import type { Device } from '../../src/recorder/api/device.js';
import type { LanDeviceScan } from '../../src/recorder/api/lan-devices.js';
import type { LockoutList } from '../../src/recorder/api/lockouts.js';
import type { StorageHistory, StorageStatus } from '../../src/recorder/api/storage.js';
import type { NotificationEmail } from '../../src/recorder/api/notification-email.js';
import type {
  AllowList,
  Checkup,
  MailSettings,
  MailSettingsBody,
  PasswordAge,
  TestMailSent,
} from '../../src/recorder/api/security-settings.js';
import type { LoginState, PasswordChanged, SessionList } from '../../src/recorder/api/sessions.js';
import type {
  Passkey,
  PasskeyList,
  PasskeyRegistered,
  RecoveryCodes,
  SecondFactorChallenge as SecondFactorChallengeBody,
  SecondFactorBody,
  TotpEnrolment,
  TwoFactorPolicy,
  TwoFactorStatus,
} from '../../src/recorder/api/two-factor.js';
import type { ManagedUser, NewUser, PasswordReset, UserChangeBody, UserList } from '../../src/recorder/api/users.js';
import type { Role } from '../../src/recorder/accounts/permissions.js';
import { ApiError, callApi } from '../shared/api-error.js';

export type { AllowList, Camera, Device, StorageHistory, StorageStatus, MailSettings, ManagedUser, Passkey, ProbeOutcome, TotpEnrolment, TwoFactorStatus };
export type { IssuedPassword } from '../../src/recorder/api/users.js';
export type { CameraTransport, FoundCamera, OnvifCameraBody, ProbeResult } from '../../src/recorder/api/cameras.js';
export type { Lockout } from '../../src/recorder/api/lockouts.js';
export type { LanDevice } from '../../src/recorder/api/lan-devices.js';
export type { SmtpSecurity } from '../../src/recorder/api/security-settings.js';

/** Who is logged in: the answer of a login and of GET /me. */
export type Me = LoginState;

/** A string sets the SMTP password, null removes it, absent keeps it. */
export type MailSettingsInput = MailSettingsBody;

/** The camera form's fields: a string sets the camera password, null removes it, absent keeps it. */
export type CameraInput = Required<Omit<NewCameraBody, 'password'>> & Pick<NewCameraBody, 'password'>;

/**
 * A right password for an account with two-factor: the login finishes with POST /sessions/second-factor.
 * The schema leaves a passkey's options to the WebAuthn standard; here they get its type.
 */
export type SecondFactorChallenge = Omit<SecondFactorChallengeBody, 'webauthn'> & { webauthn?: PublicKeyCredentialRequestOptionsJSON };

export type SecondFactorProof = Omit<SecondFactorBody, 'challenge'>;

export { ApiError };

const RECORDER = { name: 'the recorder' };

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
  const headers: Record<string, string> = {};
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  try {
    return await callApi<T>(RECORDER, method, `/api/v1${path}`, options.body, headers);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'unauthenticated' && options.authenticated !== false) {
      csrfToken = null;
      onSessionEnded();
    }
    throw error;
  }
}

export const api = {
  getDevice: () => request<Device>('GET', '/device', { authenticated: false }),

  activate: (labelCode: string, password: string) =>
    request<Activated>('POST', '/activate', { body: { labelCode, password }, authenticated: false }),

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
    request<RecoveryCodes>('POST', '/me/2fa/totp/confirm', { body: { currentPassword, code } }).then((r) => r.recoveryCodes),

  regenerateRecoveryCodes: (currentPassword: string) =>
    request<RecoveryCodes>('POST', '/me/2fa/recovery-codes', { body: { currentPassword } }).then((r) => r.recoveryCodes),

  listPasskeys: () => request<PasskeyList>('GET', '/me/2fa/passkeys').then((r) => r.passkeys),

  startPasskeyRegistration: (currentPassword: string) =>
    request<PublicKeyCredentialCreationOptionsJSON>('POST', '/me/2fa/passkeys/registration', { body: { currentPassword } }),

  finishPasskeyRegistration: (name: string, response: RegistrationResponseJSON) =>
    request<PasskeyRegistered>('POST', '/me/2fa/passkeys', { body: { name, response } }).then((r) => r.recoveryCodes),

  removePasskey: (id: number, currentPassword: string) =>
    request<void>('POST', `/me/2fa/passkeys/${id}/remove`, { body: { currentPassword } }),

  disableTwoFactor: (currentPassword: string) => request<void>('POST', '/me/2fa/disable', { body: { currentPassword } }),

  getTwoFactorPolicy: () => request<TwoFactorPolicy>('GET', '/settings/two-factor').then((r) => r.required),

  setTwoFactorPolicy: (required: boolean, currentPassword: string) =>
    request<TwoFactorPolicy>('PUT', '/settings/two-factor', { body: { required, currentPassword } }).then((r) => r.required),

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

  listSessions: () => request<SessionList>('GET', '/sessions').then((r) => r.sessions),

  revokeSession: (id: string) => request<void>('DELETE', `/sessions/${encodeURIComponent(id)}`),

  listUsers: () => request<UserList>('GET', '/users').then((r) => r.users),

  createUser: (username: string, role: Role) =>
    request<NewUser>('POST', '/users', { body: { username, role } }),

  updateUser: (id: number, change: UserChangeBody) =>
    request<ManagedUser>('PATCH', `/users/${id}`, { body: change }),

  deleteUser: (id: number) => request<void>('DELETE', `/users/${id}`),

  resetUserPassword: (id: number) => request<PasswordReset>('POST', `/users/${id}/password-reset`),
  listLockouts: () => request<LockoutList>('GET', '/lockouts'),

  unlock: (id: string) => request<void>('DELETE', `/lockouts/${encodeURIComponent(id)}`),

  changePassword: (currentPassword: string, newPassword: string) =>
    request<PasswordChanged>('POST', '/me/password', { body: { currentPassword, newPassword } }),

  getNotificationEmail: () => request<NotificationEmail>('GET', '/me/notification-email').then((r) => r.email),

  setNotificationEmail: (email: string | null, currentPassword: string) =>
    request<NotificationEmail>('PUT', '/me/notification-email', { body: { email, currentPassword } }).then((r) => r.email),

  getMailSettings: () => request<MailSettings>('GET', '/settings/mail'),

  saveMailSettings: (settings: MailSettingsInput) => request<MailSettings>('PUT', '/settings/mail', { body: settings }),

  sendTestMail: (to: string) => request<TestMailSent>('POST', '/settings/mail/test', { body: { to } }),

  getPasswordAge: () => request<PasswordAge>('GET', '/settings/password-age').then((r) => r.maxPasswordAgeDays),

  savePasswordAge: (maxPasswordAgeDays: number | null) =>
    request<PasswordAge>('PUT', '/settings/password-age', { body: { maxPasswordAgeDays } }).then(
      (r) => r.maxPasswordAgeDays,
    ),

  getAllowList: () => request<AllowList>('GET', '/settings/login-allow-list'),

  saveAllowList: (enabled: boolean, entries: string[], confirm: boolean) =>
    request<AllowList>('PUT', '/settings/login-allow-list', { body: { enabled, entries, confirm } }),

  getCheckup: () => request<Checkup>('GET', '/security/checkup').then((r) => r.findings),

  listCameras: () => request<CameraList>('GET', '/cameras').then((r) => r.cameras),
  /** With whether some cameras are not shared with me. */
  cameraList: () => request<CameraList>('GET', '/cameras'),

  getStorage: () => request<StorageStatus>('GET', '/storage'),

  /** Days as this browser counts them: getTimezoneOffset is minutes west of UTC. */
  getStorageHistory: () => request<StorageHistory>('GET', `/storage/history?utcOffsetMinutes=${-new Date().getTimezoneOffset()}`),

  addCamera: (camera: CameraInput) => request<CameraAdded>('POST', '/cameras', { body: camera }),

  updateCamera: (id: number, change: CameraChangeBody) =>
    request<CameraChanged>('PATCH', `/cameras/${id}`, { body: change }),

  removeCamera: (id: number) => request<CameraRemoved>('DELETE', `/cameras/${id}`),

  /** Scans the LAN by WS-Discovery: takes a few seconds. */
  findCameras: () => request<CameraDiscovery>('POST', '/cameras/discovery', { body: {} }),

  /** The Vigil recorders and cameras on the recorder's LAN, each answer checked against its device key (a few seconds). */
  findLanDevices: () => request<LanDeviceScan>('POST', '/lan-devices/scan', { body: {} }),

  /** Adds a found camera by its ONVIF service: the recorder learns its stream with this login. */
  addOnvifCamera: (camera: OnvifCameraBody) => request<CameraAdded>('POST', '/cameras/onvif', { body: camera }),

  /** Activates a Vigil camera with its label code; the recorder chooses and keeps its password, then adds it. */
  activateCamera: (camera: ActivateCameraBody) => request<CameraAdded>('POST', '/cameras/activate', { body: camera }),

  probeCamera: (source: ProbeBody) =>
    request<ProbeOutcome>('POST', '/cameras/probe', { body: source }),

  /** Probes a camera as the edit would leave it: an absent password means the stored one, if it stays. */
  probeCameraEdit: (id: number, change: ProbeEditBody) =>
    request<ProbeOutcome>('POST', `/cameras/${id}/probe`, { body: change }),
};
