import { request } from '../api.js';
import type { RecoveryReadiness, RecoveryReset, RecoverySettings } from '../../../src/recorder/api/recovery.js';

export type { RecoveryReadiness, RecoverySettings };

/** The calls the wizard shell and the Recovery settings page make; each path keeps its own calls in its own file. */
export const recoveryApi = {
  reset: (token: string, newPassword: string, clearTwoFactor: boolean) =>
    request<RecoveryReset>('POST', '/recovery/reset', {
      body: { token, newPassword, clearTwoFactor },
      authenticated: false,
    }),
  readiness: () => request<RecoveryReadiness>('GET', '/recovery/readiness'),
  settings: () => request<RecoverySettings>('GET', '/settings/recovery'),
  saveSettings: (settings: Partial<RecoverySettings>) => request<RecoverySettings>('PUT', '/settings/recovery', { body: settings }),
};
