import { hkdfSync, randomInt } from 'node:crypto';
import { hmacHex } from '../../shared/secrets.js';
import { CONTACT_CODE_DIGITS } from './code-rules.js';

/** A one-time code to send by mail or SMS: uniform over every CONTACT_CODE_DIGITS-digit string. */
export function newContactCode(): string {
  return String(randomInt(0, 10 ** CONTACT_CODE_DIGITS)).padStart(CONTACT_CODE_DIGITS, '0');
}

/** Its own key for the codes' HMACs, derived, so the sealing key it comes from is never used for anything else. */
export function deriveCodeMacKey(sealingKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', sealingKey, Buffer.alloc(0), 'vigil:contact-code-hmac', 32));
}

/**
 * What is stored of a code: its HMAC bound to what it is for (a request id, a pending address), so
 * a code for one is worthless for another, and a copy of the database does not give the code.
 */
export function codeMac(macKey: Buffer, binding: string, value: string): string {
  return hmacHex(macKey, `${binding}\n${value}`);
}
