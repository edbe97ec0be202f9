// Restore defaults and factory reset: the schemas of these routes, and the types clients read them by.
import { passwordInput } from './common.js';
import type { Served } from './served.js';

export const confirmedBody = {
  type: 'object',
  required: ['confirm', 'currentPassword'],
  additionalProperties: false,
  properties: { confirm: { type: 'string', maxLength: 64 }, currentPassword: passwordInput },
} as const;

/** POST /device/factory-reset: the recorder is inactive again. */
export const factoryResetSchema = { type: 'object', required: ['activated'], properties: { activated: { type: 'boolean' } } } as const;

export type ConfirmedBody = Served<typeof confirmedBody>;
export type FactoryReset = Served<typeof factoryResetSchema>;
