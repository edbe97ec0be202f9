import { hmacHex } from '../../shared/secrets.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import { countFailedAttempt, type FailureCounting } from '../accounts/failed-attempts.js';
import { loginAccount } from '../../identity/lockout/login-lockout.js';
import { reauthenticate } from '../accounts/reauthenticate.js';
import type { Authenticated } from '../accounts/sessions.js';
import type { FactorChecking } from '../../identity/two-factor/factor-checks.js';
import type { RecoveryStore } from '../db/recovery-store.js';
import type { SecurityQuestionsRecord, SecurityQuestionsStore } from '../db/security-questions-store.js';
import type { RecorderStore, UserRecord } from '../db/store.js';
import type { MethodLockPolicy } from '../../identity/lockout/method-lock.js';
import { QUESTION_COUNT } from '../api/security-questions.js';
import type { MethodLocks } from './method-lock.js';
import { issueResetGrant, type GrantIssuing, type ResetGrant } from './reset-grant.js';
import {
  checkQuestionsAndAnswers,
  decoyQuestions,
  normaliseAnswer,
  tidyQuestion,
  type QuestionAndAnswer,
  type QuestionProblem,
} from './security-questions-policy.js';
import { checkRecoverySecondFactor, weakPathAllowed, type RecoverySecondFactorProof } from './weak-path-guard.js';

const METHOD = 'securityQuestions';
export const QUESTION_MAX_FAILURES = 5;

/** What the security questions path goes through: the accounts, the questions and answer hashes, the method's lock, the second factors. */
export interface SecurityQuestionsPath extends FailureCounting, GrantIssuing, FactorChecking {
  store: Pick<RecorderStore, 'transaction' | 'findUserByUsername' | 'getDevice'>;
  hasher: PasswordHasher;
  recovery: Pick<RecoveryStore, 'getSettings' | 'insertGrant'>;
  securityQuestions: Pick<SecurityQuestionsStore, 'get' | 'put'>;
  methodLocks: Pick<MethodLocks, 'state' | 'fail' | 'clear'>;
}

export function questionLockPolicy(ctx: { recovery: Pick<RecoveryStore, 'getSettings'> }): MethodLockPolicy {
  return { maxFailures: QUESTION_MAX_FAILURES, blockSeconds: ctx.recovery.getSettings().questionBlockMinutes * 60 };
}

/** The questions of an admin who set them up; undefined for anyone else, whatever is stored. */
function configuredFor(ctx: SecurityQuestionsPath, user: UserRecord | undefined): SecurityQuestionsRecord | undefined {
  return user?.role === 'admin' ? ctx.securityQuestions.get(user.id) : undefined;
}

export function securityQuestionsStatus(ctx: SecurityQuestionsPath, userId: number): { set: boolean; questions: string[] } {
  const record = ctx.securityQuestions.get(userId);
  return record ? { set: true, questions: record.questions } : { set: false, questions: [] };
}

export type SetQuestionsOutcome =
  | { ok: true; questions: string[] }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid_current_password' }
  | { ok: false; reason: 'questions_rejected'; problems: QuestionProblem[] };

/** The logged-in admin sets (or replaces) their three questions; the current password proves it is them. */
export async function setSecurityQuestions(
  ctx: SecurityQuestionsPath,
  auth: Authenticated,
  input: { currentPassword: string; entries: QuestionAndAnswer[]; sourceIp: string },
): Promise<SetQuestionsOutcome> {
  const problems = checkQuestionsAndAnswers(input.entries);
  if (problems.length > 0) return { ok: false, reason: 'questions_rejected', problems };
  const reauth = await reauthenticate(ctx, auth, input.currentPassword, input.sourceIp);
  if (!reauth.ok) return reauth;

  const questions = input.entries.map((e) => tidyQuestion(e.question));
  const answerHashes = await Promise.all(input.entries.map((e) => ctx.hasher.hash(normaliseAnswer(e.answer))));
  ctx.store.transaction(() => {
    const replaced = ctx.securityQuestions.get(auth.user.id) !== undefined;
    ctx.securityQuestions.put({ userId: auth.user.id, questions, answerHashes, updatedAt: ctx.clock.now() });
    ctx.audit.append({
      type: 'recovery.method_changed',
      outcome: 'success',
      actor: { id: auth.user.id, username: auth.user.username },
      sourceIp: input.sourceIp,
      target: `user:${auth.user.id}`,
      details: { method: METHOD, change: replaced ? 'replaced' : 'set' },
    });
  });
  return { ok: true, questions };
}

export type QuestionsForOutcome = { ok: true; questions: string[] } | { ok: false; reason: 'lan_only' };

/**
 * The questions to answer for `username`. Anyone who is not an admin with questions gets three
 * decoys, the same ones each time, so the answer does not tell whether the account exists.
 */
