// JSON schemas shared by several routes. Every string has a bound: nothing unbounded reaches a hash.

/** Long enough for any acceptable password (128 code points of up to 4 UTF-16 units), short enough to hash cheaply. */
export const passwordInput = { type: 'string', minLength: 1, maxLength: 1024 } as const;

export const userSummary = {
  type: 'object',
  required: ['id', 'username', 'role'],
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    role: { type: 'string', enum: ['admin', 'operator', 'viewer'] },
  },
} as const;

export const passwordReasons = {
  type: 'array',
  items: {
    type: 'object',
    required: ['code', 'message'],
    properties: { code: { type: 'string' }, message: { type: 'string' } },
  },
} as const;

export const isoTime = { type: 'string', format: 'date-time' } as const;
