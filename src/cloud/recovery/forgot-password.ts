import { checkSentCode, requestSentCode, type CodeChecking } from '../../identity/codes/code-recovery.js';
import { CONTACT_CODE_LIFETIME_SECONDS } from '../../identity/codes/code-rules.js';
import { codeMac } from '../../identity/codes/contact-code.js';
import { completeReset, type ResetCompleting } from '../../identity/grants/complete-reset.js';
import { grantIsLive, grantTokenHash } from '../../identity/grants/reset-grant.js';
import type { ThrottlePolicy } from '../../identity/lockout/attempt-throttle.js';
import type { SourceThrottle } from '../../identity/lockout/source-throttle.js';
import type { JudgePassword } from '../../identity/passwords/judge.js';
import type { PasswordReason } from '../../identity/passwords/policy.js';
import type { MailContent } from '../../identity/senders/smtp.js';
import { isoTime } from '../../shared/clock.js';
import type { AccountMessages } from '../account-messages.js';
import type { CloudAuditLog } from '../audit.js';
import { findAccount, findVerifiedByAddress, type CloudAccount } from '../db/accounts.js';
import type { Queryable } from '../db/database.js';
import type { CodeChannel } from '../db/identity/sent-codes.js';

/** Requests for a code per source address, whatever they name: each costs a lookup and may cost a message. */
export const FORGOT_SOURCE_BUDGET: ThrottlePolicy = { maxAttempts: 10, windowSeconds: 3600, baseBlockSeconds: 3600, maxBlockSeconds: 3600 };
/**
 * Requests naming one address, from anywhere, whether or not an account has it: the account's own
 * budget (3 sends an hour) is silent, this one answers 429, the same for every address.
 */
export const FORGOT_DESTINATION_BUDGET: ThrottlePolicy = { maxAttempts: 5, windowSeconds: 3600, baseBlockSeconds: 3600, maxBlockSeconds: 3600 };

/** The evidence a forgot-password grant is earned with: a code sent to one of the account's addresses. */
const FORGOT_METHODS: readonly string[] = ['email', 'sms'] satisfies readonly CodeChannel[];

export interface ForgotPasswordServices {
  db: Queryable;
  codes: Omit<CodeChecking<CodeChannel>, 'codeMac' | 'audit'>;
  resets: Omit<ResetCompleting, 'sourceThrottle' | 'clock'>;
  /** Checked and counted before anything is looked up; each shared by every instance. */
  requestBudgets: { source: Pick<SourceThrottle, 'reserve'>; destination: Pick<SourceThrottle, 'reserve'> };
  judgePassword: JudgePassword;
  codeMacKey: Buffer;
  messages: AccountMessages;
  audit: Pick<CloudAuditLog, 'append'>;
}

export type ForgotRequestOutcome =
  /** The same whether an account has the address, has not verified it, or does not exist. */
  | { ok: true; requestId: string; expiresAt: string }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'channel_unavailable' };

const CODE_MINUTES = CONTACT_CODE_LIFETIME_SECONDS / 60;

function codeMessage(channel: CodeChannel, code: string): MailContent {
  if (channel === 'sms') return { subject: 'Vigil cloud', text: `Code to reset your Vigil cloud password: ${code} (valid ${CODE_MINUTES} minutes). Not you? Ignore this.` };
  return {
    subject: 'Your Vigil cloud password reset code',
    text:
      `Someone asked to reset the password of the Vigil cloud account of this address. The code is:\n\n    ${code}\n\n` +
      `It is valid for ${CODE_MINUTES} minutes and works once. A reset keeps your two-step login: ` +
      'whoever resets the password still needs your second factor to log in.\n\n' +
      'If this was not you, ignore this mail: nothing changes without the code.\n',
  };
}

const resetNotice = (at: number): MailContent => ({
  subject: 'Your Vigil cloud password was reset',
  text:
    `The password of your Vigil cloud account was reset at ${isoTime(at)} with a code sent to one of its addresses. ` +
    'Every session of the account was logged out; your two-step login is unchanged.\n\n' +
    'If this was not you, reset the password again from the login page at once: someone can read your mail or texts.\n',
});

/**
 * Someone forgot their password and names an address. Both budgets are counted first (per source,
 * per address named), so a flood costs nothing further. Then the same work whatever the address:
 * one lookup, a code made and keyed, one stored request (the core's requestSentCode, which keeps
 * the account's 3 sends an hour); only a verified account's own address is sent the code, in the
 * background. The answer (a request id and its expiry) is alike for every address.
 */
