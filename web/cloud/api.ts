// The cloud's API (/api/v1, same origin, JSON) as the cloud's UI calls it.
import { ApiError, callApi } from '../shared/api-error.js';

export { ApiError };

const CLOUD = { name: 'the cloud' };

const call = <T>(method: string, path: string, body?: unknown) => callApi<T>(CLOUD, method, `/api/v1${path}`, body, {});

/** A sign-up was taken in: the same answer whether or not the address could be used. */
export interface SignUpStarted {
  requestId: string;
  message: string;
}

export const api = {
  signUp: (email: string, password: string) => call<SignUpStarted>('POST', '/signup', { email, password }),

  verifySignUp: (requestId: string, code: string) => call<{ verified: true }>('POST', '/signup/verify', { requestId, code }),

  logIn: (email: string, password: string) => call<{ accountId: number }>('POST', '/login', { email, password }),
};
