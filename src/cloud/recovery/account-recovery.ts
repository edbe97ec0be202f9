import type { SecurityEvent } from '../../identity/audit/security-event.js';
import { codeMac } from '../../identity/codes/contact-code.js';
import type { MailContent } from '../../identity/senders/smtp.js';
import type { SecondFactorMethod } from '../../identity/two-factor/methods.js';
import { isoTime } from '../../shared/clock.js';
import { randomToken, sha256Hex } from '../../shared/secrets.js';
import type { CloudEventType } from '../audit.js';
import type { AccountRecoveryStore } from '../db/account-recoveries.js';
import { findAccount, type CloudAccount } from '../db/accounts.js';
import { daysLeft, nextPassDelay, recoveryStep, type AccountRecovery, type CancelReason } from './account-recovery-policy.js';
import { grantHolder, type ForgotPasswordServices } from './forgot-password.js';

export interface AccountRecoveryServices {
  /** The forgot-password path: its grants are the proof, its messages and keys are shared. */
  forgot: ForgotPasswordServices;
  store: AccountRecoveryStore;
  secondFactorsOf(accountId: number): Promise<SecondFactorMethod[]>;
  /** How long a request waits before the second factors go (`--account-recovery-wait`). */
  waitSeconds: number;
  /** Where people reach the cloud, for the cancel link; never taken from a request's Host header. */
  externalUrl?: string;
}

/** The token a request's notices carry to cancel it: derived from its id, so every notice can repeat it and only its hash is stored. */
const cancelToken = (s: AccountRecoveryServices, id: string) => codeMac(s.forgot.codeMacKey, 'account-recovery-cancel', id);

const event = (type: CloudEventType, r: AccountRecovery, details: SecurityEvent['details'], sourceIp: string | null = null): SecurityEvent<CloudEventType> => ({
  type,
  outcome: 'info',
  sourceIp,
  target: `account:${r.accountId}`,
  details: { recovery: r.id, ...details },
});

function cancelHow(s: AccountRecoveryServices, r: AccountRecovery): string {
  const token = cancelToken(s, r.id);
  const link = s.externalUrl ? `, or open ${s.externalUrl.replace(/\/$/, '')}/account-recovery/cancel#${token}` : `, or enter this cancel code where the cloud asks for it: ${token}`;
  return `To stop it, log in to the cloud with your password and second factor (any login of yours cancels it)${link}.`;
}

function waitingNotice(s: AccountRecoveryServices, r: AccountRecovery, now: number, first: boolean): MailContent {
  const days = daysLeft(r, now);
  return {
    subject: first ? 'Account recovery started for your Vigil cloud account' : `Account recovery of your Vigil cloud account: ${days} day${days === 1 ? '' : 's'} left`,
    text:
      `${first ? 'Someone' : `On ${isoTime(r.openedAt)} someone`} proved access to an address of your Vigil cloud account and asked to remove its two-step login. ` +
      `Unless it is stopped, at ${isoTime(r.endsAt)} its second factors (authenticator app, passkeys, recovery codes) will be removed, ` +
      'and whoever knows the password will be able to log in with it alone.\n\n' +
      `If this was you, wait: you will then log in with your password and set up two-step login again.\n\n` +
      `If it was not you: ${cancelHow(s, r)} Then change your password, and the password of the mailbox.\n`,
  };
}

const CANCELLED_BECAUSE: Record<CancelReason, string> = {
  owner_login: 'you logged in with your second factor',
  cancel_link: 'its cancel code was used',
};

const cancelledNotice = (reason: CancelReason): MailContent => ({
  subject: 'Account recovery of your Vigil cloud account was cancelled',
  text: `The account recovery under way was cancelled because ${CANCELLED_BECAUSE[reason]}. Your two-step login stays as it is.\n`,
});

const COMPLETED_NOTICE: MailContent = {
  subject: 'The two-step login of your Vigil cloud account was removed',
  text:
    'The account recovery waited its full time without being cancelled: the second factors of your Vigil cloud account were removed. ' +
    'Log in with your password and set up two-step login again.\n\n' +
    'If you did not ask for this, reset your password from the login page now and set up two-step login again.\n',
};

export type OpenRecoveryOutcome =
  | { ok: true; endsAt: string }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  /** Unknown, spent, expired grant, or one not earned by a code to an address of the account. */
  | { ok: false; reason: 'invalid_grant' }
  | { ok: false; reason: 'no_second_factor' };

/**
 * An owner who lost every second factor proves an address of the account with a live grant of the
 * forgot-password path (a code mailed or texted to it, minutes ago) and opens a request that waits.
 * The grant is not spent: the same one may set a new password. Every address hears of it at once.
 * Opening again while one waits answers that one: its clock does not start again.
 */
