// Security questions: an admin sets them, the recovery wizard answers them. The schemas of these
// routes, and the types clients read them by.
import { passwordInput } from './common.js';
import { secondFactorFields } from './recovery.js';
import type { Served } from './served.js';

export const QUESTION_COUNT = 3;
export const CUSTOM_QUESTION_MAX_LENGTH = 200;
export const ANSWER_MAX_LENGTH = 200;

const threeOf = <const T>(items: T) => ({ type: 'array', minItems: QUESTION_COUNT, maxItems: QUESTION_COUNT, items }) as const;

const username = { type: 'string', minLength: 1, maxLength: 64 } as const;

// Room for the spaces normalisation removes; the policy then checks the normalised length. A bound
// all the same: nothing unbounded reaches argon2.
const answer = { type: 'string', maxLength: ANSWER_MAX_LENGTH * 4 } as const;

export const questionsBody = {
  type: 'object',
  required: ['questions'],
  properties: { questions: { type: 'array', items: { type: 'string' } } },
} as const;

export const statusBody = {
  type: 'object',
  required: ['set', 'questions'],
  properties: { set: { type: 'boolean' }, questions: { type: 'array', items: { type: 'string' } } },
} as const;

/** PUT /me/recovery/questions. */
export const questionsSetupBody = {
  type: 'object',
  required: ['currentPassword', 'questions'],
  additionalProperties: false,
  properties: {
    currentPassword: passwordInput,
    questions: threeOf({
      type: 'object',
      required: ['question', 'answer'],
      additionalProperties: false,
      // Room for spaces that are tidied away; the policy checks the tidied length.
      properties: { question: { type: 'string', maxLength: CUSTOM_QUESTION_MAX_LENGTH * 2 }, answer },
    }),
  },
} as const;

/** POST /recovery/questions. */
export const questionsRequestBody = { type: 'object', required: ['username'], additionalProperties: false, properties: { username } } as const;

/** POST /recovery/questions/verify: the answers and, when the account has two-factor login, the second factor. */
export const answersBody = {
  type: 'object',
  required: ['username', 'answers'],
  additionalProperties: false,
  properties: { username, answers: threeOf(answer), ...secondFactorFields },
} as const;

export type SecurityQuestionsStatus = Served<typeof statusBody>;
export type QuestionsSetupBody = Served<typeof questionsSetupBody>;
export type Questions = Served<typeof questionsBody>;
export type AnswersBody = Served<typeof answersBody>;
