import { isIP } from 'node:net';
import type { RelyingParty } from '../../identity/two-factor/passkeys.js';

/**
 * The cloud's WebAuthn relying party: the name in `--external-url`, never a request's Host header
 * (which a client chooses). WebAuthn refuses IP addresses as rpID, so without an external URL by
 * name there are no passkeys (undefined).
 */
export function relyingPartyOf(externalUrl: string | undefined): RelyingParty | undefined {
  if (!externalUrl) return undefined;
  const url = new URL(externalUrl);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(hostname) === 0 ? { rpId: hostname, origin: url.origin } : undefined;
}
