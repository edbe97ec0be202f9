import { createHash, randomBytes } from 'node:crypto';
import { xmlText } from './soap.js';

/**
 * WS-Security UsernameToken (OASIS Username Token Profile 1.0) as ONVIF uses it:
 * PasswordDigest = base64(SHA-1(nonce bytes + Created + password)). The camera checks it
 * (src/camera/onvif/ws-security.ts), the recorder's ONVIF client sends it.
 */
export function passwordDigest(nonceBase64: string, created: string, password: string): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(nonceBase64, 'base64'), Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest('base64');
}

const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const DIGEST = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';

/** A SOAP header's Security element with a fresh nonce and `created` (the device's time, ISO 8601 UTC): good once. */
export function usernameTokenHeader(username: string, password: string, created: string): string {
  const nonce = randomBytes(16).toString('base64');
  return (
    `<wsse:Security xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}"><wsse:UsernameToken>` +
    `<wsse:Username>${xmlText(username)}</wsse:Username>` +
    `<wsse:Password Type="${DIGEST}">${passwordDigest(nonce, created, password)}</wsse:Password>` +
    `<wsse:Nonce>${nonce}</wsse:Nonce><wsu:Created>${created}</wsu:Created>` +
    '</wsse:UsernameToken></wsse:Security>'
  );
}
