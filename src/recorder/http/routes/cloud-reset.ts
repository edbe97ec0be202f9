import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import {
  cancelledSchema,
  claimBody,
  cloudResetSettingsBody,
  cloudResetWaitingSchema,
  offlineAnswerBody,
  offlineChallengeSchema,
  pendingCloudResetsSchema,
} from '../../api/cloud-reset.js';
import { resetGrantSchema } from '../../api/recovery.js';
import { answerOfflineChallenge, openOfflineChallenge } from '../../recovery/cloud-offline.js';
import { cancelCloudResets, claimCloudReset, pendingCloudResets, type CloudResetDecision } from '../../recovery/cloud-reset-wait.js';
import { isLanAddress } from '../../recovery/weak-path-guard.js';
import { requireAuth } from '../access.js';
import { ApiError, tooManyAttempts, tooManyRequests } from '../errors.js';
import { recoveryLanOnly } from '../recovery-errors.js';
import type { FastifyReply } from 'fastify';

const notBound = () =>
  new ApiError(
    409,
    'cloud_not_bound',
    'This recorder is not bound to a cloud account, so the cloud cannot vouch for its owner. Use another recovery method (the reset button and the label code always work).',
  );

const noOpenChallenge = () =>
  new ApiError(
    409,
    'no_open_cloud_challenge',
    'There is no open challenge: it was used, expired (30 minutes) or closed after 5 wrong codes. Show a new challenge and enter it in the cloud again.',
  );

/** A grant (201), or the claim of a reset that waits for the admin's waiting period (202). */
function sendDecision(reply: FastifyReply, decision: CloudResetDecision): FastifyReply {
  return decision.kind === 'granted' ? reply.code(201).send(decision.grant) : reply.code(202).send(decision);
}

export function cloudResetRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.post(
    '/api/v1/recovery/cloud/challenge',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Cloud reset without internet, step 1: the open challenge (or a new one), to enter in the cloud account',
        response: { 200: offlineChallengeSchema },
      },
    },
    async (request) => {
      const outcome = openOfflineChallenge(ctx, { sourceIp: request.ip });
      if (outcome.ok) {
        const qr = (await import('qrcode')).default;
        return { ...outcome.challenge, qrCode: await qr.toDataURL(outcome.challenge.qrPayload, { errorCorrectionLevel: 'M', margin: 2, width: 240 }) };
      }
      if (outcome.reason === 'throttled') throw tooManyRequests(outcome.retryAfterSeconds);
      throw notBound();
    },
  );

  app.post(
    '/api/v1/recovery/cloud/verify',
    {
      config: { access: 'public' },
      schema: {
        summary:
          'Cloud reset without internet, step 2: the response code the cloud showed, for a reset grant (201), or, when the admin set a waiting period, a claim that buys it when the wait ends (202)',
        body: offlineAnswerBody,
        response: { 201: resetGrantSchema, 202: cloudResetWaitingSchema },
      },
    },
    async (request, reply) => {
      const outcome = answerOfflineChallenge(ctx, { ...request.body, sourceIp: request.ip });
      if (outcome.ok) return sendDecision(reply, outcome.decision);
      switch (outcome.reason) {
        case 'throttled':
          throw tooManyAttempts(outcome.retryAfterSeconds);
        case 'not_bound':
          throw notBound();
        case 'no_open_challenge':
          throw noOpenChallenge();
        case 'refused':
          throw new ApiError(
            401,
            'invalid_cloud_code',
            outcome.triesLeft > 0
              ? `This code does not answer the open challenge for this admin. Check the username and the code (${outcome.triesLeft} tries left).`
              : 'This code does not answer the open challenge for this admin, and that was the last try: the challenge is closed. Show a new one.',
            { triesLeft: outcome.triesLeft },
          );
      }
    },
  );

  app.get(
    '/api/v1/recovery/cloud/pending',
    {
      config: { access: 'public' },
      schema: {
        summary: 'The cloud resets waiting for the waiting period to end (they can be cancelled), and the waiting period in hours',
        response: { 200: pendingCloudResetsSchema },
      },
    },
    async () => ({ waitHours: ctx.cloudResets.getWaitHours(), pending: pendingCloudResets(ctx) }),
  );

  app.post(
    '/api/v1/recovery/cloud/pending/claim',
    {
      config: { access: 'public' },
      schema: {
        summary: 'A cloud reset whose waiting period is over: its claim, for the reset grant',
        body: claimBody,
        response: { 201: resetGrantSchema },
      },
    },
    async (request, reply) => {
      const outcome = claimCloudReset(ctx, { claimToken: request.body.claimToken, sourceIp: request.ip });
      if (outcome.ok) return reply.code(201).send(outcome.grant);
      switch (outcome.reason) {
        case 'throttled':
          throw tooManyAttempts(outcome.retryAfterSeconds);
        case 'not_yet':
          throw new ApiError(409, 'cloud_reset_waiting', `This reset takes effect at ${outcome.effectiveAt}: come back then.`, {
            effectiveAt: outcome.effectiveAt,
          });
        case 'refused':
          throw new ApiError(401, 'invalid_cloud_claim', 'This reset was cancelled, was used already, or is unknown. Start the recovery again.');
      }
    },
  );

  app.post(
    '/api/v1/recovery/cloud/pending/cancel',
    {
      config: { access: 'public' },
      schema: {
        summary: 'The owner at the LAN: cancel every cloud reset still waiting (it only ever stops a reset, so it needs no login)',
        response: { 200: cancelledSchema },
      },
    },
    async (request) => {
      if (!isLanAddress(request.ip)) throw recoveryLanOnly();
      return { cancelled: cancelCloudResets(ctx, { actor: null, sourceIp: request.ip }) };
    },
  );

  app.post(
    '/api/v1/settings/cloud-reset/cancel-pending',
    {
      config: { access: 'admin' },
      schema: { summary: 'An admin, from anywhere: cancel every cloud reset still waiting', response: { 200: cancelledSchema } },
    },
    async (request) => {
      const { user } = requireAuth(request);
      return { cancelled: cancelCloudResets(ctx, { actor: user, sourceIp: request.ip }) };
    },
  );

  app.get(
    '/api/v1/settings/cloud-reset',
    { config: { access: 'admin' }, schema: { summary: 'The waiting period for cloud resets, in hours (0: none)', response: { 200: cloudResetSettingsBody } } },
    async () => ({ waitHours: ctx.cloudResets.getWaitHours() }),
  );

  app.put(
    '/api/v1/settings/cloud-reset',
    {
      config: { access: 'admin' },
      schema: {
        summary:
          'Set the waiting period for cloud resets: a reset through the cloud account (online or offline) then takes effect only after these hours, is announced to every registered address at once, and can be cancelled on the recorder. 0: none (the default)',
        body: cloudResetSettingsBody,
        response: { 200: cloudResetSettingsBody },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const waitHours = request.body.waitHours;
      return ctx.store.transaction(() => {
        const before = ctx.cloudResets.getWaitHours();
        ctx.cloudResets.putWaitHours(waitHours, ctx.clock.now());
        ctx.audit.append({
          type: 'settings.changed',
          outcome: 'success',
          actor: { id: user.id, username: user.username },
          sourceIp: request.ip,
          target: 'settings:cloud-reset',
          details: { waitHours, before },
        });
        return { waitHours };
      });
    },
  );
}
