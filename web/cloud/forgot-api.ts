// Forgot password (/api/v1/password/...): a code to the address, the code for a reset grant, the grant and a new password.
import type { Address } from './address.js';
import { callSignedOut } from './api.js';

/** The same answer whether or not an account has the address. */
export interface ResetCodeSent {
  requestId: string;
  expiresAt: string;
  message: string;
}

export const forgotApi = {
  sendCode: (address: Address) => callSignedOut<ResetCodeSent>('POST', '/password/forgot', address),
  verifyCode: (requestId: string, code: string) => callSignedOut<{ grant: string; expiresAt: string }>('POST', '/password/forgot/verify', { requestId, code }),
  resetPassword: (grant: string, newPassword: string) =>
    callSignedOut<{ reset: true; revokedSessions: number }>('POST', '/password/reset', { grant, newPassword }),
};
