// The recorder API of two recovery paths: the security questions and the recovery key file.
import { request } from '../api.js';
import type { RecoverySettings } from '../../../src/recorder/api/recovery.js';
import type { RecoveryKeyFile, RecoveryKeyStatus } from '../../../src/recorder/api/recovery-key.js';
import type { Questions, SecurityQuestionsStatus } from '../../../src/recorder/api/security-questions.js';
import type { ResetGrant } from './types.js';

export type { RecoveryKeyFile, RecoveryKeyStatus, SecurityQuestionsStatus };

/** The second factor, when the account has one: a code from the authenticator app or a recovery code. */
export type SecondFactorCode = { totp: string } | { recoveryCode: string } | Record<string, never>;

export const getMySecurityQuestions = () => request<SecurityQuestionsStatus>('GET', '/me/recovery/questions');

export const setMySecurityQuestions = (currentPassword: string, questions: { question: string; answer: string }[]) =>
  request<SecurityQuestionsStatus>('PUT', '/me/recovery/questions', { body: { currentPassword, questions } });

/** How long 5 wrong answers block the questions; a recorder-wide setting, changed on its own. */
export const getQuestionBlockMinutes = () =>
  request<RecoverySettings>('GET', '/settings/recovery').then((r) => r.questionBlockMinutes);

export const setQuestionBlockMinutes = (questionBlockMinutes: number) =>
  request<RecoverySettings>('PUT', '/settings/recovery', { body: { questionBlockMinutes } }).then((r) => r.questionBlockMinutes);

export const getMyRecoveryKey = () => request<RecoveryKeyStatus>('GET', '/me/recovery/key');

export const createMyRecoveryKey = (currentPassword: string, secondFactor: SecondFactorCode) =>
  request<RecoveryKeyFile>('POST', '/me/recovery/key', { body: { currentPassword, ...secondFactor } });

export const securityQuestionsFor = (username: string) =>
  request<Questions>('POST', '/recovery/questions', { body: { username }, authenticated: false }).then((r) => r.questions);

export const answerSecurityQuestions = (username: string, answers: string[], secondFactor: SecondFactorCode) =>
  request<ResetGrant>('POST', '/recovery/questions/verify', { body: { username, answers, ...secondFactor }, authenticated: false });

export const importRecoveryKey = (file: string) =>
  request<ResetGrant>('POST', '/recovery/key/verify', { body: { file }, authenticated: false });
