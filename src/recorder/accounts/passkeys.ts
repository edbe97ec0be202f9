import { isIP } from 'node:net';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { hmacHex } from '../../shared/secrets.js';
import type { Clock } from '../../shared/clock.js';
import type { PasskeyRecord, TwoFactorStore } from '../db/two-factor-store.js';

/** Loaded on first use: most recorders never see a passkey, and the library is ~5 MB of heap. */
const webAuthn = () => import('@simplewebauthn/server');

/**
 * WebAuthn (passkeys and security keys) as a second factor. The relying party is the name the
 * browser used to reach the recorder: WebAuthn refuses IP addresses as rpID, so passkeys work
 * only when the recorder is reached by a DNS name (localhost included).
 */
export interface RelyingParty {
  rpId: string;
  origin: string;
}

/** What passkeys are kept in and made with: the credentials, the registrations under way, the key of the user handles. */
export interface PasskeyKeeping {
  twoFactor: Pick<TwoFactorStore, 'listPasskeys' | 'beginPasskeyRegistration' | 'takePasskeyRegistration'>;
  twoFactorKey: Buffer;
  clock: Clock;
}

const REGISTRATION_LIFETIME_MS = 5 * 60 * 1000;
const RP_NAME = 'Vigil';

export function relyingPartyFor(protocol: string, host: string | undefined): RelyingParty | undefined {
  if (!host) return undefined;
  let url: URL;
  try {
    url = new URL(`${protocol}://${host}`);
  } catch {
    return undefined;
  }
  const hostname = url.hostname;
  const isDnsName = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(hostname) && /[a-z]/.test(hostname) && isIP(hostname) === 0;
  return isDnsName ? { rpId: hostname, origin: url.origin } : undefined;
}

/** An opaque, stable WebAuthn user handle: not the username, not guessable from the user id. */
function userHandle(ctx: PasskeyKeeping, userId: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(hmacHex(ctx.twoFactorKey, `webauthn-user:${userId}`).slice(0, 32), 'hex'));
}

const descriptor = (p: PasskeyRecord) => ({ id: p.credentialId, transports: p.transports });

export async function passkeyRegistrationOptions(
  ctx: PasskeyKeeping,
  user: { id: number; username: string },
  rp: RelyingParty,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const options = await (await webAuthn()).generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.rpId,
    userName: user.username,
    userID: userHandle(ctx, user.id),
    attestationType: 'none',
    excludeCredentials: ctx.twoFactor.listPasskeys(user.id).map(descriptor),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  ctx.twoFactor.beginPasskeyRegistration({
    userId: user.id,
    challenge: options.challenge,
    rpId: rp.rpId,
    expiresAt: ctx.clock.now() + REGISTRATION_LIFETIME_MS,
  });
  return options;
}

export type VerifiedPasskey = Omit<PasskeyRecord, 'id' | 'userId' | 'name' | 'createdAt' | 'lastUsedAt'>;

/** The new credential, if the response answers this user's registration in progress; undefined otherwise. */
export async function verifyPasskeyRegistration(
  ctx: PasskeyKeeping,
  userId: number,
  response: RegistrationResponseJSON,
  rp: RelyingParty,
): Promise<VerifiedPasskey | undefined> {
  const pending = ctx.twoFactor.takePasskeyRegistration(userId, ctx.clock.now());
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

export async function passkeyLoginOptions(
  ctx: PasskeyKeeping,
  userId: number,
  rp: RelyingParty,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return (await webAuthn()).generateAuthenticationOptions({
    rpID: rp.rpId,
    allowCredentials: ctx.twoFactor.listPasskeys(userId).map(descriptor),
    userVerification: 'preferred',
  });
}

/** Which of the user's passkeys signed the challenge, and its new counter; undefined if none did. */
export async function verifyPasskeyAssertion(
  ctx: PasskeyKeeping,
  userId: number,
  expectedChallenge: string,
  response: AuthenticationResponseJSON,
  rp: RelyingParty,
): Promise<{ passkey: PasskeyRecord; newCounter: number } | undefined> {
  const passkey = ctx.twoFactor.listPasskeys(userId).find((p) => p.credentialId === response.id);
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
