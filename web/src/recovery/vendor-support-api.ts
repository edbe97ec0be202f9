// The vendor support path's calls to the recorder.
import { request } from '../api.js';
import type { ResetGrant } from './types.js';

/** The signed request file, as the recorder writes it; the browser only saves it. */
export interface SupportResetRequest {
  serial: string;
  [field: string]: string;
}

export interface VendorKeyStatus {
  installed: boolean;
  fingerprint: string | null;
}

export const requestSupportReset = (username: string) =>
  request<SupportResetRequest>('POST', '/recovery/support/request', { body: { username }, authenticated: false });

export const importSupportResponse = (file: string) =>
  request<ResetGrant>('POST', '/recovery/support/verify', { body: { file }, authenticated: false });

export const getVendorKey = () => request<VendorKeyStatus>('GET', '/recovery/support/vendor-key');
