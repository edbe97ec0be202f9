import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance } from 'fastify';
import { confirmTotpEnrolment, disableTwoFactor, regenerateRecoveryCodes, startTotpEnrolment } from '../../identity/two-factor/enrolment.js';
import type { TwoFactorRefusal } from '../../identity/two-factor/outcomes.js';
import { finishPasskeyRegistration, removePasskey, startPasskeyRegistration } from '../../identity/two-factor/passkey-enrolment.js';
import type { RelyingParty } from '../../identity/two-factor/passkeys.js';
import { totpSetupView } from '../../identity/two-factor/totp-setup.js';
import { isoTime } from '../../shared/clock.js';
import { ApiError } from '../../shared/http/api-error.js';
import { notifyOwner, type SecurityMailServices } from '../accounts/security-mail.js';
import type { SignedIn } from '../accounts/sessions.js';
import type { CloudTwoFactor } from '../accounts/two-factor.js';
import { reauthRefusal } from './refusals.js';
import { signedIn } from './session-auth.js';
import { storedText } from './text-schema.js';
import { totpCode } from '../../shared/http/second-factor-body.js';
import { password, reauthBody } from './two-factor-schemas.js';

export interface TwoFactorRouteServices {
  twoFactor: CloudTwoFactor;
  securityMail: SecurityMailServices;
}

/** Every refusal of the core's enrolment services, as the API answers it. */
function refusal(outcome: TwoFactorRefusal): ApiError {
  switch (outcome.reason) {
    case 'invalid_current_password':
    case 'throttled':
      return reauthRefusal(outcome);
    case 'already_enabled':
      return new ApiError(409, 'already_enabled', 'An authenticator app is on already: turn two-step login off first to set up another.');
    case 'no_pending_enrolment':
      return new ApiError(409, 'no_pending_enrolment', 'Start setting up the authenticator app first.');
    case 'not_enabled':
      return new ApiError(409, 'not_enabled', 'Two-step login is off.');
    case 'passkey_not_found':
      return new ApiError(404, 'passkey_not_found', 'You have no passkey with this id.');
    case 'invalid_passkey':
      return new ApiError(400, 'invalid_passkey', 'The passkey could not be registered: start again.');
    default:
      return new ApiError(400, 'invalid_code', 'The code is not right: check the time on your phone and type the code it shows now.');
  }
}

const passkeyParams = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' } } } as const;

/**
 * The owner's two-step login: an authenticator app (`/api/v1/account/2fa/totp`, then `/confirm`),
 * recovery codes (made again), passkeys (register, list, remove) and turning it all off. Each change
 * needs the password again (the core's enrolment services), is audited by them, and is told to the
 * owner at every address of the account.
 */
