// JSON schemas of the cloud's two-factor routes; the second step's body, the same as the recorder's,
// is in src/shared/http/second-factor-body.ts.

export const password = { type: 'string', minLength: 1, maxLength: 1024 } as const;

/** A change that needs the password again. */
export const reauthBody = {
  type: 'object',
  required: ['currentPassword'],
  additionalProperties: false,
  properties: { currentPassword: password },
} as const;
