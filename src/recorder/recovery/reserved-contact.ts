import { isoTime, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { AttemptThrottle } from '../../identity/lockout/attempt-throttle.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import { randomToken, safeEqual } from '../../shared/secrets.js';
import { CONTACT_CODE_LIFETIME_SECONDS, setupCodeVerdict } from '../../identity/codes/code-rules.js';
import { newContactCode } from '../../identity/codes/contact-code.js';
import { checkSentCode, requestSentCode } from '../../identity/codes/code-recovery.js';
import type { SecurityEvent } from '../../identity/audit/security-event.js';
import type { SentCodeStore } from '../../identity/codes/code-store.js';
import type { MethodLockStore } from '../../identity/lockout/method-lock-store.js';
import type { MailContent } from '../../identity/senders/smtp.js';
import { countFailedAttempt, sourceThrottleOf, type FailureCounting } from '../accounts/failed-attempts.js';
import { reauthenticate } from '../accounts/reauthenticate.js';
import type { Authenticated } from '../accounts/sessions.js';
import type { FactorChecking } from '../../identity/two-factor/factor-checks.js';
import type { ContactChannel } from '../api/recovery-methods.js';
import type { RecorderStore, UserRecord } from '../db/store.js';
import type { MailService } from '../mail/mail-service.js';
import type { ReservedContacts } from './reserved-contact-state.js';
import { hintRejection, maskAddress, normaliseAddress, recoverySendDecision, type SendDecision } from './reserved-contact-rules.js';
import { grantAnswer, type ResetGrant } from './reset-grant.js';
import { recoverySecondFactorOrReplay, type RecoverySecondFactorProof } from './weak-path-guard.js';

const CODE_MINUTES = CONTACT_CODE_LIFETIME_SECONDS / 60;

/** Case-folds as SQLite's NOCASE does (ASCII only), so that two spellings meet in one scope exactly when they name one account. */
const asciiLowerCase = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

const setupBinding = (userId: number, channel: ContactChannel, address: string) => `setup:${userId}:${channel}:${address}`;

/** What a message to a reserved address goes out through. */
export interface ContactDelivery {
  mail: Pick<MailService, 'isEnabled' | 'send'>;
  reservedContacts: ReservedContacts;
  logger: Logger;
}

/** What the reserved contact path goes through: the accounts, the contacts and their codes, the method's lock, the second factors. */
export interface ReservedContactPath extends ContactDelivery, FailureCounting, FactorChecking {
  clock: Clock;
  store: Pick<RecorderStore, 'transaction' | 'findUserByUsername' | 'getDevice' | 'getUser'>;
  hasher: PasswordHasher;
  mailTestThrottle: AttemptThrottle;
  methodLockStore: MethodLockStore;
  sentCodes: SentCodeStore<ContactChannel>;
  externalUrl: string | null;
}

export function isDeliverable(ctx: ContactDelivery, channel: ContactChannel): boolean {
  return channel === 'email' ? ctx.mail.isEnabled() : ctx.reservedContacts.sms.isEnabled();
}

function deviceName(ctx: ReservedContactPath): string {
  const device = ctx.store.getDevice();
  return device ? `${device.model} ${device.serial}` : 'Vigil recorder';
}

/** The recorder's address as configured: mails never take it from a request (Host header poisoning). */
function recorderLine(ctx: ReservedContactPath): string[] {
  return ctx.externalUrl ? ['', `Your recorder: ${ctx.externalUrl}`] : [];
}

/** One message to a reserved address: a mail, or a text of its subject and body. */
async function deliver(ctx: ContactDelivery, channel: ContactChannel, address: string, message: MailContent): Promise<void> {
  if (channel === 'email') await ctx.mail.send({ to: address, ...message });
  else await ctx.reservedContacts.sms.send(address, `${message.subject}\n${message.text}`);
}

/** Starts a send in the background; a failure is logged, never with the message (it may hold a code or the hint). */
function deliverInBackground(ctx: ContactDelivery, userId: number, channel: ContactChannel, address: string, message: MailContent, what: string): void {
  ctx.reservedContacts.inBackground(
    deliver(ctx, channel, address, message).then(
      () => ctx.logger.info({ event: 'reserved_contact_sent', userId, channel, what }, 'sent to a reserved address'),
      (error: unknown) =>
        ctx.logger.warn(
          { event: 'reserved_contact_send_failed', userId, channel, what, reason: error instanceof Error ? error.message : 'unknown' },
          'could not send to a reserved address',
        ),
    ),
  );
}

function codeMessage(ctx: ReservedContactPath, channel: ContactChannel, username: string, code: string, purpose: 'setup' | 'recovery'): MailContent {
  if (channel === 'phone') {
    const why = purpose === 'setup' ? 'to confirm this number for' : 'to reset the password of';
    return { subject: 'Vigil', text: `Code ${why} ${username} on ${deviceName(ctx)}: ${code} (valid ${CODE_MINUTES} minutes). Not you? Ignore this.` };
  }
  const [subject, happened, ifNot] =
    purpose === 'setup'
      ? [
          'Vigil: confirm your reserved address',
          `This address was entered as the reserved recovery address of the admin account ${username}. To confirm it, enter this code on the recovery settings page:`,
          'If you did not ask for this, ignore this mail: the address is not used until the code is entered.',
        ]
      : [
          'Vigil: your recovery code',
          `Someone asked to reset the password of the admin account ${username} with its reserved address. The code is:`,
          'If this was not you, ignore this mail: nothing changes without the code. Someone may know your username and this address.',
        ];
  const text = [
    happened,
    '',
    `    ${code}`,
    '',
    `It is valid for ${CODE_MINUTES} minutes and works once. Device: ${deviceName(ctx)}.`,
    ifNot,
    ...recorderLine(ctx),
    '',
    '-- ',
    'Sent by your Vigil recorder. No link in this mail logs you in.',
  ].join('\n');
  return { subject, text };
}

// ---------------------------------------------------------------------------------------------
// The admin's own settings: reserved addresses (set, confirm, remove) and the hint.

export interface ContactStatus {
  email: { verified: string | null; pending: string | null; available: boolean };
  phone: { verified: string | null; pending: string | null; available: boolean };
  hintSet: boolean;
}

/** What the settings page shows: addresses masked, the hint only as set or not. */
export function contactStatus(ctx: ReservedContactPath, userId: number): ContactStatus {
  const now = ctx.clock.now();
  const view = (channel: ContactChannel) => {
    const contact = ctx.reservedContacts.store.getContact(userId, channel);
    const pendingLive = contact?.pendingAddress && setupCodeVerdict(contact, now, false) === 'wrong';
    return {
      verified: contact?.verifiedAddress ? maskAddress(channel, contact.verifiedAddress) : null,
      pending: pendingLive ? maskAddress(channel, contact.pendingAddress!) : null,
      available: isDeliverable(ctx, channel),
    };
  };
  return { email: view('email'), phone: view('phone'), hintSet: ctx.reservedContacts.store.getHint(userId) !== undefined };
}

export type ContactChangeRefusal =
  | { ok: false; reason: 'throttled' | 'send_budget_spent'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid_current_password' | 'invalid_address' | 'not_deliverable' | 'no_pending' | 'invalid_code' | 'hint_too_long' | 'hint_contains_password' }
  | { ok: false; reason: 'delivery_failed'; message: string };

type ChangeOutcome = { ok: true } | ContactChangeRefusal;

function auditChange(ctx: ReservedContactPath, auth: Authenticated, sourceIp: string, outcome: 'success' | 'failure', details: Record<string, string>): void {
  ctx.audit.append({
    type: 'recovery.method_changed',
    outcome,
    actor: { id: auth.user.id, username: auth.user.username },
    sourceIp,
    target: `user:${auth.user.id}`,
    details,
  });
}

async function reauthenticated(ctx: ReservedContactPath, auth: Authenticated, password: string, sourceIp: string, what: string): Promise<ChangeOutcome> {
  const proof = await reauthenticate(ctx, auth, password, sourceIp);
  if (proof.ok) return proof;
  if (proof.reason === 'invalid_current_password') auditChange(ctx, auth, sourceIp, 'failure', { change: what, reason: proof.reason });
  return proof;
}

/** Sends a code to a new reserved address; the address counts only once its code comes back. */
export async function startContactSetup(
  ctx: ReservedContactPath,
  auth: Authenticated,
  input: { channel: ContactChannel; address: string; currentPassword: string; sourceIp: string },
): Promise<ChangeOutcome> {
  const { channel, sourceIp } = input;
  const address = normaliseAddress(channel, input.address);
  if (address === null) return { ok: false, reason: 'invalid_address' };
  if (!isDeliverable(ctx, channel)) return { ok: false, reason: 'not_deliverable' };
  const proof = await reauthenticated(ctx, auth, input.currentPassword, sourceIp, `${channel}_setup`);
  if (!proof.ok) return proof;
  // Each setup makes the recorder send to an address the admin chose: the test-mail budget applies.
  const budgetKey = `reserved-contact:${auth.user.id}`;
  const budget = ctx.mailTestThrottle.check(budgetKey);
  if (!budget.allowed) return { ok: false, reason: 'send_budget_spent', retryAfterSeconds: budget.retryAfterSeconds };
  ctx.mailTestThrottle.record(budgetKey);

  const code = newContactCode();
  const now = ctx.clock.now();
  const store = ctx.reservedContacts.store;
  store.putPending(
    auth.user.id,
    channel,
    { address, codeHmac: ctx.reservedContacts.mac(setupBinding(auth.user.id, channel, address), code), expiresAt: now + CONTACT_CODE_LIFETIME_SECONDS * 1000 },
    now,
  );
  try {
    // Awaited here (unlike a recovery request): the admin should hear at once that the address or gateway does not work.
    await deliver(ctx, channel, address, codeMessage(ctx, channel, auth.user.username, code, 'setup'));
  } catch (error) {
    store.clearPending(auth.user.id, channel, ctx.clock.now());
    return { ok: false, reason: 'delivery_failed', message: error instanceof Error ? error.message : 'The message could not be sent.' };
  }
  auditChange(ctx, auth, sourceIp, 'success', { method: channel, change: 'verification_sent' });
  return { ok: true };
}

/** The code from the new address: it becomes the verified reserved address. */
export function confirmContactSetup(ctx: ReservedContactPath, auth: Authenticated, input: { channel: ContactChannel; code: string; sourceIp: string }): ChangeOutcome {
  const { channel, sourceIp } = input;
  const throttle = ctx.sourceThrottle.check(sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  return ctx.store.transaction((): ChangeOutcome => {
    const store = ctx.reservedContacts.store;
    const now = ctx.clock.now();
    const contact = store.getContact(auth.user.id, channel);
    const matches =
      contact?.pendingAddress != null &&
      contact.pendingCodeHmac != null &&
      safeEqual(ctx.reservedContacts.mac(setupBinding(auth.user.id, channel, contact.pendingAddress), input.code), contact.pendingCodeHmac);
    switch (setupCodeVerdict(contact, now, matches)) {
      case 'no_pending':
      case 'expired':
        return { ok: false, reason: 'no_pending' };
      case 'wrong':
        store.countPendingFailure(auth.user.id, channel, now);
        countFailedAttempt(ctx, sourceIp);
        auditChange(ctx, auth, sourceIp, 'failure', { method: channel, change: 'verification', reason: 'invalid_code' });
        return { ok: false, reason: 'invalid_code' };
      case 'right':
        store.promotePending(auth.user.id, channel, now);
        auditChange(ctx, auth, sourceIp, 'success', { method: channel, change: 'verified' });
        return { ok: true };
    }
  });
}

export async function removeContact(
  ctx: ReservedContactPath,
  auth: Authenticated,
  input: { channel: ContactChannel; currentPassword: string; sourceIp: string },
): Promise<ChangeOutcome> {
  const proof = await reauthenticated(ctx, auth, input.currentPassword, input.sourceIp, `${input.channel}_removal`);
  if (!proof.ok) return proof;
  ctx.store.transaction(() => {
    ctx.reservedContacts.store.removeContact(auth.user.id, input.channel);
    auditChange(ctx, auth, input.sourceIp, 'success', { method: input.channel, change: 'removed' });
  });
  return { ok: true };
}

/** Sets (a string) or clears (null) the password hint; it is never shown, only mailed to the reserved address. */
export async function setPasswordHint(
  ctx: ReservedContactPath,
  auth: Authenticated,
  input: { hint: string | null; currentPassword: string; sourceIp: string },
): Promise<ChangeOutcome> {
  const proof = await reauthenticated(ctx, auth, input.currentPassword, input.sourceIp, 'password_hint');
  if (!proof.ok) return proof;
  const hint = input.hint?.trim() || null;
  if (hint !== null) {
    const rejection = hintRejection(hint, input.currentPassword);
    if (rejection === 'too_long') return { ok: false, reason: 'hint_too_long' };
    if (rejection === 'contains_password') return { ok: false, reason: 'hint_contains_password' };
  }
  ctx.store.transaction(() => {
    ctx.reservedContacts.store.putHint(auth.user.id, hint === null ? null : ctx.reservedContacts.sealHint(hint), ctx.clock.now());
    auditChange(ctx, auth, input.sourceIp, 'success', { setting: 'password_hint', change: hint === null ? 'cleared' : 'set' });
  });
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Recovery: a code (or the hint) to the reserved address, and the code back for a reset grant.

export interface RecoveryRequestAnswer {
  requestId: string;
  expiresAt: string;
}

interface MatchedAccount {
  user: UserRecord | undefined;
  /** Where wrong codes for this request count: the account's scope when the address was the account's. */
  lockScope: string;
  /** The verified address to send to, when something is sent. */
  address: string | null;
  send: SendDecision;
}

/**
 * Whether a request names an admin's verified address on a channel that can deliver, within the
 * account's send budget. The same lookups and comparison run whatever the answer, so its time
 * says as little as its result (which the caller never reveals).
 */
function matchAccount(ctx: ReservedContactPath, input: { username: string; channel: ContactChannel; address: string }, deliverable: boolean): MatchedAccount {
  const found = ctx.store.findUserByUsername(input.username);
  const userId = found?.id ?? -1;
  const contact = ctx.reservedContacts.store.getContact(userId, input.channel);
  const verified = contact?.verifiedAddress ?? '';
  const given = normaliseAddress(input.channel, input.address) ?? input.address;
  const addressMatches = safeEqual(given, verified) && verified !== '';
  const isAdmin = found?.role === 'admin';
  const sendsInLastHour = ctx.reservedContacts.store.countSendsSince(userId, ctx.clock.now() - 3600_000);
  const send = recoverySendDecision({ isAdmin, addressMatches, deliverable, sendsInLastHour });
  // A request for anything but the account's own address gets a scope of its own, derived from what
  // was asked (the username as the database compares it): wrong codes against it are blocked after
  // as many tries as against the real one, so the block does not tell which address is reserved.
  const lockScope =
    isAdmin && addressMatches
      ? `user:${userId}`
      : `asked:${ctx.reservedContacts.mac('decoy-lock-scope', `${asciiLowerCase(input.username)}\n${input.channel}\n${given}`)}`;
  return { user: found, lockScope, address: send.send ? verified : null, send };
}

/** The audit entry of a request for a code or the hint: what it asked, and why nothing went out. */
function requestEvent(user: UserRecord | undefined, send: SendDecision, sourceIp: string, details: Record<string, string>): SecurityEvent {
  return {
    type: !send.send && send.reason === 'budget_spent' ? 'recovery.blocked' : 'recovery.requested',
    outcome: send.send ? 'success' : 'failure',
    sourceIp,
    target: user ? `user:${user.id}` : null,
    details: send.send ? details : { ...details, reason: send.reason },
  };
}

/**
 * A recovery code to the reserved address (identity/codes/code-recovery.ts). Answers the same (a
 * fresh request id and expiry) whether or not anything was sent: only the holder of the address
 * learns that, from the message itself.
 */
export async function requestRecoveryCode(
  ctx: ReservedContactPath,
  input: { username: string; channel: ContactChannel; address: string; sourceIp: string },
): Promise<RecoveryRequestAnswer> {
  const matched = matchAccount(ctx, input, isDeliverable(ctx, input.channel));
  const request = await requestSentCode(
    { codes: ctx.sentCodes, clock: ctx.clock, codeMac: (requestId, code) => ctx.reservedContacts.mac(requestId, code) },
    {
      channel: input.channel,
      recipient: matched.send.send ? matched.user!.id : null,
      lockScope: matched.lockScope,
      // The store decides the budget again, with the insert: a concurrent request may have spent it since.
      audit: (sends) => {
        const send: SendDecision = sends ? { send: true } : matched.send.send ? { send: false, reason: 'budget_spent' } : matched.send;
        return [requestEvent(matched.user, send, input.sourceIp, { method: input.channel, what: 'code' })];
      },
    },
  );
  const { user, address } = matched;
  if (request.code !== null && user && address) {
    deliverInBackground(ctx, user.id, input.channel, address, codeMessage(ctx, input.channel, user.username, request.code, 'recovery'), 'recovery_code');
  }
  return { requestId: request.requestId, expiresAt: isoTime(request.expiresAt) };
}

/** The hint, to the reserved email only, and only when one is set. Counts against the same send budget. */
export function requestPasswordHint(ctx: ReservedContactPath, input: { username: string; address: string; sourceIp: string }): void {
  const now = ctx.clock.now();
  const request = { ...input, channel: 'email' as const };
  const hint = ctx.store.transaction(() => {
    const sealed = ctx.reservedContacts.store.getHint(ctx.store.findUserByUsername(input.username)?.id ?? -1);
    // No hint set: nothing to send, audited as not deliverable.
    const found = matchAccount(ctx, request, isDeliverable(ctx, 'email') && sealed !== undefined);
    if (found.send.send) {
      // Its id is never handed out: the row is there for the send budget.
      ctx.reservedContacts.store.insertRequest({
        requestId: randomToken(18),
        userId: found.user!.id,
        channel: 'email',
        codeHmac: null,
        lockScope: found.lockScope,
        createdAt: now,
        expiresAt: now,
        usedAt: null,
      });
    }
    ctx.audit.append(requestEvent(found.user, found.send, input.sourceIp, { method: 'email', what: 'hint' }));
    return found.send.send ? { user: found.user!, address: found.address!, sealed: sealed! } : undefined;
  });
  if (!hint) return;
  let hintText: string;
  try {
    hintText = ctx.reservedContacts.openHint(hint.sealed);
  } catch {
    ctx.logger.warn({ event: 'password_hint_unreadable', userId: hint.user.id }, 'the stored password hint cannot be decrypted (the settings key file was replaced)');
    return;
  }
  const text = [
    `Someone asked for the password hint of the admin account ${hint.user.username} on ${deviceName(ctx)}. Your hint:`,
    '',
    `    ${hintText}`,
    '',
    'If this was not you, ignore this mail: the hint alone lets nobody in.',
    ...recorderLine(ctx),
  ].join('\n');
  deliverInBackground(ctx, hint.user.id, 'email', hint.address, { subject: 'Vigil: your password hint', text }, 'password_hint');
}

/** What checking a code back goes through: the codes, their lock and key, the source throttle, the admins and their second factors. */
export type CodeVerifying = FailureCounting &
  FactorChecking &
  Pick<ReservedContactPath, 'clock' | 'methodLockStore' | 'sentCodes'> & {
    store: Pick<RecorderStore, 'getUser'>;
    reservedContacts: Pick<ReservedContacts, 'mac'>;
  };

export type CodeVerifyOutcome =
  | { ok: true; grant: ResetGrant }
  | { ok: false; reason: 'throttled' | 'blocked'; retryAfterSeconds: number }
  /** A wrong, spent or expired code, or a right one without the account's second factor: one answer. */
  | { ok: false; reason: 'invalid_code' };

/**
 * The code back (identity/codes/code-recovery.ts): a right one is traded for a grant once. Only an
 * admin's code counts, and only with the account's second factor when it has one. Wrong codes count
 * per account and channel, across codes (and, for a request that sent nothing, per username and
 * address asked for), and against the source address.
 */
export async function verifyRecoveryCode(
  ctx: CodeVerifying,
  input: { requestId: string; code: string; sourceIp: string } & RecoverySecondFactorProof,
): Promise<CodeVerifyOutcome> {
  const outcome = await checkSentCode(
    {
      codes: ctx.sentCodes,
      methodLocks: ctx.methodLockStore,
      audit: ctx.audit,
      clock: ctx.clock,
      sourceThrottle: sourceThrottleOf(ctx),
      codeMac: (requestId, code) => ctx.reservedContacts.mac(requestId, code),
    },
    {
      holder: (accountId) => {
        const user = ctx.store.getUser(accountId);
        return user?.role === 'admin' ? user : undefined;
      },
      secondFactor: (user) => recoverySecondFactorOrReplay(ctx, user, input),
      // The account concerned, also when the request sent nothing but named the account's own address.
      auditTarget: (request) => (request?.lockScope.startsWith('user:') ? request.lockScope : null),
      unknownMethod: 'email_or_phone',
    },
    input,
  );
  if (!outcome.ok) return outcome;
  return { ok: true, grant: grantAnswer(outcome.holder, outcome.grant) };
}

// ---------------------------------------------------------------------------------------------
// After a recovery reset: the reserved addresses hear of it too.

/**
 * Sends a security notice (decided by securityMailFor) to the account's verified reserved email
 * and, by text, its verified phone; `alreadySentTo` is skipped (the notification address).
 */
export function alertReservedContacts(ctx: ContactDelivery, userId: number, notice: MailContent, alreadySentTo: string | null): void {
  for (const channel of ['email', 'phone'] as const) {
    const address = ctx.reservedContacts.store.getContact(userId, channel)?.verifiedAddress;
    if (!address || !isDeliverable(ctx, channel)) continue;
    if (channel === 'email' && alreadySentTo !== null && normaliseAddress('email', alreadySentTo) === address) continue;
    deliverInBackground(ctx, userId, channel, address, notice, 'reset_notice');
  }
}
