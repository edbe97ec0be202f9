import type { Clock } from '../../shared/clock.js';
import { sha256Hex } from '../../shared/secrets.js';
import { accountAttemptKey, type LoginAttemptStore, type LoginClientKey } from './attempt-store.js';
import {
  clientLockDecision,
  failureStreak,
  lockoutHorizonSeconds,
  reservationVerdict,
  unknownClientCapDecision,
  HOUR_SECONDS,
  type LockoutPolicy,
  type StartedLocks,
} from './policy.js';

/** The account a login names. A name no account has is tracked the same way, under the name. */
export interface LoginAccount {
  key: string;
  /** Audit target: `user:<id>`, or `username:<name>` when no account has the name. */
  target: string;
  username: string;
  userId: number | null;
  role: string | undefined;
}

/** What the lockout needs to know of an account: who it is, and its role (the policy may set a threshold per role). */
export interface LockoutAccountRecord {
  id: number;
  username: string;
  role?: string;
}

/** Where the lockout finds the accounts its keys name, for the admin's list (a port). */
export interface LockoutAccounts {
  findById(id: number): Promise<LockoutAccountRecord | undefined>;
}

/** Who is trying: a browser with a valid device cookie for the account, or else its address. */
export interface LoginClient {
  kind: 'address' | 'device';
  id: string;
}

export type LockoutGate =
  | { verdict: 'open' }
  | { verdict: 'client_locked'; retryAfterSeconds: number }
  /** The unknown-client budget of the account is spent: answered exactly like a wrong password. */
  | { verdict: 'closed_to_unknown_clients' };

/**
 * A failure counted before its check ran, or the refusal its reservation turned into (then nothing
 * stays counted). `open`: the attempt may check a secret; `closed_to_unknown_clients`: it counts
 * in the client's streak but checks nothing. The locks are those it starts if it fails.
 */
export type Reservation =
  | { verdict: 'client_locked'; retryAfterSeconds: number }
  | ({ verdict: 'open' | 'closed_to_unknown_clients'; id: string; at: number } & StartedLocks);

/** A lock the admin sees: one client locked out of one account, or an account closed to all unknown clients. */
export interface Lockout {
  id: string;
  username: string;
  userId: number | null;
  clientKind: 'address' | 'device' | 'unknown_clients';
  /** The address, the first 8 characters of the device id, or '' for unknown clients. */
  client: string;
  failures: number;
  lockedUntil: number;
}

/** ASCII only, as SQLite's NOCASE folds: an unknown name is keyed like the account it could be. */
const foldCase = (name: string) => name.replace(/[A-Z]/g, (c) => c.toLowerCase());

export function loginAccount(account: LockoutAccountRecord | undefined, attemptedName: string): LoginAccount {
  if (account) {
    return { key: accountAttemptKey(account.id), target: `user:${account.id}`, username: account.username, userId: account.id, role: account.role };
  }
  const name = attemptedName.slice(0, 64);
  return { key: `name:${foldCase(name)}`, target: `username:${name}`, username: name, userId: null, role: undefined };
}

const clientKey = (account: LoginAccount, client: LoginClient): LoginClientKey => ({
  accountKey: account.key,
  kind: client.kind,
  clientId: client.id,
});

/** What the audit log says of each lock a failure started (one `auth.lockout` entry each); a device id only shortened, as the admin's list shows it. */
export function startedLockDetails(client: LoginClient, locks: StartedLocks, policy: LockoutPolicy): Record<string, string | number>[] {
  return [
    ...(locks.clientRetryAfterSeconds === undefined
      ? []
      : [{ clientKind: client.kind, client: client.kind === 'device' ? client.id.slice(0, 8) : client.id, retryAfterSeconds: locks.clientRetryAfterSeconds }]),
    ...(locks.accountRetryAfterSeconds === undefined
      ? []
      : [{ clientKind: 'unknown_clients', guessesPerHour: policy.unknownClientGuessesPerHour, retryAfterSeconds: locks.accountRetryAfterSeconds }]),
  ];
}

const PRUNE_EVERY_MS = 60_000;

/**
 * Per-account lockout: the decisions of policy.ts over the attempts a store keeps. Other requests
 * run at every `await`: what admits an attempt is the store's answer to its own reservation, never
 * an earlier read.
 */
export class LoginLockout {
  #lastPrunedAt = -Infinity;

  constructor(
    readonly policy: LockoutPolicy,
    private readonly attempts: LoginAttemptStore,
    private readonly accounts: LockoutAccounts,
    private readonly clock: Clock,
  ) {}

  /**
   * The cheap checks, in order, that write nothing: this client's own streak, then (unknown clients
   * only) the account's hourly budget. A hint that spares a locked client a write; `reserve` decides.
   */
  async gate(account: LoginAccount, client: LoginClient): Promise<LockoutGate> {
    const now = this.clock.now();
    const since = this.#since(now);
    const own = clientLockDecision(await this.attempts.clientAttempts(clientKey(account, client), since.client), now, this.policy, account.role);
    if (!own.allowed) return { verdict: 'client_locked', retryAfterSeconds: own.retryAfterSeconds };
    if (client.kind === 'address') {
      const budget = unknownClientCapDecision(await this.attempts.unknownClientGuesses(account.key, since.guesses), now, this.policy);
      if (!budget.allowed) return { verdict: 'closed_to_unknown_clients' };
    }
    return { verdict: 'open' };
  }