export function registerTwoFactorRoutes(app: FastifyInstance, s: TwoFactorRouteServices): void {
  const { requireSession } = app;
  const { twoFactor } = s;
  const tell = (who: SignedIn, change: string, sourceIp: string) => notifyOwner(s.securityMail, who.account, { kind: 'two_factor_changed', change, sourceIp });
  const relyingParty = (): RelyingParty => {
    if (!twoFactor.rp) throw new ApiError(409, 'passkeys_unavailable', 'Passkeys need the cloud reached by a name: start it with --external-url https://<its name>.');
    return twoFactor.rp;
  };

  app.post('/api/v1/account/2fa/totp', { preHandler: requireSession, schema: { body: reauthBody } }, async (request) => {
    const { currentPassword } = request.body as { currentPassword: string };
    const outcome = await startTotpEnrolment(twoFactor, signedIn(request).account, { currentPassword, sourceIp: request.ip });
    if (!outcome.ok) throw refusal(outcome);
    return totpSetupView(outcome.secret, outcome.otpauthUri);
  });

  app.post(
    '/api/v1/account/2fa/totp/confirm',
    {
      preHandler: requireSession,
      schema: { body: { type: 'object', required: ['currentPassword', 'code'], additionalProperties: false, properties: { currentPassword: password, code: totpCode } } },
    },
    async (request) => {
      const who = signedIn(request);
      const { currentPassword, code } = request.body as { currentPassword: string; code: string };
      const outcome = await confirmTotpEnrolment(twoFactor, who.account, { currentPassword, code, sourceIp: request.ip });
      if (!outcome.ok) throw refusal(outcome);
      await tell(who, 'an authenticator app was turned on, and new recovery codes were made', request.ip);
      return { recoveryCodes: outcome.recoveryCodes };
    },
  );

  app.post('/api/v1/account/2fa/recovery-codes', { preHandler: requireSession, schema: { body: reauthBody } }, async (request) => {
    const who = signedIn(request);
    const { currentPassword } = request.body as { currentPassword: string };
    const outcome = await regenerateRecoveryCodes(twoFactor, who.account, { currentPassword, sourceIp: request.ip });
    if (!outcome.ok) throw refusal(outcome);
    await tell(who, 'new recovery codes were made, and the old ones no longer work', request.ip);
    return { recoveryCodes: outcome.recoveryCodes };
  });

  app.delete('/api/v1/account/2fa', { preHandler: requireSession, schema: { body: reauthBody } }, async (request, reply) => {
    const who = signedIn(request);
    const { currentPassword } = request.body as { currentPassword: string };
    const outcome = await disableTwoFactor(twoFactor, who.account, { currentPassword, sourceIp: request.ip });
    if (!outcome.ok) throw refusal(outcome);
    await tell(who, 'it was turned off: the authenticator app, every passkey and every recovery code were removed', request.ip);
    return reply.code(204).send();
  });

  app.get('/api/v1/account/2fa/passkeys', { preHandler: requireSession }, async (request) => ({
    passkeys: (await twoFactor.twoFactor.listPasskeys(signedIn(request).account.id)).map((p) => ({
      id: p.id,
      name: p.name,
      createdAt: isoTime(p.createdAt),
      lastUsedAt: p.lastUsedAt === null ? null : isoTime(p.lastUsedAt),
    })),
  }));

  app.post('/api/v1/account/2fa/passkeys/registration', { preHandler: requireSession, schema: { body: reauthBody } }, async (request) => {
    const { currentPassword } = request.body as { currentPassword: string };
    const rp = relyingParty();
    const outcome = await startPasskeyRegistration(twoFactor, signedIn(request).account, { currentPassword, sourceIp: request.ip, rp });
    if (!outcome.ok) throw refusal(outcome);
    return outcome.options;
  });

  app.post(
    '/api/v1/account/2fa/passkeys',
    {
      preHandler: requireSession,
      schema: {
        body: {
          type: 'object',
          required: ['name', 'response'],
          additionalProperties: false,
          properties: { name: storedText(1, 64), response: { type: 'object', required: ['id', 'rawId', 'response', 'type'], maxProperties: 16 } },
        },
      },
    },
    async (request) => {
      const who = signedIn(request);
      const { name, response } = request.body as { name: string; response: object };
      const rp = relyingParty();
      // The schema checks its outline; @simplewebauthn verifies the rest with the registration's challenge.
      const outcome = await finishPasskeyRegistration(twoFactor, who.account, { name, response: response as RegistrationResponseJSON, sourceIp: request.ip, rp });
      if (!outcome.ok) throw refusal(outcome);
      await tell(who, `a passkey was added (${name})`, request.ip);
      return { recoveryCodes: outcome.recoveryCodes };
    },
  );

  app.delete('/api/v1/account/2fa/passkeys/:id', { preHandler: requireSession, schema: { params: passkeyParams, body: reauthBody } }, async (request, reply) => {
    const who = signedIn(request);
    const { currentPassword } = request.body as { currentPassword: string };
    const passkeyId = Number((request.params as { id: string }).id);
    const outcome = await removePasskey(twoFactor, who.account, { passkeyId, currentPassword, sourceIp: request.ip });
    if (!outcome.ok) throw refusal(outcome);
    await tell(who, 'a passkey was removed', request.ip);
    return reply.code(204).send();
  });
}
