// The vendor support path's calls to the recorder.
import { request } from '../api.js';
import type { SupportResetRequest, VendorKeyStatus } from '../../../src/recorder/api/vendor-support.js';
import type { ResetGrant } from './types.js';

export type { SupportResetRequest, VendorKeyStatus };

export const requestSupportReset = (username: string) =>
  request<SupportResetRequest>('POST', '/recovery/support/request', { body: { username }, authenticated: false });

export const importSupportResponse = (file: string) =>
  request<ResetGrant>('POST', '/recovery/support/verify', { body: { file }, authenticated: false });

export const getVendorKey = () => request<VendorKeyStatus>('GET', '/recovery/support/vendor-key');
