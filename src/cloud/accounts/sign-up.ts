import { CONTACT_CODE_LIFETIME_SECONDS, CONTACT_CODE_LOCK, MAX_SENDS_PER_HOUR } from '../../identity/codes/code-rules.js';
import type { SentCode, SentCodeStore } from '../../identity/codes/code-store.js';
import { codeMac, newContactCode } from '../../identity/codes/contact-code.js';
import type { ThrottlePolicy } from '../../identity/lockout/attempt-throttle.js';
import { countMethodFailure, type MethodLockStore } from '../../identity/lockout/method-lock-store.js';
import { methodLockState } from '../../identity/lockout/method-lock.js';
import type { SourceThrottle } from '../../identity/lockout/source-throttle.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import type { JudgePassword } from '../../identity/passwords/judge.js';
import type { PasswordVerdict } from '../../identity/passwords/policy.js';
import type { MailContent } from '../../identity/senders/smtp.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { randomToken, safeEqual } from '../../shared/secrets.js';
import type { CloudAuditLog } from '../audit.js';
import { markVerified, signUpAddress, type AddressKind } from '../db/accounts.js';
import type { Queryable } from '../db/database.js';
import type { CodeChannel } from '../db/identity/sent-codes.js';
import type { Mailer, TextSender } from '../senders.js';

/** Sign-ups per source address: each costs a hash and a mail. */
export const SIGN_UP_THROTTLE: ThrottlePolicy = { maxAttempts: 10, windowSeconds: 3600, baseBlockSeconds: 600, maxBlockSeconds: 3600 };

/** The method lock wrong sign-up codes count on, per account and channel (a new code does not start it again). */
const CODE_METHOD = 'signupCode';

export interface SignUpServices {
  db: Queryable;
  sentCodes: SentCodeStore<CodeChannel>;
  methodLocks: MethodLockStore;
  hasher: Pick<PasswordHasher, 'hash'>;
  judgePassword: JudgePassword;
  /** Shared by every instance (see services.ts): each sign-up counts, before anything costly. */
  sourceThrottle: Pick<SourceThrottle, 'reserve'>;
  codeMacKey: Buffer;
  /** Absent without --smtp: then nobody signs up with an email address. */
  mailer?: Mailer;
  /** Absent without --sms-gateway: then nobody signs up with a phone number. */
  texts?: TextSender;
  audit: Pick<CloudAuditLog, 'append'>;
  logger: Logger;
  clock: Clock;
}

export type SignUpOutcome =
  /** The same answer whether the address was free, waiting for its code, or taken. */
  | { ok: true; requestId: string }
  /** The cloud cannot send to this kind of address (no --smtp, or no --sms-gateway). */
  | { ok: false; reason: 'unavailable' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'weak_password'; verdict: PasswordVerdict };

/** An address to sign up with, as typed (an email address is compared in lower case). */
export interface SignUpAddress {
  kind: AddressKind;
  value: string;
}

const codeMail = (code: string): MailContent => ({
  subject: 'Your Vigil cloud code',
  text:
    `Your code is ${code}. Enter it where you signed up, within ${CONTACT_CODE_LIFETIME_SECONDS / 60} minutes, to start using your account.\n\n` +
    'If you did not sign up, ignore this mail: the account cannot be used without this code.\n',
});

const TAKEN_MAIL: MailContent = {
  subject: 'Someone tried to sign up with your address',
  text:
    'Someone tried to open a Vigil cloud account with this address, which has one already. ' +
    'If it was you, log in, or reset your password if you forgot it.\n\n' +
    'If it was not you, nothing changed: your account and its password are as they were.\n',
};

const codeText = (code: string) =>
  `Your Vigil cloud code is ${code}. Enter it where you signed up, within ${CONTACT_CODE_LIFETIME_SECONDS / 60} minutes. If you did not sign up, ignore this text.`;

const TAKEN_TEXT =
  'Someone tried to open a Vigil cloud account with this number, which has one already. If it was not you, nothing changed.';

/** Sends a code or the "taken" notice the way the address is reached; undefined when the cloud cannot reach that kind. */
function deliveryTo(s: SignUpServices, address: SignUpAddress): ((code: string | undefined) => Promise<void>) | undefined {
  const { mailer, texts } = s;
  if (address.kind === 'email') return mailer && ((code) => mailer.send(address.value, code === undefined ? TAKEN_MAIL : codeMail(code)));
  return texts && ((code) => texts.send(address.value, code === undefined ? TAKEN_TEXT : codeText(code)));
}

