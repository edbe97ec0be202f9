import type { Clock } from '../../shared/clock.js';
import type { SecurityEvent, SecurityEventLog } from '../audit/security-event.js';
import type { StoredGrant } from '../grants/grant-store.js';
import { newGrantToken } from '../grants/reset-grant.js';
import { methodLockState } from '../lockout/method-lock.js';
import { countMethodFailure, type MethodLockStore } from '../lockout/method-lock-store.js';
import type { SourceThrottle } from '../lockout/source-throttle.js';
import { randomToken, safeEqual } from '../../shared/secrets.js';
import { CONTACT_CODE_LIFETIME_SECONDS, CONTACT_CODE_LOCK, MAX_SENDS_PER_HOUR } from './code-rules.js';
import type { SentCode, SentCodeStore } from './code-store.js';
import { newContactCode } from './contact-code.js';

/** What checking a sent code goes through: the codes, the lock on wrong ones, the audit log, the source throttle. */
export interface CodeChecking<Channel extends string> {
  codes: SentCodeStore<Channel>;
  methodLocks: MethodLockStore;
  audit: SecurityEventLog;
  sourceThrottle: Pick<SourceThrottle, 'check' | 'countFailure'>;
  clock: Clock;
  /** What is stored of the code sent for a request (codeMac of contact-code.ts, under the part's key). */
  codeMac(requestId: string, code: string): string;
}

/** What asking for a code goes through: the codes (and their send budget), the clock, the part's code key. */
export type CodeSending<Channel extends string> = Pick<CodeChecking<Channel>, 'codes' | 'clock' | 'codeMac'>;

/** The answer to a request for a code: the same shape whether or not anything was sent. */
export interface CodeRequest {
  requestId: string;
  expiresAt: number;
  /** The code to send, when one goes out: only the holder of the address ever learns it. */
  code: string | null;
}

/**
 * Someone asks for a code. The part has decided to whom it would go (`recipient`, null for nobody:
 * an unknown name, a wrong address, ...); the store decides, atomically with the account's send
 * budget, whether it does, and stores the request either way, so the request id and expiry
 * answered say nothing about the account. `audit` is told whether it sends.
 */
export async function requestSentCode<Channel extends string>(
  deps: CodeSending<Channel>,
  input: { channel: Channel; recipient: number | null; lockScope: string; audit: (sends: boolean) => readonly SecurityEvent[] },
): Promise<CodeRequest> {
  const requestId = randomToken(18);
  const now = deps.clock.now();
  const expiresAt = now + CONTACT_CODE_LIFETIME_SECONDS * 1000;
  // Made and keyed whatever happens next, so the request takes as long either way.
  const code = newContactCode();
  const codeHmac = deps.codeMac(requestId, code);
  const sends = await deps.codes.insertWithinBudget(
    { requestId, accountId: input.recipient, channel: input.channel, codeHmac: input.recipient === null ? null : codeHmac, lockScope: input.lockScope, createdAt: now, expiresAt, usedAt: null },
    { since: now - 3600_000, max: MAX_SENDS_PER_HOUR },
    input.audit,
  );
  return { requestId, expiresAt, code: sends ? code : null };
}

/**
 * The account's second factor, asked only once the code is right: a code by mail never bypasses it.
 * `replayed`: a right TOTP code of a step already accepted, refused but no guess.
 */
export type SecondFactorCheck = 'not_required' | 'accepted' | 'missing' | 'wrong' | 'replayed';

/** What the part decides about a request: whose it is, the account's second factor, how the log names it. */
export interface CodePath<Channel extends string, Holder> {
  /** The account the request sent its code to, if the part still honours it (e.g. it is still an admin). */
  holder(accountId: number): Holder | undefined | Promise<Holder | undefined>;
  secondFactor(holder: Holder): SecondFactorCheck | Promise<SecondFactorCheck>;
  /** The account the audit entries name: also for a request that sent nothing but named the account's own address. */
  auditTarget(request: SentCode<Channel> | undefined): string | null;
  /** The method the audit log names when the request id is unknown. */
  unknownMethod: string;
}

/** The grant a right code earns: its token, given to the holder once. */
export interface EarnedGrant<Channel extends string> {
  token: string;
  expiresAt: number;
  method: Channel;
}

export type CodeCheckOutcome<Channel extends string, Holder> =
  | { ok: true; holder: Holder; grant: EarnedGrant<Channel> }
  | { ok: false; reason: 'throttled' | 'blocked'; retryAfterSeconds: number }
  /** A wrong, spent or expired code, or a right one without the account's second factor: one answer. */
  | { ok: false; reason: 'invalid_code' };

type RefusalReason = 'invalid_code' | 'second_factor_missing' | 'invalid_second_factor' | 'replayed_second_factor';

