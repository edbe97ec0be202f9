import { requireAuth } from '../access.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import {
  codeRequestBody,
  CONTACT_CHANNELS,
  codeVerifyBody,
  contactConfirmBody,
  contactSetupBody,
  hintBody,
  hintRequestBody,
  hintRequestedSchema,
  MAX_HINT_LENGTH,
  requestAnswer,
  smsGatewayBody,
  smsGatewayView,
  statusSchema,
} from '../../api/reserved-contact.js';
import type { ContactChannel } from '../../api/recovery-methods.js';
import {
  confirmContactSetup,
  contactStatus,
  removeContact,
  requestPasswordHint,
  requestRecoveryCode,
  setPasswordHint,
  startContactSetup,
  verifyRecoveryCode,
  type ContactChangeRefusal,
} from '../../recovery/reserved-contact.js';
import { CONTACT_CODE_DIGITS } from '../../../identity/codes/code-rules.js';
import { resetGrantSchema } from '../../api/recovery.js';
import { weakPathAllowed } from '../../recovery/weak-path-guard.js';
import { ApiError, tooManyAttempts, tooManyRequests } from '../errors.js';
import { methodBlocked, recoveryLanOnly } from '../recovery-errors.js';
import { passwordInput } from '../../api/common.js';

const channelParams = {
  type: 'object',
  required: ['channel'],
  properties: { channel: { type: 'string', enum: CONTACT_CHANNELS } },
} as const;

const HINT_REQUEST_ANSWER = { message: 'If this is the reserved address of an admin account with a hint, the hint is on its way.' };

function refusal(outcome: ContactChangeRefusal, channel?: ContactChannel): ApiError {
  switch (outcome.reason) {
    case 'throttled':
      return tooManyAttempts(outcome.retryAfterSeconds);
    case 'send_budget_spent':
      return tooManyRequests(outcome.retryAfterSeconds);
    case 'invalid_current_password':
      return new ApiError(403, 'invalid_current_password', 'Your current password is not right.');
    case 'invalid_address':
      return new ApiError(
        422,
        'invalid_address',
        channel === 'phone' ? 'Enter the phone number with its country code, e.g. +49 170 1234567.' : 'Enter an email address like name@example.net.',
      );
    case 'not_deliverable':
      return channel === 'phone'
        ? new ApiError(409, 'sms_not_configured', 'The recorder cannot send texts yet: an admin must set up and turn on the SMS gateway first.')
        : new ApiError(409, 'mail_not_configured', 'The recorder cannot send mail yet: an admin must set up and turn on the mail server (Security page) first.');
    case 'delivery_failed':
      return new ApiError(502, 'delivery_failed', `The code could not be sent: ${outcome.message}`);
    case 'no_pending':
      return new ApiError(409, 'no_pending_address', 'No new address is waiting for its code (it expired after 15 minutes or after 5 wrong codes). Enter the address again.');
    case 'invalid_code':
      return new ApiError(422, 'invalid_code', 'That code is not right. Type the 8 digits from the message.');
    case 'hint_too_long':
      return new ApiError(422, 'hint_too_long', `Keep the hint to ${MAX_HINT_LENGTH} characters.`);
    case 'hint_contains_password':
      return new ApiError(422, 'hint_contains_password', 'The hint contains your password. Write something that reminds you of it without giving it away.');
  }
}

const invalidCode = () =>
  new ApiError(
    401,
    'invalid_code',
    'That code is not right, has expired (15 minutes) or was used already; or this account has two-step login and the code from your authenticator app or a recovery code is missing or not right. Check the message, or ask for a new code.',
  );

/**
 * Recovery by a code sent to the reserved email or phone, and the password hint: the admin's own
 * settings, the SMS gateway, and the public request and verify endpoints (weak path: LAN only by
 * default, never without the second factor).
 */