  /**
   * Counts an attempt as failed before its secret is checked (`guess`: it would check one), so
   * concurrent guesses cannot all pass while the hashes run; `withdraw` or `succeeded` takes it
   * back. What the store answers decides, in the same step: a client locked before this attempt is
   * refused, and a guess on an account whose budget was spent before it is counted as no guess.
   * A refused reservation is taken back at once, so it neither extends a lock nor starts one.
   */
  async reserve(account: LoginAccount, client: LoginClient, guess: boolean): Promise<Reservation> {
    const now = this.clock.now();
    const key = clientKey(account, client);
    const reserved = await this.attempts.reserveFailure(key, now, guess, this.#since(now));
    if (now - this.#lastPrunedAt >= PRUNE_EVERY_MS) {
      this.#lastPrunedAt = now;
      await this.attempts.deleteBefore(now - lockoutHorizonSeconds(this.policy) * 1000);
    }
    const decided = reservationVerdict(reserved, now, client.kind === 'address' && guess, this.policy, account.role);
    if (decided.verdict !== 'admitted') await this.attempts.withdrawFailure(key, reserved.id);
    if (decided.verdict === 'client_locked') return decided;
    // Other guesses spent the budget while this one waited: it counts in the client's streak as
    // any attempt on a closed account does, as no guess.
    if (decided.verdict === 'budget_spent') return this.reserve(account, client, false);
    return {
      verdict: guess ? 'open' : 'closed_to_unknown_clients',
      id: reserved.id,
      at: now,
      clientRetryAfterSeconds: decided.clientRetryAfterSeconds,
      accountRetryAfterSeconds: decided.accountRetryAfterSeconds,
    };
  }

  /** The attempt was right but the login is not complete: only its own reserved failure goes, the streak before it stays. */
  async withdraw(account: LoginAccount, client: LoginClient, reservation: { id: string }): Promise<void> {
    await this.attempts.withdrawFailure(clientKey(account, client), reservation.id);
  }

  /** The login is complete: the client's streak on the account starts again. */
  async succeeded(account: LoginAccount, client: LoginClient): Promise<void> {
    await this.attempts.recordSuccess(clientKey(account, client), this.clock.now());
  }

  /** Every lock in force now, longest first. */
  async list(): Promise<Lockout[]> {
    return (await this.#locks()).map((l) => l.lock);
  }

  /** Lifts one lock; returns it and the audit target of its account, or undefined if no lock has that id (any more). */
  async unlock(id: string): Promise<{ lock: Lockout; target: string } | undefined> {
    const found = (await this.#locks()).find((l) => l.lock.id === id);
    if (!found) return undefined;
    if (found.lock.clientKind === 'unknown_clients') await this.attempts.forgiveUnknownGuesses(found.account.key);
    else await this.attempts.clearClient({ accountKey: found.account.key, kind: found.lock.clientKind, clientId: found.clientId });
    return { lock: found.lock, target: found.account.target };
  }

  async #locks(): Promise<{ lock: Lockout; account: LoginAccount; clientId: string }[]> {
    const now = this.clock.now();
    const rows = await this.attempts.attemptsSince(now - lockoutHorizonSeconds(this.policy) * 1000);
    const clients = new Map<string, LoginClientKey>();
    for (const row of rows) clients.set(`${row.accountKey}\n${row.kind}\n${row.clientId}`, row);
    const accounts = new Map<string, LoginAccount>();
    for (const accountKey of new Set(rows.map((r) => r.accountKey))) accounts.set(accountKey, await this.#accountOf(accountKey));
    const found: { lock: Lockout; account: LoginAccount; clientId: string }[] = [];
    const add = (account: LoginAccount, clientKind: Lockout['clientKind'], clientId: string, failures: number, retryAfterSeconds: number) => {
      found.push({
        account,
        clientId,
        lock: {
          id: sha256Hex(`${account.key}\n${clientKind}\n${clientId}`).slice(0, 24),
          username: account.username,
          userId: account.userId,
          clientKind,
          client: clientKind === 'device' ? clientId.slice(0, 8) : clientId,
          failures,
          lockedUntil: now + retryAfterSeconds * 1000,
        },
      });
    };
    for (const key of clients.values()) {
      const account = accounts.get(key.accountKey)!;
      const attempts = await this.attempts.clientAttempts(key, 0);
      const decision = clientLockDecision(attempts, now, this.policy, account.role);
      if (!decision.allowed) add(account, key.kind, key.clientId, failureStreak(attempts).length, decision.retryAfterSeconds);
    }
    for (const account of accounts.values()) {
      const guesses = await this.attempts.unknownClientGuesses(account.key, this.#since(now).guesses);
      const decision = unknownClientCapDecision(guesses, now, this.policy);
      if (decision.allowed) continue;
      add(account, 'unknown_clients', '', guesses.filter((at) => at >= now - HOUR_SECONDS * 1000).length, decision.retryAfterSeconds);
    }
    return found.sort((a, b) => b.lock.lockedUntil - a.lock.lockedUntil || a.lock.id.localeCompare(b.lock.id));
  }

  /** How far back each decision reads: a client's streak can lock for a block after its window; the budget, an hour after its hour. */
  #since(now: number): { client: number; guesses: number } {
    return { client: now - (this.policy.windowSeconds + this.policy.maxBlockSeconds) * 1000, guesses: now - 2 * HOUR_SECONDS * 1000 };
  }

  async #accountOf(accountKey: string): Promise<LoginAccount> {
    const id = /^user:(\d+)$/.exec(accountKey)?.[1];
    const account = id === undefined ? undefined : await this.accounts.findById(Number(id));
    if (account) return loginAccount(account, account.username);
    return loginAccount(undefined, accountKey.replace(/^(name|user):/, ''));
  }
}
