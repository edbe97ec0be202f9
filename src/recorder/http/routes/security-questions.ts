import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { answersBody, questionsBody, questionsRequestBody, questionsSetupBody, statusBody } from '../../api/security-questions.js';
import { resetGrantSchema } from '../../api/recovery.js';
import {
  securityQuestionsStatus,
  setSecurityQuestions,
  questionsFor,
  verifySecurityAnswers,
  type VerifyAnswersOutcome,
} from '../../recovery/security-questions.js';
import { requireAuth } from '../access.js';
import { ApiError, tooManyAttempts } from '../errors.js';
import { methodBlocked, recoveryLanOnly } from '../recovery-errors.js';

function verifyRefusal(outcome: Exclude<VerifyAnswersOutcome, { ok: true }>): ApiError {
  switch (outcome.reason) {
    case 'lan_only':
      return recoveryLanOnly();
    case 'blocked':
      return methodBlocked(outcome.retryAfterSeconds);
    case 'throttled':
      return tooManyAttempts(outcome.retryAfterSeconds);
    case 'invalid_answers':
      return new ApiError(
        401,
        'invalid_answers',
        'The answers do not match, or this account has two-step login and the code from your authenticator app or a recovery code is missing or not right. All three answers must be right (capitals and extra spaces do not matter).',
      );
  }
}

/** The security questions: an admin sets them for their own account; the recovery wizard answers them. */
export function securityQuestionRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.get(
    '/api/v1/me/recovery/questions',
    {
      config: { access: 'admin' },
      schema: { summary: 'My security questions (never the answers), and whether they are set', response: { 200: statusBody } },
    },
    async (request) => securityQuestionsStatus(ctx, requireAuth(request).user.id),
  );

  app.put(
    '/api/v1/me/recovery/questions',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Set or replace my three security questions and their answers; needs my password',
        body: questionsSetupBody,
        response: { 200: statusBody },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      const outcome = await setSecurityQuestions(ctx, auth, {
        currentPassword: request.body.currentPassword,
        entries: request.body.questions,
        sourceIp: request.ip,
      });
      if (outcome.ok) return { set: true, questions: outcome.questions };
      switch (outcome.reason) {
        case 'throttled':
          throw tooManyAttempts(outcome.retryAfterSeconds);
        case 'invalid_current_password':
          throw new ApiError(403, 'invalid_current_password', 'Your current password is not right.');
        case 'questions_rejected':
          throw new ApiError(422, 'questions_rejected', 'Check the questions and answers.', {
            reasons: outcome.problems.map((p) => ({ code: p.code, message: p.message })),
          });
      }
    },
  );

  app.post(
    '/api/v1/recovery/questions',
    {
      config: { access: 'public' },
      schema: {
        summary: "The three security questions of an admin account (for a name without questions, three that lead nowhere)",
        body: questionsRequestBody,
        response: { 200: questionsBody },
      },
    },
    async (request) => {
      const outcome = questionsFor(ctx, { username: request.body.username, sourceIp: request.ip });
      if (!outcome.ok) throw recoveryLanOnly();
      return { questions: outcome.questions };
    },
  );

  app.post(
    '/api/v1/recovery/questions/verify',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Answer the three security questions (and give the second factor, if the account has one) for a reset grant',
        body: answersBody,
        response: { 201: resetGrantSchema },
      },
    },
    async (request, reply) => {
      const { username: name, answers, totp, recoveryCode } = request.body;
      const outcome = await verifySecurityAnswers(ctx, { username: name, answers, proof: { totp, recoveryCode }, sourceIp: request.ip });
      if (!outcome.ok) throw verifyRefusal(outcome);
      return reply.code(201).send(outcome.grant);
    },
  );
}
