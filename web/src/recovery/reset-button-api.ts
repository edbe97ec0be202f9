import { request } from '../api.js';
import type { FactoryReset } from '../../../src/recorder/api/device-reset.js';
import type { ResetGrant } from './types.js';

/** The label code during the 10 minutes after a short press of the reset button. */
export const verifyButtonLabelCode = (username: string, labelCode: string) =>
  request<ResetGrant>('POST', '/recovery/button/verify', { body: { username, labelCode }, authenticated: false });

export const restoreDefaults = (confirm: string, currentPassword: string) =>
  request<void>('POST', '/device/restore-defaults', { body: { confirm, currentPassword } });

export const factoryReset = (confirm: string, currentPassword: string) =>
  request<FactoryReset>('POST', '/device/factory-reset', { body: { confirm, currentPassword } });
