// Recovery with the reset button and the label code: the schema of the route's body.

/** POST /recovery/button/verify. */
export const buttonEvidenceBody = {
  type: 'object',
  required: ['username', 'labelCode'],
  additionalProperties: false,
  properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, labelCode: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;