export async function requestPasswordReset(
  s: ForgotPasswordServices,
  input: { channel: CodeChannel; address: string; sourceIp: string },
): Promise<ForgotRequestOutcome> {
  const { channel, sourceIp } = input;
  if (!s.messages.canSend(channel)) return { ok: false, reason: 'channel_unavailable' };
  const address = channel === 'email' ? input.address.trim().toLowerCase() : input.address;
  const source = await s.requestBudgets.source.reserve(`forgot:${sourceIp}`);
  if (!source.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: source.retryAfterSeconds };
  // The address named is kept only keyed: the budget's rows do not list who was asked about.
  const named = codeMac(s.codeMacKey, `forgot-destination:${channel}`, address);
  const destination = await s.requestBudgets.destination.reserve(`forgot-to:${named}`);
  if (!destination.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: destination.retryAfterSeconds };

  const account = await findVerifiedByAddress(s.db, channel, address);
  const request = await requestSentCode(
    { codes: s.codes.codes, clock: s.codes.clock, codeMac: (requestId, code) => codeMac(s.codeMacKey, requestId, code) },
    {
      channel,
      recipient: account?.id ?? null,
      // Wrong codes against a request that sent nothing count in a scope of the address asked for:
      // blocked after as many tries as the account's own, so the block tells nothing either.
      lockScope: account ? `account:${account.id}` : `asked:${named}`,
      audit: (sends) => [
        {
          type: account && !sends ? 'recovery.blocked' : 'recovery.requested',
          outcome: sends ? 'success' : 'failure',
          sourceIp,
          target: account ? `account:${account.id}` : null,
          details: { method: channel, what: 'password_reset_code', ...(sends ? {} : { reason: account ? 'budget_spent' : 'no_account' }) },
        },
      ],
    },
  );
  if (request.code !== null && account) s.messages.send(channel, address, codeMessage(channel, request.code), 'password_reset_code', account.id);
  return { ok: true, requestId: request.requestId, expiresAt: isoTime(request.expiresAt) };
}

/** The account a forgot-password grant or code is for, if it is still a verified account. */
const holderOf = (s: ForgotPasswordServices, accountId: number) => findAccount(s.db, accountId);

export type ForgotVerifyOutcome =
  | { ok: true; grant: string; expiresAt: string }
  | { ok: false; reason: 'throttled' | 'blocked'; retryAfterSeconds: number }
  /** Unknown request, wrong, expired or used code: one answer. */
  | { ok: false; reason: 'invalid_code' };

/**
 * The code comes back (the core's checkSentCode): a right one, live and unused, is traded once for
 * a reset grant. Wrong codes count per account and channel across codes (5, then an hour's block)
 * and against the source address. No second factor is asked here: the reset never removes it, so
 * the next login asks for it.
 */
export async function verifyPasswordResetCode(
  s: ForgotPasswordServices,
  input: { requestId: string; code: string; sourceIp: string },
): Promise<ForgotVerifyOutcome> {
  const outcome = await checkSentCode(
    { ...s.codes, audit: s.audit, codeMac: (requestId, code) => codeMac(s.codeMacKey, requestId, code) },
    {
      holder: (accountId) => holderOf(s, accountId),
      secondFactor: () => 'not_required',
      auditTarget: (request) => (request?.lockScope.startsWith('account:') ? request.lockScope : null),
      unknownMethod: 'email_or_sms',
    },
    input,
  );
  if (!outcome.ok) return outcome;
  return { ok: true, grant: outcome.grant.token, expiresAt: isoTime(outcome.grant.expiresAt) };
}

/** A live forgot-password grant's account: what account recovery accepts as proof of an address. */
export async function grantHolder(s: ForgotPasswordServices, token: string): Promise<CloudAccount | undefined> {
  const grant = await s.resets.grants.find(grantTokenHash(token));
  if (!grant || !grantIsLive(grant, s.codes.clock.now()) || !FORGOT_METHODS.includes(grant.method)) return undefined;
  return findAccount(s.db, grant.accountId);
}

export type ForgotResetOutcome =
  | { ok: true; revokedSessions: number }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid_reset_token' }
  | { ok: false; reason: 'password_rejected'; reasons: PasswordReason[] };

/**
 * The grant's holder chooses a new password (the core's completeReset): judged by the policy, then
 * in one step the password is set, every session ends, the account's other grants and login locks
 * go, and the reset is audited. The second factors always stay. Every address of the account is
 * told.
 */
export async function resetForgottenPassword(
  s: ForgotPasswordServices,
  input: { grant: string; newPassword: string; sourceIp: string },
): Promise<ForgotResetOutcome> {
  const outcome = await completeReset(
    { ...s.resets, sourceThrottle: s.codes.sourceThrottle, clock: s.codes.clock },
    {
      holder: (grant) => (FORGOT_METHODS.includes(grant.method) ? holderOf(s, grant.accountId) : undefined),
      judge: (password, account) => s.judgePassword(password, { username: (account.email ?? account.phone ?? '').split('@')[0] }),
      removeSecondFactors: () => false,
      events: ({ revokedSessions }, grant, account) => [
        {
          type: 'recovery.password_reset',
          outcome: 'success',
          sourceIp: input.sourceIp,
          target: `account:${account.id}`,
          details: { method: grant.method, revokedSessions, twoFactorCleared: false },
        },
      ],
    },
    { token: input.grant, newPassword: input.newPassword, sourceIp: input.sourceIp },
  );
  if (!outcome.ok) return outcome;
  s.messages.toEveryAddress(outcome.holder, resetNotice(s.codes.clock.now()), 'password_reset_notice');
  return { ok: true, revokedSessions: outcome.revokedSessions };
}