export async function openAccountRecovery(s: AccountRecoveryServices, input: { grant: string; sourceIp: string }): Promise<OpenRecoveryOutcome> {
  const throttle = await s.forgot.codes.sourceThrottle.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  const account = await grantHolder(s.forgot, input.grant);
  if (!account) {
    await s.forgot.codes.sourceThrottle.countFailure(input.sourceIp);
    return { ok: false, reason: 'invalid_grant' };
  }
  if ((await s.secondFactorsOf(account.id)).length === 0) return { ok: false, reason: 'no_second_factor' };
  const now = s.forgot.codes.clock.now();
  const id = randomToken(18);
  const { opened, recovery } = await s.store.open(
    { id, accountId: account.id, cancelTokenHash: sha256Hex(cancelToken(s, id)), openedAt: now, endsAt: now + s.waitSeconds * 1000, lastNoticeAt: now, cancelledAt: null, completedAt: null },
    (r) => [event('account.recovery_opened', r, { endsAt: isoTime(r.endsAt) }, input.sourceIp)],
  );
  if (opened) s.forgot.messages.toEveryAddress(account, waitingNotice(s, recovery, now, true), 'account_recovery_opened');
  return { ok: true, endsAt: isoTime(recovery.endsAt) };
}

async function tellCancelled(s: AccountRecoveryServices, r: AccountRecovery | undefined, reason: CancelReason): Promise<boolean> {
  if (!r) return false;
  const account = await findAccount(s.forgot.db, r.accountId);
  if (account) s.forgot.messages.toEveryAddress(account, cancelledNotice(reason), 'account_recovery_cancelled');
  return true;
}

/**
 * Any complete login of the owner (password and, where the account has one, second factor) ends
 * the account's waiting request: whoever opened it was not the owner, or no longer needs it. The
 * login's second step calls this too.
 */
export async function cancelAccountRecoveryOnLogin(s: AccountRecoveryServices, accountId: number, sourceIp: string): Promise<void> {
  const now = s.forgot.codes.clock.now();
  const r = await s.store.cancelOfAccount(accountId, 'owner_login', now, (c) => [event('account.recovery_cancelled', c, { reason: 'owner_login' }, sourceIp)]);
  await tellCancelled(s, r, 'owner_login');
}

export type CancelRecoveryOutcome = { ok: true } | { ok: false; reason: 'throttled'; retryAfterSeconds: number } | { ok: false; reason: 'invalid_token' };

/** The cancel code from a notice ends the request it was sent for; a wrong one counts against the source. */
export async function cancelAccountRecoveryByToken(s: AccountRecoveryServices, input: { token: string; sourceIp: string }): Promise<CancelRecoveryOutcome> {
  const throttle = await s.forgot.codes.sourceThrottle.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  const now = s.forgot.codes.clock.now();
  const r = await s.store.cancelByToken(sha256Hex(input.token), now, (c) => [event('account.recovery_cancelled', c, { reason: 'cancel_link' }, input.sourceIp)]);
  if (await tellCancelled(s, r, 'cancel_link')) return { ok: true };
  await s.forgot.codes.sourceThrottle.countFailure(input.sourceIp);
  return { ok: false, reason: 'invalid_token' };
}

/**
 * One pass of the schedule over the waiting requests: a request whose wait is over removes the
 * account's second factors; one a day older than its last notice sends the next. Each is taken in
 * one conditional step, so instances running passes at once do each thing once. Answers how long
 * the schedule may sleep.
 */
export async function runAccountRecoveryPass(s: AccountRecoveryServices): Promise<number> {
  const clock = s.forgot.codes.clock;
  const now = clock.now();
  for (const r of await s.store.listOpen()) {
    const step = recoveryStep(r, now);
    if (step === 'none') continue;
    let notice: MailContent | undefined;
    if (step === 'complete') {
      const done = await s.store.complete(r.id, now, (c) => [
        { type: 'twofactor.disabled', outcome: 'success', target: `account:${c.accountId}`, details: { method: 'all', by: 'account_recovery' } },
        event('account.recovery_completed', c, {}),
      ]);
      if (done) notice = COMPLETED_NOTICE;
    } else if (await s.store.takeNotice(r.id, r.lastNoticeAt, now)) {
      notice = waitingNotice(s, r, now, false);
    }
    const account: CloudAccount | undefined = notice && (await findAccount(s.forgot.db, r.accountId));
    if (notice && account) s.forgot.messages.toEveryAddress(account, notice, `account_recovery_${step}`);
  }
  return nextPassDelay(await s.store.listOpen(), clock.now());
}
