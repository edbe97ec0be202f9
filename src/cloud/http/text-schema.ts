/**
 * JSON-schema pieces for text the cloud stores or looks up. PostgreSQL's text cannot hold a NUL
 * character (SQLite's can): one in a login name would fail the query and answer 500, so the routes
 * refuse it as a bad request first.
 */
export const NO_NUL = '^[^\\u0000]*$';

export const storedText = (minLength: number, maxLength: number) => ({ type: 'string', minLength, maxLength, pattern: NO_NUL }) as const;

/** An email address, loosely (one @, no spaces): what matters is that a code sent there arrives. */
export const emailAddress = { type: 'string', minLength: 3, maxLength: 254, pattern: '^[^\\s@\\u0000]+@[^\\s@\\u0000]+$' } as const;

/** A phone number in E.164 form ("+" and up to 15 digits): the form an SMS gateway takes and an account keeps. */
export const phoneNumber = { type: 'string', pattern: '^\\+[1-9][0-9]{6,14}$' } as const;

/** The body that brings a sent code back: the request it answers and the code's 8 digits. */
export const codeAnswerBody = {
  type: 'object',
  required: ['requestId', 'code'],
  additionalProperties: false,
  properties: { requestId: storedText(1, 64), code: { type: 'string', pattern: '^[0-9]{8}$' } },
} as const;
