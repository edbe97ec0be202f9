import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyRequest } from 'fastify';
import { isoTime as toIso } from '../../../shared/clock.js';
import { DEVICE_COOKIE } from '../../accounts/device-cookie.js';
import { relyingPartyFor } from '../../accounts/relying-party.js';
import { recorderTwoFactor } from '../../accounts/two-factor.js';
import { confirmTotpEnrolment, disableTwoFactor, regenerateRecoveryCodes, startTotpEnrolment } from '../../../identity/two-factor/enrolment.js';
import { twoFactorStatus, type SecondFactorMethod } from '../../../identity/two-factor/methods.js';
import type { TwoFactorRefusal } from '../../../identity/two-factor/outcomes.js';
import { finishPasskeyRegistration, removePasskey, startPasskeyRegistration } from '../../../identity/two-factor/passkey-enrolment.js';
import type { RelyingParty } from '../../../identity/two-factor/passkeys.js';
import { setTwoFactorRequired } from '../../../identity/two-factor/required-setting.js';
import { completeSecondFactor, startSecondFactor, type SecondFactorProof } from '../../../identity/two-factor/second-factor.js';
import { totpSetupView } from '../../../identity/two-factor/totp-setup.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import {
  passkeyListSchema,
  passkeyRegisteredSchema,
  passkeyRegistrationBody,
  reauthBody,
  recoveryCodesBody,
  secondFactorBody,
  statusSchema,
  totpConfirmBody,
  totpEnrolmentSchema,
  twoFactorPolicyBody,
  twoFactorPolicySchema,
} from '../../api/two-factor.js';
import type { UserRecord } from '../../db/store.js';
import { requireAuth } from '../access.js';
import { ApiError, tooManyAttempts } from '../errors.js';
import { loginStateSchema } from '../../api/sessions.js';
import { sendNewSession } from '../login-state.js';

/** Every refusal the 2FA services can give, as the API reports it. */
function refusal(outcome: TwoFactorRefusal): ApiError {
  switch (outcome.reason) {
    case 'throttled':
      return tooManyAttempts(outcome.retryAfterSeconds);
    case 'invalid_current_password':
      return new ApiError(403, 'invalid_current_password', 'Your current password is not right.');
    case 'already_enabled':
      return new ApiError(409, 'already_enabled', 'An authenticator app is already set up. Turn two-step login off first to replace it.');
    case 'no_pending_enrolment':
      return new ApiError(409, 'no_pending_enrolment', 'Start the set-up first: there is no new authenticator app waiting for its first code.');
    case 'not_enabled':
      return new ApiError(409, 'not_enabled', 'Two-step login is not turned on for your account.');
    case 'own_two_factor_missing':
      return new ApiError(409, 'own_two_factor_missing', 'Set up two-step login for your own account before requiring it for everyone.');
    case 'invalid_code':
      return new ApiError(422, 'invalid_code', 'That code is not right. Type the code your authenticator app shows now.');
    case 'invalid_second_factor':
      return new ApiError(401, 'invalid_second_factor', 'That code is not right, or it was used already. Try the code your app shows now, or a recovery code.');
    case 'invalid_passkey':
      return new ApiError(422, 'invalid_passkey', 'The passkey could not be registered. Start again with "Add passkey".');
    case 'passkey_not_found':
      return new ApiError(404, 'not_found', 'No such passkey of yours. It may have been removed already.');
    case 'invalid_challenge':
      return new ApiError(401, 'invalid_challenge', 'This login has expired or was already used. Log in again with your password.');
  }
}

/** A WebAuthn response under its WebAuthn type: @simplewebauthn checks its shape when it verifies it, the schema does not. */
function webauthnResponse<T extends RegistrationResponseJSON | AuthenticationResponseJSON>(json: object): T {
  return json as T;
}

