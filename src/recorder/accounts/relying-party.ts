import { isIP } from 'node:net';
import type { RelyingParty } from '../../identity/two-factor/passkeys.js';

/**
 * The WebAuthn relying party of a request to the recorder: the name the browser used to reach it.
 * WebAuthn refuses IP addresses as rpID, so passkeys work only when the recorder is reached by a
 * DNS name (localhost included); undefined otherwise.
 */
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
