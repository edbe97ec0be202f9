import { request } from '../api.js';
import type { RecoveryReadiness } from '../../../src/recorder/api/recovery-methods.js';

export type { RecoveryReadiness };

export interface RecoverySettings {
  weakPathsLanOnly: boolean;
}

/** The calls the wizard shell and the Recovery settings page make; each path keeps its own calls in its own file. */
export const recoveryApi = {
  reset: (token: string, newPassword: string, clearTwoFactor: boolean) =>
    request<{ username: string; revokedSessions: number; twoFactorCleared: boolean }>('POST', '/recovery/reset', {
      body: { token, newPassword, clearTwoFactor },
      authenticated: false,
    }),
  readiness: () => request<RecoveryReadiness>('GET', '/recovery/readiness'),
  settings: () => request<RecoverySettings>('GET', '/settings/recovery'),
  saveSettings: (settings: RecoverySettings) => request<RecoverySettings>('PUT', '/settings/recovery', { body: settings }),
};
