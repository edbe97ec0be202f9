// The cloud's API (/api/v1, same origin, JSON) as the cloud's UI calls it. Its session is the
// `__Host-` cookie (SameSite=Strict, so no other site can send a request with it): no token here.
import { ApiError, callApi } from '../shared/api-error.js';
import type { SecondFactorChallenge, SecondFactorProof } from '../shared/SecondFactorStep.js';
import type { Address } from './address.js';

export { ApiError };

const CLOUD = { name: 'the cloud' };

let onSessionEnded: () => void = () => {};

/** Called when a request that needs the session is refused for the want of one (it ended: idle, expired, revoked). */
export function setSessionEndedHandler(handler: () => void): void {
  onSessionEnded = handler;
}

/** For the requests made before login, and the probe at start: a 401 there is no ended session. */
export const callSignedOut = <T>(method: string, path: string, body?: unknown) => callApi<T>(CLOUD, method, `/api/v1${path}`, body, {});

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  try {
    return await callSignedOut<T>(method, path, body);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_logged_in') onSessionEnded();
    throw error;
  }
}

/** A sign-up was taken in: the same answer whether or not the address could be used. */
export interface SignUpStarted {
  requestId: string;
  message: string;
}

/** The logged-in owner's account (GET /api/v1/account). */
export interface Account {
  id: number;
  email: string | null;
  phone: string | null;
  /** totp is `pending` between the start of an enrolment and its first right code. */
  twoFactor: { methods: string[]; totp: 'off' | 'pending' | 'on'; passkeys: number; recoveryCodesRemaining: number };
}

export interface CloudSession {
  id: string;
  current: boolean;
  /** The browser or app, as the cloud names it from its User-Agent. */
  client: string;
  createdAt: string;
  createdIp: string;
  lastSeenAt: string;
  lastSeenIp: string;
}

export const api = {
  signUp: (address: Address, password: string) => callSignedOut<SignUpStarted>('POST', '/signup', { ...address, password }),

  verifySignUp: (requestId: string, code: string) => callSignedOut<{ verified: true }>('POST', '/signup/verify', { requestId, code }),

  /** Either a complete login (the session cookie is set) or the challenge of its second step. */
  logIn: (address: Address, password: string) =>
    callSignedOut<{ accountId: number } | (SecondFactorChallenge & { secondFactorRequired: true })>('POST', '/login', { ...address, password }),

  completeSecondFactor: (challenge: string, proof: SecondFactorProof) =>
    callSignedOut<{ accountId: number }>('POST', '/login/second-factor', { challenge, ...proof }),

  /** The logged-in account, or null without a session (at start, or once it ended). */
  async getAccount(): Promise<Account | null> {
    try {
      return await callSignedOut<Account>('GET', '/account');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },

  logOut: () => callSignedOut<void>('POST', '/logout'),

  listSessions: () => call<{ sessions: CloudSession[] }>('GET', '/account/sessions').then((r) => r.sessions),

  endSession: (id: string) => call<void>('DELETE', `/account/sessions/${encodeURIComponent(id)}`),

  endOtherSessions: () => call<{ ended: number }>('POST', '/account/sessions/revoke-others').then((r) => r.ended),

  changePassword: (currentPassword: string, newPassword: string) =>
    call<{ changed: true; endedSessions: number }>('POST', '/account/password', { currentPassword, newPassword }),
};
