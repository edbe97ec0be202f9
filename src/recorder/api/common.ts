// JSON schemas shared by several routes and their types. Every string has a bound: nothing unbounded reaches a hash.

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

/**
 * A mail address: one `@`, a dot in the domain, no spaces, control characters, quotes or brackets,
 * so it can never carry a second address or a header into a mail.
 */
export const emailAddress = {
  type: 'string',
  minLength: 5,
  maxLength: 254,
  pattern: '^[^\\s@<>(),;:"\\[\\]\\\\\\u0000-\\u001f\\u007f]+@[^\\s@<>(),;:"\\[\\]\\\\\\u0000-\\u001f\\u007f]+\\.[^\\s@<>(),;:"\\[\\]\\\\\\u0000-\\u001f\\u007f.]+$',
} as const;
