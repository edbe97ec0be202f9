// The owner's two-step login at the cloud (/api/v1/account/2fa): what TwoFactorSettings calls.
import type { TwoFactorApi } from '../shared/TwoFactorSettings.js';
import { call } from './api.js';

interface RecoveryCodes {
  recoveryCodes: string[];
}

export const cloudTwoFactor: TwoFactorApi = {
  startTotp: (currentPassword) => call('POST', '/account/2fa/totp', { currentPassword }),
  confirmTotp: (currentPassword, code) =>
    call<RecoveryCodes>('POST', '/account/2fa/totp/confirm', { currentPassword, code }).then((r) => r.recoveryCodes),
  regenerateRecoveryCodes: (currentPassword) => call<RecoveryCodes>('POST', '/account/2fa/recovery-codes', { currentPassword }).then((r) => r.recoveryCodes),
  listPasskeys: () => call<{ passkeys: Awaited<ReturnType<TwoFactorApi['listPasskeys']>> }>('GET', '/account/2fa/passkeys').then((r) => r.passkeys),
  startPasskeyRegistration: (currentPassword) => call('POST', '/account/2fa/passkeys/registration', { currentPassword }),
  finishPasskeyRegistration: (name, response) =>
    call<{ recoveryCodes: string[] | null }>('POST', '/account/2fa/passkeys', { name, response }).then((r) => r.recoveryCodes),
  removePasskey: (id, currentPassword) => call('DELETE', `/account/2fa/passkeys/${id}`, { currentPassword }),
  disableTwoFactor: (currentPassword) => call('DELETE', '/account/2fa', { currentPassword }),
};
