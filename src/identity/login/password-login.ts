import type { Clock } from '../../shared/clock.js';
import type { ConcurrencyLimit } from '../../shared/concurrency-limit.js';
import type { Logger } from '../../shared/logger.js';
import type { SecurityEventLog } from '../audit/security-event.js';
import type { ThrottleDecision } from '../lockout/attempt-throttle.js';
import { loginAccount, startedLockDetails, type LoginAccount, type LoginClient, type LoginLockout } from '../lockout/login-lockout.js';
import { attemptEffect, type StartedLocks } from '../lockout/policy.js';
import { sourceBlockEvent } from '../lockout/source-block-event.js';
import type { PasswordHasher } from '../passwords/hash.js';
import { oneTimePasswordExpired } from '../passwords/one-time-password.js';

/** What a password login needs to know of an account. */
export interface PasswordAccount {
  id: number;
  username: string;
  passwordHash: string;
  /** Only for a lockout policy with a threshold per role. */
  role?: string;
  /** Set while the password is a one-time password an admin issued: it stops working then. */
  oneTimePasswordExpiresAt: number | null;
}

/** Where a password login finds accounts and keeps a rehashed password (a port). */
export interface PasswordAccountStore<A extends PasswordAccount> {
  findByUsername(username: string): Promise<A | undefined>;
  replacePasswordHash(accountId: number, passwordHash: string): Promise<void>;
}

/** An answer now, or later from an async store: the recorder's throttle answers at once. */
type Awaitable<T> = T | Promise<T>;

/** The per-source throttle across accounts, for clients the account does not know. */
export interface SourceThrottle {
  check(source: string): Awaitable<ThrottleDecision>;
  /** Counts a failure now unless the source is blocked already, deciding and counting in one atomic step. */
  reserve(source: string): Awaitable<{ allowed: true; at: number } | { allowed: false; retryAfterSeconds: number }>;
  /** Takes back the failure reserved at `at`. */
  withdraw(source: string, at: number): Awaitable<void>;
}

/** What a password login goes through. `M` names a part's second factors. */
export interface PasswordLoginServices<A extends PasswordAccount, M> {
  accounts: PasswordAccountStore<A>;
  lockout: Pick<LoginLockout, 'gate' | 'policy' | 'reserve' | 'succeeded' | 'withdraw'>;
  sourceThrottle: SourceThrottle;
  /** Where unknown clients' hashes wait their turn, so known browsers never wait behind a flood. */
  unknownClientHashing: Pick<ConcurrencyLimit, 'run'>;
  hasher: Pick<PasswordHasher, 'verify' | 'verifyDummy' | 'hash'>;
  /** The second factors the account has: a login is complete only when there are none. */
  secondFactorsOf(account: A): Awaitable<M[]>;
  events: SecurityEventLog;
  logger: Logger;
  clock: Clock;
}

export interface PasswordLoginInput<A> {
  username: string;
  password: string;
  sourceIp: string;
  /** The id of the browser's device if it proves it logged in to this account before (the part checks its own cookie). */
  knownDeviceOf?: (account: A) => string | undefined;
}

export type PasswordLoginOutcome<A, M> =
  /** The password is right; the login is complete only when `secondFactorMethods` is empty. */
  | { ok: true; account: A; secondFactorMethods: M[] }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  /** Unknown user, wrong password and an account closed to unknown clients are one outcome: nothing downstream can tell them apart. */
  | { ok: false; reason: 'invalid_credentials' }
  /** The right one-time password, too late. Only someone who knew it learns this. */
  | { ok: false; reason: 'one_time_password_expired' };

const THROTTLED = (retryAfterSeconds: number) => ({ ok: false, reason: 'throttled', retryAfterSeconds }) as const;

/**
 * Checks a password login, cheapest refusals first, and never hashes before they pass:
 * 1. the source address's throttle across accounts (not for a browser the account knows);
 * 2. this client's lockout on this account (429, Retry-After);
 * 3. for unknown clients, the account's hourly budget: when spent, the answer is a wrong password's;
 * 4. the password (a dummy hash for a name no account has, so its answer takes as long).
 * Each limit counts the attempt as failed before the hash runs and decides from what its store
 * answered to that: other requests run at every `await`, and still none gets past a limit.
 */
