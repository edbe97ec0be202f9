// Recovery through the vendor's support desk: the schemas of these routes, and the types clients read them by.
import type { Served } from './served.js';

const stringField = { type: 'string' } as const;

/** POST /recovery/support/request. */
export const supportRequestBody = {
  type: 'object',
  required: ['username'],
  additionalProperties: false,
  // The pattern every account name follows: anything else cannot be an account.
  properties: { username: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,32}$' } },
} as const;

/** POST /recovery/support/request: the signed reset request, to send to support as a file. */
export const supportRequestSchema = {
  type: 'object',
  required: ['format', 'serial', 'model', 'devicePublicKey', 'username', 'nonce', 'createdAt', 'signature'],
  properties: {
    format: stringField,
    serial: stringField,
    model: stringField,
    devicePublicKey: stringField,
    username: stringField,
    nonce: stringField,
    createdAt: stringField,
    signature: stringField,
  },
} as const;

/** GET /recovery/support/vendor-key. */
export const vendorKeySchema = {
  type: 'object',
  required: ['installed', 'fingerprint'],
  properties: { installed: { type: 'boolean' }, fingerprint: { type: ['string', 'null'] } },
} as const;

export type SupportResetRequest = Served<typeof supportRequestSchema>;
export type VendorKeyStatus = Served<typeof vendorKeySchema>;
