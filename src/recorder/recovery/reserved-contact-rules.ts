import { sendBudgetLeft } from '../../identity/codes/code-rules.js';
import type { ContactChannel } from '../api/recovery-methods.js';
import { emailAddress } from '../api/common.js';
import { MAX_HINT_LENGTH } from '../api/reserved-contact.js';

const EMAIL_PATTERN = new RegExp(emailAddress.pattern);

/** Pure decisions of the reserved email / phone path; the I/O is in reserved-contact.ts. */

/**
 * The form an address is stored and compared in: an email trimmed and lower-cased, a phone number
 * in international form as "+" and its digits (spaces, dashes, dots and brackets dropped). Null if
 * it cannot be one.
 */
export function normaliseAddress(channel: ContactChannel, raw: string): string | null {
  if (channel === 'email') {
    const email = raw.trim().toLowerCase();
    // The API's own notion of an address: no second recipient or header can ride along.
    return email.length <= emailAddress.maxLength && EMAIL_PATTERN.test(email) ? email : null;
  }
  // International form only: the gateway gets the number as stored, and "0170..." means different
  // numbers in different countries.
  const trimmed = raw.trim();
  if (!/^\+[0-9 ()./-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/[^0-9]/g, '');
  // E.164 allows at most 15 digits; fewer than 6 is no phone number anyone could text.
  return digits.length >= 6 && digits.length <= 15 ? `+${digits}` : null;
}

/** Enough to recognise one's own address, too little to learn someone else's: a***@example.net, +49•••••67. */
export function maskAddress(channel: ContactChannel, normalised: string): string {
  if (channel === 'email') {
    const at = normalised.lastIndexOf('@');
    return `${normalised.slice(0, 1)}***${normalised.slice(at)}`;
  }
  return `${normalised.slice(0, 3)}${'•'.repeat(Math.max(0, normalised.length - 5))}${normalised.slice(-2)}`;
}

/** Why a hint is refused, or null. A hint that gives the password away is no hint. */
export function hintRejection(hint: string, currentPassword: string): 'too_long' | 'contains_password' | null {
  if ([...hint].length > MAX_HINT_LENGTH) return 'too_long';
  return hint.toLocaleLowerCase().includes(currentPassword.toLocaleLowerCase()) ? 'contains_password' : null;
}

/** What the account answers for a recovery request: whether to send, and why not. */
export type SendDecision = { send: true } | { send: false; reason: 'no_account' | 'no_match' | 'not_deliverable' | 'budget_spent' };

export function recoverySendDecision(input: {
  isAdmin: boolean;
  addressMatches: boolean;
  deliverable: boolean;
  sendsInLastHour: number;
}): SendDecision {
  if (!input.isAdmin) return { send: false, reason: 'no_account' };
  if (!input.addressMatches) return { send: false, reason: 'no_match' };
  if (!input.deliverable) return { send: false, reason: 'not_deliverable' };
  if (!sendBudgetLeft(input.sendsInLastHour)) return { send: false, reason: 'budget_spent' };
  return { send: true };
}