export async function passwordLogin<A extends PasswordAccount, M>(
  ctx: PasswordLoginServices<A, M>,
  input: PasswordLoginInput<A>,
): Promise<PasswordLoginOutcome<A, M>> {
  const username = input.username.normalize('NFC');
  const found = await ctx.accounts.findByUsername(username);
  const deviceId = found && input.knownDeviceOf?.(found);
  const client: LoginClient = deviceId ? { kind: 'device', id: deviceId } : { kind: 'address', id: input.sourceIp };

  const source = client.kind === 'address' ? await ctx.sourceThrottle.reserve(input.sourceIp) : undefined;
  if (source && !source.allowed) return THROTTLED(source.retryAfterSeconds);
  const takeBackSource = async () => {
    if (source?.allowed) await ctx.sourceThrottle.withdraw(input.sourceIp, source.at);
  };
  const account = loginAccount(found, username);
  const gate = await ctx.lockout.gate(account, client);
  if (gate.verdict === 'client_locked') {
    await takeBackSource();
    return THROTTLED(gate.retryAfterSeconds);
  }
  const reservation = await ctx.lockout.reserve(account, client, gate.verdict === 'open');
  if (reservation.verdict === 'client_locked') {
    await takeBackSource();
    return THROTTLED(reservation.retryAfterSeconds);
  }

  // An account closed to unknown clients costs no hash: bounding the hashing a flood of addresses
  // can cause is the point of the budget. Its quicker answer tells only that the budget is spent,
  // which unknown names show alike, so it does not reveal whether the account exists.
  const hash = <T>(task: () => Promise<T>) => (client.kind === 'device' ? task() : ctx.unknownClientHashing.run(task));
  const checks = reservation.verdict === 'open';
  const result = checks && found ? await hash(() => ctx.hasher.verify(found.passwordHash, input.password)) : undefined;
  if (checks && !found) await hash(() => ctx.hasher.verifyDummy(input.password));

  const failure = { account, client, username: input.username, sourceIp: input.sourceIp, locks: reservation };
  if (!found || !result?.valid) {
    await recordFailure(ctx, failure);
    return { ok: false, reason: 'invalid_credentials' };
  }
  if (oneTimePasswordExpired(found, ctx.clock.now())) {
    // Still counted as a failure: an expired credential must not become a free oracle.
    await recordFailure(ctx, { ...failure, reason: 'one_time_password_expired' });
    return { ok: false, reason: 'one_time_password_expired' };
  }
  const methods = await ctx.secondFactorsOf(found);
  if (attemptEffect({ step: 'password', right: true, secondFactorRequired: methods.length > 0 }) === 'reset') {
    await ctx.lockout.succeeded(account, client);
  } else {
    await ctx.lockout.withdraw(account, client, reservation);
  }
  await takeBackSource();
  if (result.needsRehash) await ctx.accounts.replacePasswordHash(found.id, await ctx.hasher.hash(input.password));
  return { ok: true, account: found, secondFactorMethods: methods };
}

/** Audits a failed login and the locks it started. */
async function recordFailure(
  ctx: Pick<PasswordLoginServices<PasswordAccount, unknown>, 'events' | 'sourceThrottle' | 'lockout' | 'logger'>,
  failure: { account: LoginAccount; client: LoginClient; username: string; sourceIp: string; locks: StartedLocks; reason?: 'one_time_password_expired' },
): Promise<void> {
  const { account, client, sourceIp } = failure;
  await ctx.events.append({
    type: 'auth.login_failed',
    outcome: 'failure',
    actor: { id: account.userId, username: failure.username.slice(0, 64) },
    sourceIp,
    ...(failure.reason ? { details: { reason: failure.reason } } : {}),
  });
  if (client.kind === 'address') {
    const blocked = sourceBlockEvent(sourceIp, await ctx.sourceThrottle.check(sourceIp));
    if (blocked) await ctx.events.append(blocked);
  }
  for (const details of startedLockDetails(client, failure.locks, ctx.lockout.policy)) {
    await ctx.events.append({ type: 'auth.lockout', outcome: 'info', sourceIp, target: account.target, details });
  }
  ctx.logger.warn({ event: 'login_failed', sourceIp }, 'login failed');
}