/**
 * A sent code comes back: if it is right and live, and the account's second factor is given when
 * it has one, the code is traded for a reset grant in one atomic operation of the store (so of
 * many concurrent submissions exactly one earns a grant). Wrong codes count in the request's lock
 * scope (per account and channel, across codes) and against the source address; the person asking
 * hears `invalid_code` whatever went wrong, the audit log (admins only) hears why.
 */
export async function checkSentCode<Channel extends string, Holder>(
  deps: CodeChecking<Channel>,
  path: CodePath<Channel, Holder>,
  input: { requestId: string; code: string; sourceIp: string },
): Promise<CodeCheckOutcome<Channel, Holder>> {
  const throttle = await deps.sourceThrottle.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  const request = await deps.codes.find(input.requestId);
  const audited = { sourceIp: input.sourceIp, target: path.auditTarget(request) };

  /** `guess`: counted in the request's lock scope; a spent right code is not one. */
  const refuse = async (reason: RefusalReason, guess = true): Promise<CodeCheckOutcome<Channel, Holder>> => {
    await deps.sourceThrottle.countFailure(input.sourceIp);
    const now = deps.clock.now();
    const lock =
      guess && request ? methodLockState(await countMethodFailure(deps.methodLocks, request.channel, request.lockScope, CONTACT_CODE_LOCK, now), now) : undefined;
    deps.audit.append({ ...audited, type: 'recovery.evidence_failed', outcome: 'failure', details: { method: request?.channel ?? path.unknownMethod, reason } });
    if (request && lock?.blocked) {
      deps.audit.append({ ...audited, type: 'recovery.blocked', outcome: 'info', details: { method: request.channel, retryAfterSeconds: lock.retryAfterSeconds } });
    }
    return { ok: false, reason: 'invalid_code' };
  };

  // An id nobody was given.
  if (!request) return refuse('invalid_code');
  const lock = methodLockState(await deps.methodLocks.get(request.channel, request.lockScope), deps.clock.now());
  if (lock.blocked) return { ok: false, reason: 'blocked', retryAfterSeconds: lock.retryAfterSeconds };
  // Nothing was sent for it (or the part no longer honours the account): exactly like a wrong code.
  const holder = request.codeHmac !== null && request.accountId !== null ? await path.holder(request.accountId) : undefined;
  if (request.codeHmac === null || request.accountId === null || holder === undefined) return refuse('invalid_code');

  if (!safeEqual(deps.codeMac(request.requestId, input.code), request.codeHmac)) return refuse('invalid_code');
  // The right code, spent or expired: the same answer, but no guess, so a double click does not
  // count towards blocking the owner's own account.
  if (request.usedAt !== null || request.expiresAt <= deps.clock.now()) return refuse('invalid_code', false);

  // A right code without the account's second factor gets the answer a wrong code gets, and counts
  // like one: a different answer would confirm a guessed code to someone without the second factor.
  // The code is not spent: the owner sends it again with their authenticator code.
  // Known race, accepted for now: concurrent requests with this right code each check (and so
  // spend) their own second factor before one of them redeems the code; the others then get the
  // spent code's answer. Checking after `redeem` is no fix, since `redeem` makes the grant and its
  // audit entry in one atomic step and no grant may exist before the second factor is right; a fix
  // needs one more atomic port operation ("hold this right code for one check, release it on a
  // wrong factor") in the contract suite and every adapter. Meanwhile only someone holding the code
  // and several recovery codes (the owner) can race, gains no second grant, counts no guess, and
  // loses one of their own recovery codes (test/identity/recovery-services.test.ts).
  const secondFactor = await path.secondFactor(holder);
  if (secondFactor === 'missing') return refuse('second_factor_missing');
  if (secondFactor === 'wrong') return refuse('invalid_second_factor');
  // The same race with one TOTP code (a double click): the twin accepted the step, this request
  // finds it spent. A spent step teaches nothing and can never pass again, so it is no guess: the
  // owner's double click must not count towards locking the owner's own method.
  if (secondFactor === 'replayed') return refuse('replayed_second_factor', false);

  const now = deps.clock.now();
  const { token, tokenHash, expiresAt } = newGrantToken(now);
  const grant: StoredGrant = { tokenHash, accountId: request.accountId, method: request.channel, createdAt: now, expiresAt, usedAt: null };
  const accepted: SecurityEvent = { ...audited, type: 'recovery.evidence_accepted', outcome: 'success', details: { method: request.channel } };
  if (!(await deps.codes.redeem(request.requestId, now, grant, [accepted]))) return refuse('invalid_code', false);
  return { ok: true, holder, grant: { token, expiresAt, method: request.channel } };
}