export function questionsFor(ctx: SecurityQuestionsPath, input: { username: string; sourceIp: string }): QuestionsForOutcome {
  if (!weakPathAllowed(ctx, input.sourceIp)) return { ok: false, reason: 'lan_only' };
  const configured = configuredFor(ctx, ctx.store.findUserByUsername(input.username));
  if (configured) return { ok: true, questions: configured.questions };
  // Keyed like the account the name could be (ASCII case folded, as the database does); public
  // routes answer only once the recorder is activated, so the device record exists.
  const nameKey = loginAccount(undefined, input.username).key;
  const seed = Buffer.from(hmacHex(ctx.store.getDevice()!.serverSecret, `security-question-decoys\n${nameKey}`), 'hex');
  return { ok: true, questions: decoyQuestions(seed) };
}

export type VerifyAnswersOutcome =
  | { ok: true; grant: ResetGrant }
  | { ok: false; reason: 'lan_only' }
  | { ok: false; reason: 'blocked'; retryAfterSeconds: number }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  /** Wrong answers, or right ones without the account's second factor: one answer, see below. */
  | { ok: false; reason: 'invalid_answers' };

/**
 * Always three argon2 checks, against dummy hashes when there is nothing to compare with, so the
 * time taken does not tell whether the account has questions. Every answer is checked even after
 * a wrong one, for the same reason.
 */
async function answersMatch(ctx: SecurityQuestionsPath, configured: SecurityQuestionsRecord | undefined, answers: readonly string[]): Promise<boolean> {
  const checks = Array.from({ length: QUESTION_COUNT }, (_, i) => {
    const answer = normaliseAnswer(answers[i] ?? '');
    const hash = configured?.answerHashes[i];
    return hash === undefined ? ctx.hasher.verifyDummy(answer) : ctx.hasher.verify(hash, answer).then((r) => r.valid);
  });
  const results = await Promise.all(checks);
  return configured !== undefined && results.every(Boolean);
}

/**
 * The answers to an admin's three questions, all right, earn a reset grant. A weak path: LAN only by
 * default, and the account's second factor is needed too when it has one.
 */
export async function verifySecurityAnswers(
  ctx: SecurityQuestionsPath,
  input: { username: string; answers: string[]; proof: RecoverySecondFactorProof; sourceIp: string },
): Promise<VerifyAnswersOutcome> {
  if (!weakPathAllowed(ctx, input.sourceIp)) return { ok: false, reason: 'lan_only' };
  const user = ctx.store.findUserByUsername(input.username);
  const account = loginAccount(user, input.username);
  const before = ctx.methodLocks.state(METHOD, account.key);
  if (before.blocked) return { ok: false, reason: 'blocked', retryAfterSeconds: before.retryAfterSeconds };
  const throttle = ctx.sourceThrottle.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };

  const configured = configuredFor(ctx, user);
  const right = await answersMatch(ctx, configured, input.answers);
  // Only right answers get their second factor checked: a right code is spent by the check.
  const secondFactor = right && user ? await checkRecoverySecondFactor(ctx, user, input.proof) : undefined;

  return ctx.store.transaction((): VerifyAnswersOutcome => {
    // Checked again: concurrent guesses all passed the first check while they were being hashed.
    // Whatever the answers were, a request that finds the method blocked now learns nothing.
    const now = ctx.methodLocks.state(METHOD, account.key);
    if (now.blocked) return { ok: false, reason: 'blocked', retryAfterSeconds: now.retryAfterSeconds };
    const audited = { actor: { id: account.userId, username: account.username }, sourceIp: input.sourceIp, target: account.target };
    /** `reason` is for the audit log (admins only); the person asking always hears `invalid_answers`. */
    const failed = (reason: 'invalid_answers' | 'second_factor_missing' | 'invalid_second_factor'): VerifyAnswersOutcome => {
      const state = ctx.methodLocks.fail(METHOD, account.key, questionLockPolicy(ctx));
      countFailedAttempt(ctx, input.sourceIp);
      ctx.audit.append({ ...audited, type: 'recovery.evidence_failed', outcome: 'failure', details: { method: METHOD, reason } });
      if (state.blocked) {
        ctx.audit.append({ ...audited, type: 'recovery.blocked', outcome: 'info', details: { method: METHOD, retryAfterSeconds: state.retryAfterSeconds } });
      }
      return { ok: false, reason: 'invalid_answers' };
    };

    if (!right || !user || secondFactor === undefined) return failed('invalid_answers');
    // Right answers without the account's second factor (missing or wrong) get the answer wrong
    // ones get, and count like them: a different answer would tell someone who lacks the second
    // factor that their answers are right.
    if (secondFactor === 'missing') return failed('second_factor_missing');
    if (secondFactor === 'wrong') return failed('invalid_second_factor');
    const grant = issueResetGrant(ctx, { user, method: METHOD, sourceIp: input.sourceIp });
    ctx.methodLocks.clear(METHOD, account.key);
    return { ok: true, grant };
  });
}