/**
 * Starts a sign-up with an email address or a phone number: the account exists but cannot be used until the code
 * mailed to the address is entered. The answer does not say whether the address is taken: a taken
 * one gets a mail saying so (to its owner, not to whoever asked), and the same answer. Every path
 * hashes the password, so none answers sooner. At most MAX_SENDS_PER_HOUR mails per account.
 */
export async function startSignUp(s: SignUpServices, input: { address: SignUpAddress; password: string; sourceIp: string }): Promise<SignUpOutcome> {
  const address = { kind: input.address.kind, value: input.address.value.trim().toLowerCase() };
  const deliver = deliveryTo(s, address);
  if (!deliver) return { ok: false, reason: 'unavailable' };
  const gate = await s.sourceThrottle.reserve(`signup:${input.sourceIp}`);
  if (!gate.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: gate.retryAfterSeconds };
  const verdict = await s.judgePassword(input.password, { username: address.kind === 'email' ? address.value.split('@')[0] : address.value });
  if (!verdict.accepted) return { ok: false, reason: 'weak_password', verdict };

  const passwordHash = await s.hasher.hash(input.password);
  const now = s.clock.now();
  const channel: CodeChannel = address.kind === 'email' ? 'email' : 'sms';
  const account = await signUpAddress(s.db, address.kind, address.value, passwordHash, now);
  const requestId = randomToken(18);
  // A taken address is sent a notice, with nothing to type back.
  const code = account.verified ? undefined : newContactCode();
  const request: SentCode<CodeChannel> = {
    requestId,
    accountId: account.id,
    channel,
    codeHmac: code === undefined ? null : codeMac(s.codeMacKey, requestId, code),
    lockScope: `account:${account.id}:${channel}`,
    createdAt: now,
    expiresAt: now + CONTACT_CODE_LIFETIME_SECONDS * 1000,
    usedAt: null,
  };
  // Stored before it is sent, so a code that reached the mailbox can always be checked; beyond the
  // account's hourly budget it is stored as sending nothing (the store counts and stores in one step).
  const withinBudget = await s.sentCodes.insertWithinBudget(request, { since: now - 3_600_000, max: MAX_SENDS_PER_HOUR }, () => []);
  if (withinBudget) {
    try {
      await deliver(code);
    } catch (error) {
      // The answer stays the same: it must not tell whether a message was due. The owner can ask again.
      s.logger.warn({ err: error, accountId: account.id, channel }, 'a sign-up message could not be sent');
    }
  }
  await s.audit.append({
    type: 'account.signup_requested',
    outcome: 'info',
    sourceIp: input.sourceIp,
    target: `account:${account.id}`,
    details: { addressTaken: account.verified, channel, sent: withinBudget },
  });
  return { ok: true, requestId };
}

export type VerifyOutcome =
  | { ok: true }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  /** Unknown request, wrong, expired or used code: one answer. */
  | { ok: false; reason: 'invalid_code' };

/** Checks the code mailed for a sign-up; the right one, once and in time, makes the account usable. */
export async function verifySignUp(s: SignUpServices, input: { requestId: string; code: string; sourceIp: string }): Promise<VerifyOutcome> {
  const now = s.clock.now();
  const sent = await s.sentCodes.find(input.requestId);
  if (!sent || sent.accountId === null || sent.codeHmac === null) return { ok: false, reason: 'invalid_code' };
  const lock = methodLockState(await s.methodLocks.get(CODE_METHOD, sent.lockScope), now);
  if (lock.blocked) return { ok: false, reason: 'throttled', retryAfterSeconds: lock.retryAfterSeconds };
  const target = `account:${sent.accountId}`;
  if (!safeEqual(codeMac(s.codeMacKey, input.requestId, input.code), sent.codeHmac)) {
    const after = await countMethodFailure(s.methodLocks, CODE_METHOD, sent.lockScope, CONTACT_CODE_LOCK, now);
    await s.audit.append({ type: 'account.verification_failed', outcome: 'failure', sourceIp: input.sourceIp, target, details: { failures: after.failures } });
    return { ok: false, reason: 'invalid_code' };
  }
  if (!(await s.sentCodes.spend(input.requestId, now))) return { ok: false, reason: 'invalid_code' };
  await markVerified(s.db, sent.accountId, now);
  await s.methodLocks.clear(CODE_METHOD, sent.lockScope);
  await s.audit.append({ type: 'account.verified', outcome: 'success', sourceIp: input.sourceIp, target });
  return { ok: true };
}