/** The relying party of this request; passkeys need the recorder reached by a DNS name, not an IP address. */
function requireRelyingParty(request: FastifyRequest): RelyingParty {
  const rp = relyingPartyFor(request.protocol, request.headers.host);
  if (!rp) {
    throw new ApiError(409, 'passkeys_need_a_name', 'Passkeys work only when the recorder is opened by a name (such as recorder.local), not by an IP address.');
  }
  return rp;
}

/** For POST /sessions with a right password: the second-step challenge for the user's `methods`, or undefined when they have none. */
export async function secondFactorChallengeFor(ctx: RecorderContext, request: FastifyRequest, user: UserRecord, methods: SecondFactorMethod[]) {
  if (methods.length === 0) return undefined;
  const started = await startSecondFactor(ctx, user, methods, relyingPartyFor(request.protocol, request.headers.host));
  return {
    secondFactorRequired: true as const,
    methods: started.methods,
    challenge: started.challenge,
    expiresAt: toIso(started.expiresAt),
    ...(started.webauthn ? { webauthn: started.webauthn } : {}),
  };
}

export function twoFactorRoutes(app: ApiApp, ctx: RecorderContext): void {
  // Made per request: a factory reset replaces the context's two-factor key.
  const twoFactor = () => recorderTwoFactor(ctx);
  app.get(
    '/api/v1/me/2fa',
    { config: { access: 'session' }, schema: { summary: 'My two-step login status', response: { 200: statusSchema } } },
    async (request) => twoFactorStatus(ctx, requireAuth(request).user.id),
  );

  app.post(
    '/api/v1/me/2fa/totp',
    {
      config: { access: 'session' },
      schema: {
        summary: 'Start setting up an authenticator app: a new secret, as a QR code and as text',
        body: reauthBody,
        response: {
          200: totpEnrolmentSchema,
        },
      },
    },
    async (request) => {
      const outcome = await startTotpEnrolment(twoFactor(), requireAuth(request).user, { ...request.body, sourceIp: request.ip });
      if (!outcome.ok) throw refusal(outcome);
      return totpSetupView(outcome.secret, outcome.otpauthUri);
    },
  );

  app.post(
    '/api/v1/me/2fa/totp/confirm',
    {
      config: { access: 'session' },
      schema: {
        summary: "Turn the authenticator app on with its first code; answers the recovery codes, shown only now",
        body: totpConfirmBody,
        response: { 200: recoveryCodesBody },
      },
    },
    async (request) => {
      const outcome = await confirmTotpEnrolment(twoFactor(), requireAuth(request).user, { ...request.body, sourceIp: request.ip });
      if (!outcome.ok) throw refusal(outcome);
      return { recoveryCodes: outcome.recoveryCodes };
    },
  );

  app.post(
    '/api/v1/me/2fa/recovery-codes',
    {
      config: { access: 'session' },
      schema: { summary: 'New recovery codes; the old ones stop working', body: reauthBody, response: { 200: recoveryCodesBody } },
    },
    async (request) => {
      const outcome = await regenerateRecoveryCodes(twoFactor(), requireAuth(request).user, { ...request.body, sourceIp: request.ip });
      if (!outcome.ok) throw refusal(outcome);
      return { recoveryCodes: outcome.recoveryCodes };
    },
  );

  app.post(
    '/api/v1/me/2fa/disable',
    { config: { access: 'session' }, schema: { summary: 'Turn two-step login off', body: reauthBody } },
    async (request, reply) => {
      const outcome = await disableTwoFactor(twoFactor(), requireAuth(request).user, { ...request.body, sourceIp: request.ip });
      if (!outcome.ok) throw refusal(outcome);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/me/2fa/passkeys',
    {
      config: { access: 'session' },
      schema: {
        summary: 'My passkeys and security keys',
        response: {
          200: passkeyListSchema,
        },
      },
    },
    async (request) => ({
      passkeys: (await ctx.twoFactor.listPasskeys(requireAuth(request).user.id)).map((p) => ({
        id: p.id,
        name: p.name,
        createdAt: toIso(p.createdAt),
        lastUsedAt: p.lastUsedAt === null ? null : toIso(p.lastUsedAt),
      })),
    }),
  );

  app.post(
    '/api/v1/me/2fa/passkeys/registration',
    {
      config: { access: 'session' },
      schema: {
        summary: 'Start adding a passkey: options for navigator.credentials.create (valid 5 minutes)',
        body: reauthBody,
        response: { 200: { type: 'object', additionalProperties: true } },
      },
    },
    async (request) => {
      const rp = requireRelyingParty(request);
      const outcome = await startPasskeyRegistration(twoFactor(), requireAuth(request).user, { ...request.body, sourceIp: request.ip, rp });
      if (!outcome.ok) throw refusal(outcome);
      return outcome.options;
    },
  );

  app.post(
    '/api/v1/me/2fa/passkeys',
    {
      config: { access: 'session' },
      schema: {
        summary: "Finish adding a passkey with the authenticator's answer; the first factor also answers recovery codes",
        body: passkeyRegistrationBody,
        response: {
          201: passkeyRegisteredSchema,
        },
      },
    },
    async (request, reply) => {
      const rp = requireRelyingParty(request);
      const outcome = await finishPasskeyRegistration(twoFactor(), requireAuth(request).user, {
        name: request.body.name,
        response: webauthnResponse<RegistrationResponseJSON>(request.body.response),
        sourceIp: request.ip,
        rp,
      });
      if (!outcome.ok) throw refusal(outcome);
      return reply.code(201).send({ recoveryCodes: outcome.recoveryCodes });
    },
  );

  app.post(
    '/api/v1/me/2fa/passkeys/:id/remove',
    {
      config: { access: 'session' },
      schema: {
        summary: 'Remove one of my passkeys',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,15}$' } } },
        body: reauthBody,
      },
    },
    async (request, reply) => {
      const outcome = await removePasskey(twoFactor(), requireAuth(request).user, {
        ...request.body,
        passkeyId: Number(request.params.id),
        sourceIp: request.ip,
      });
      if (!outcome.ok) throw refusal(outcome);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/sessions/second-factor',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Finish a login with a second factor (after POST /sessions answered secondFactorRequired)',
        body: secondFactorBody,
        response: { 201: loginStateSchema },
      },
    },
    async (request, reply) => {
      const { challenge, totp, recoveryCode, webauthn } = request.body;
      const proof: SecondFactorProof =
        totp !== undefined ? { totp } : recoveryCode !== undefined ? { recoveryCode } : { webauthn: webauthnResponse<AuthenticationResponseJSON>(webauthn!) };
      const rp = relyingPartyFor(request.protocol, request.headers.host);
      const outcome = await completeSecondFactor(twoFactor(), { challenge, proof, sourceIp: request.ip, deviceCookie: request.cookies[DEVICE_COOKIE], rp });
      if (!outcome.ok) throw refusal(outcome);
      return sendNewSession(ctx, request, reply, outcome.user, { secondFactor: outcome.method });
    },
  );

  app.get(
    '/api/v1/settings/two-factor',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Whether everyone must use two-step login',
        response: { 200: twoFactorPolicySchema },
      },
    },
    async () => ({ required: await ctx.twoFactorPolicy.isTwoFactorRequired() }),
  );

  app.put(
    '/api/v1/settings/two-factor',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Require two-step login for everyone, or stop requiring it',
        body: twoFactorPolicyBody,
        response: { 200: twoFactorPolicySchema },
      },
    },
    async (request) => {
      const outcome = await setTwoFactorRequired(twoFactor(), requireAuth(request).user, { ...request.body, sourceIp: request.ip });
      if (!outcome.ok) throw refusal(outcome);
      return { required: await ctx.twoFactorPolicy.isTwoFactorRequired() };
    },
  );
}
