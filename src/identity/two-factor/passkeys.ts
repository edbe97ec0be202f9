import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Clock } from '../../shared/clock.js';
import { hmacHex } from '../../shared/secrets.js';
import type { SecondFactorChallengeStore } from './challenge-store.js';
import type { Passkey, TwoFactorFactorStore } from './factor-store.js';

/** Loaded on first use: most devices never see a passkey, and the library is ~5 MB of heap. */
const webAuthn = () => import('@simplewebauthn/server');

/**
 * WebAuthn (passkeys and security keys) as a second factor, computed by @simplewebauthn/server.
 * The relying party is the name the browser used to reach the service (the part derives it from
 * its request): WebAuthn refuses IP addresses as rpID.
 */
export interface RelyingParty {
  rpId: string;
  origin: string;
}

/** What passkeys are kept in and made with: the credentials, the registrations under way, the key of the user handles. */
export interface PasskeyKeeping {
  twoFactor: Pick<TwoFactorFactorStore, 'listPasskeys'>;
  twoFactorChallenges: Pick<SecondFactorChallengeStore, 'beginPasskeyRegistration' | 'takePasskeyRegistration'>;
  twoFactorKey: Buffer;
  clock: Clock;
}

const REGISTRATION_LIFETIME_MS = 5 * 60 * 1000;
const RP_NAME = 'Vigil';

/** An opaque, stable WebAuthn user handle: not the username, not guessable from the account id. */
function userHandle(ctx: Pick<PasskeyKeeping, 'twoFactorKey'>, accountId: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(hmacHex(ctx.twoFactorKey, `webauthn-user:${accountId}`).slice(0, 32), 'hex'));
}

const descriptor = (p: Passkey) => ({ id: p.credentialId, transports: p.transports });

/** Options for navigator.credentials.create; the challenge is kept as the account's registration under way. */
export async function passkeyRegistrationOptions(
  ctx: PasskeyKeeping,
  account: { id: number; username: string },
  rp: RelyingParty,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const options = await (await webAuthn()).generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.rpId,
    userName: account.username,
    userID: userHandle(ctx, account.id),
    attestationType: 'none',
    excludeCredentials: (await ctx.twoFactor.listPasskeys(account.id)).map(descriptor),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await ctx.twoFactorChallenges.beginPasskeyRegistration({
    accountId: account.id,
    challenge: options.challenge,
    rpId: rp.rpId,
    expiresAt: ctx.clock.now() + REGISTRATION_LIFETIME_MS,
  });
  return options;
}

export type VerifiedPasskey = Pick<Passkey, 'credentialId' | 'publicKey' | 'counter' | 'transports'>;

/** The new credential, if the response answers this account's registration under way (taken: it answers once); undefined otherwise. */
export async function verifyPasskeyRegistration(
  ctx: PasskeyKeeping,
  accountId: number,
  response: RegistrationResponseJSON,
  rp: RelyingParty,
): Promise<VerifiedPasskey | undefined> {
  const pending = await ctx.twoFactorChallenges.takePasskeyRegistration(accountId, ctx.clock.now());
  if (!pending || pending.rpId !== rp.rpId) return undefined;
  try {
    const result = await (await webAuthn()).verifyRegistrationResponse({
      response,
      expectedChallenge: pending.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      requireUserVerification: false,
    });
    if (!result.verified) return undefined;
    const { credential } = result.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? [],
    };
  } catch {
    return undefined; // malformed or forged responses: the library throws on each kind
  }
}

/** Options for navigator.credentials.get, offering the account's passkeys. */
export async function passkeyLoginOptions(
  ctx: Pick<PasskeyKeeping, 'twoFactor'>,
  accountId: number,
  rp: RelyingParty,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return (await webAuthn()).generateAuthenticationOptions({
    rpID: rp.rpId,
    allowCredentials: (await ctx.twoFactor.listPasskeys(accountId)).map(descriptor),
    userVerification: 'preferred',
  });
}

/**
 * Which of the account's passkeys signed the challenge, and its new counter; undefined if none did.
 * The caller records the use (the store refuses a counter that did not move forward), so one
 * assertion cannot be used twice.
 */
export async function verifyPasskeyAssertion(
  ctx: Pick<PasskeyKeeping, 'twoFactor'>,
  accountId: number,
  expectedChallenge: string,
  response: AuthenticationResponseJSON,
  rp: RelyingParty,
): Promise<{ passkey: Passkey; newCounter: number } | undefined> {
  const passkey = (await ctx.twoFactor.listPasskeys(accountId)).find((p) => p.credentialId === response.id);
  if (!passkey) return undefined;
  try {
    const result = await (await webAuthn()).verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: passkey.counter, transports: passkey.transports },
      requireUserVerification: false,
    });
    return result.verified ? { passkey, newCounter: result.authenticationInfo.newCounter } : undefined;
  } catch {
    return undefined; // malformed, forged, or a counter that went backwards (a cloned authenticator)
  }
}
