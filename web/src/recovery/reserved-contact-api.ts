// The API calls of the reserved email / phone path and the password hint.
import { ApiError, request } from '../api.js';
import type {
  CodeRequest,
  CodeVerifyBody,
  ContactStatus,
  HintRequested,
  SmsGatewayBody,
  SmsGatewaySettings,
} from '../../../src/recorder/api/reserved-contact.js';
import type { ContactChannel } from '../../../src/recorder/api/recovery-methods.js';
import type { ResetGrant } from './types.js';

export type { ContactChannel, ContactStatus, SmsGatewaySettings };
export type ChannelStatus = ContactStatus['email'];

/** The shared hints explain authenticator codes; a mailed or texted code is typed from the message. */
async function withCodeError<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'invalid_code') {
      throw new ApiError(error.status, 'invalid_contact_code', error.message, error.details, error.retryAfter);
    }
    throw error;
  }
}

export const reservedContactApi = {
  status: () => request<ContactStatus>('GET', '/me/recovery/contacts'),
  startSetup: (channel: ContactChannel, address: string, currentPassword: string) =>
    request<ContactStatus>('PUT', `/me/recovery/contacts/${channel}`, { body: { address, currentPassword } }),
  confirmSetup: (channel: ContactChannel, code: string) =>
    withCodeError(request<ContactStatus>('POST', `/me/recovery/contacts/${channel}/confirm`, { body: { code } })),
  remove: (channel: ContactChannel, currentPassword: string) =>
    request<ContactStatus>('POST', `/me/recovery/contacts/${channel}/remove`, { body: { currentPassword } }),
  setHint: (hint: string | null, currentPassword: string) => request<ContactStatus>('PUT', '/me/recovery/hint', { body: { hint, currentPassword } }),
  smsGateway: () => request<SmsGatewaySettings>('GET', '/settings/sms-gateway'),
  saveSmsGateway: (settings: SmsGatewayBody) =>
    request<SmsGatewaySettings>('PUT', '/settings/sms-gateway', { body: settings }),

  requestCode: (username: string, channel: ContactChannel, address: string) =>
    request<CodeRequest>('POST', '/recovery/code', { body: { username, channel, address }, authenticated: false }),
  verifyCode: (body: CodeVerifyBody) =>
    withCodeError(request<ResetGrant>('POST', '/recovery/code/verify', { body, authenticated: false })),
  requestHint: (username: string, address: string) =>
    request<HintRequested>('POST', '/recovery/hint', { body: { username, address }, authenticated: false }),
};