export function reservedContactRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.get(
    '/api/v1/me/recovery/contacts',
    {
      config: { access: 'admin' },
      schema: { summary: 'My reserved email and phone (masked) and whether a password hint is set; the hint itself is never returned', response: { 200: statusSchema } },
    },
    async (request) => contactStatus(ctx, requireAuth(request).user.id),
  );

  app.put(
    '/api/v1/me/recovery/contacts/:channel',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Set my reserved email or phone: sends an 8-digit code there; the address counts once the code is confirmed',
        params: channelParams,
        body: contactSetupBody,
        response: { 202: statusSchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      const { channel } = request.params;
      const outcome = await startContactSetup(ctx, auth, { channel, ...request.body, sourceIp: request.ip });
      if (!outcome.ok) throw refusal(outcome, channel);
      return reply.code(202).send(contactStatus(ctx, auth.user.id));
    },
  );

  app.post(
    '/api/v1/me/recovery/contacts/:channel/confirm',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Confirm my new reserved email or phone with the code sent to it',
        params: channelParams,
        body: contactConfirmBody,
        response: { 200: statusSchema },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      const { channel } = request.params;
      const outcome = confirmContactSetup(ctx, auth, { channel, code: request.body.code, sourceIp: request.ip });
      if (!outcome.ok) throw refusal(outcome, channel);
      return contactStatus(ctx, auth.user.id);
    },
  );

  app.post(
    '/api/v1/me/recovery/contacts/:channel/remove',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Remove my reserved email or phone',
        params: channelParams,
        body: { type: 'object', required: ['currentPassword'], additionalProperties: false, properties: { currentPassword: passwordInput } },
        response: { 200: statusSchema },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      const outcome = await removeContact(ctx, auth, { channel: request.params.channel, ...request.body, sourceIp: request.ip });
      if (!outcome.ok) throw refusal(outcome, request.params.channel);
      return contactStatus(ctx, auth.user.id);
    },
  );

  app.put(
    '/api/v1/me/recovery/hint',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Set (or, with null, clear) my password hint. Never shown anywhere: only mailed to my reserved email on request',
        body: hintBody,
        response: { 200: statusSchema },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      const outcome = await setPasswordHint(ctx, auth, { ...request.body, sourceIp: request.ip });
      if (!outcome.ok) throw refusal(outcome);
      return contactStatus(ctx, auth.user.id);
    },
  );

  app.get(
    '/api/v1/settings/sms-gateway',
    { config: { access: 'admin' }, schema: { summary: 'The SMS gateway for reserved phone numbers; its credential is never returned', response: { 200: smsGatewayView } } },
    async () => ctx.reservedContacts.sms.view(),
  );

  app.put(
    '/api/v1/settings/sms-gateway',
    {
      config: { access: 'admin' },
      schema: {
        summary:
          'Set the SMS gateway: the recorder POSTs JSON {to, text} to this URL. The Authorization header value is write-only: omit it to keep the stored one (dropped if the URL changes), null removes it',
        body: smsGatewayBody,
        response: { 200: smsGatewayView },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      const { enabled, url } = request.body;
      if (!URL.canParse(url) && (enabled || url !== '')) {
        throw new ApiError(422, 'invalid_url', 'Enter the gateway address as a full http:// or https:// URL.');
      }
      ctx.store.transaction(() => {
        const changed = ctx.reservedContacts.sms.save(request.body, ctx.clock.now());
        ctx.audit.append({
          type: 'settings.changed',
          outcome: 'success',
          actor: { id: auth.user.id, username: auth.user.username },
          sourceIp: request.ip,
          target: 'settings:sms-gateway',
          details: { changed: changed.join(',') },
        });
      });
      return ctx.reservedContacts.sms.view();
    },
  );

  app.post(
    '/api/v1/recovery/code',
    {
      config: { access: 'public' },
      schema: {
        summary:
          'Recovery: send a code to the reserved email or phone of an admin account. Always 202 with a request id, whether or not the address is the reserved one',
        body: codeRequestBody,
        response: { 202: requestAnswer },
      },
    },
    async (request, reply) => {
      if (!weakPathAllowed(ctx, request.ip)) throw recoveryLanOnly();
      spendRequestBudget(ctx, request.ip);
      return reply.code(202).send(await requestRecoveryCode(ctx, { ...request.body, sourceIp: request.ip }));
    },
  );

  app.post(
    '/api/v1/recovery/code/verify',
    {
      config: { access: 'public' },
      schema: {
        summary: `Recovery: the ${CONTACT_CODE_DIGITS}-digit code from the reserved address (and the second factor if the account has one) for a reset grant`,
        body: codeVerifyBody,
        response: { 201: resetGrantSchema },
      },
    },
    async (request, reply) => {
      if (!weakPathAllowed(ctx, request.ip)) throw recoveryLanOnly();
      const outcome = await verifyRecoveryCode(ctx, { ...request.body, sourceIp: request.ip });
      if (outcome.ok) return reply.code(201).send(outcome.grant);
      switch (outcome.reason) {
        case 'throttled':
          throw tooManyAttempts(outcome.retryAfterSeconds);
        case 'blocked':
          throw methodBlocked(outcome.retryAfterSeconds);
        case 'invalid_code':
          throw invalidCode();
      }
    },
  );

  app.post(
    '/api/v1/recovery/hint',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Recovery: mail the password hint to the reserved email. Always 202, whether or not the address is the reserved one',
        body: hintRequestBody,
        response: { 202: hintRequestedSchema },
      },
    },
    async (request, reply) => {
      if (!weakPathAllowed(ctx, request.ip)) throw recoveryLanOnly();
      spendRequestBudget(ctx, request.ip);
      requestPasswordHint(ctx, { ...request.body, sourceIp: request.ip });
      return reply.code(202).send(HINT_REQUEST_ANSWER);
    },
  );
}

/** Every code or hint request from an address counts, sent or not: nobody can make the recorder mail-bomb. */
function spendRequestBudget(ctx: RecorderContext, sourceIp: string): void {
  const throttle = ctx.contactRequestThrottle;
  const decision = throttle.check(sourceIp);
  if (!decision.allowed) throw tooManyRequests(decision.retryAfterSeconds);
  throttle.record(sourceIp);
}
