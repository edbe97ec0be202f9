import type { Clock } from '../../shared/clock.js';
import { sha256Hex } from '../../shared/secrets.js';
import type { LoginClientKey } from '../../identity/lockout/attempt-store.js';
import type { SyncLoginAttemptStore } from '../db/login-attempts.js';
import type { RecorderStore, Role, UserRecord } from '../db/store.js';
import {
  clientLockDecision,
  failureStreak,
  lockoutHorizonSeconds,
  unknownClientCapDecision,
  HOUR_SECONDS,
  type LockoutPolicy,
} from '../../identity/lockout/policy.js';

/** The account a login names. A name no account has is tracked the same way, under the name. */
export interface LoginAccount {
  key: string;
  /** Audit target: `user:<id>`, or `username:<name>` when no account has the name. */
  target: string;
  username: string;
  userId: number | null;
  role: Role | undefined;
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

/** SQLite's NOCASE folds ASCII only; so does this, so an unknown name is keyed like the account it could be. */
const foldCase = (name: string) => name.replace(/[A-Z]/g, (c) => c.toLowerCase());

export function loginAccount(user: UserRecord | undefined, attemptedName: string): LoginAccount {
  if (user) return { key: `user:${user.id}`, target: `user:${user.id}`, username: user.username, userId: user.id, role: user.role };
  const name = attemptedName.slice(0, 64);
  return { key: `name:${foldCase(name)}`, target: `username:${name}`, username: name, userId: null, role: undefined };
}

const clientKey = (account: LoginAccount, client: LoginClient): LoginClientKey => ({
  accountKey: account.key,
  kind: client.kind,
  clientId: client.id,
});

/** What the audit log keeps of a client's lock on an account: a device id only shortened, as the admin's list shows it. */
/** What the audit log says of each lock a failure started (one `auth.lockout` entry each). */
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

/** Locks an attempt starts if it fails: the client's own, and the account closing to unknown clients. */
export interface StartedLocks {
  clientRetryAfterSeconds?: number;
  accountRetryAfterSeconds?: number;
}

/** A failure counted before its check ran: the locks it starts if the attempt fails, and its time, for `withdraw`. */
export interface Reservation extends StartedLocks {
  at: number;
}

const PRUNE_EVERY_MS = 60_000;

/** Per-account lockout: the decisions of identity/lockout/policy.ts over the attempts the database keeps. */
export class LoginLockout {
  #lastPrunedAt = -Infinity;

  constructor(
    readonly policy: LockoutPolicy,
    private readonly attempts: SyncLoginAttemptStore,
    private readonly users: Pick<RecorderStore, 'getUser'>,
    private readonly clock: Clock,
  ) {}

  /** The cheap checks, in order: this client's own streak, then (unknown clients only) the account's hourly budget. */
  gate(account: LoginAccount, client: LoginClient): LockoutGate {
    const now = this.clock.now();
    const own = this.#clientDecision(account, client, now);
    if (!own.allowed) return { verdict: 'client_locked', retryAfterSeconds: own.retryAfterSeconds };
    if (client.kind === 'address' && !this.#unknownClientDecision(account.key, now).allowed) {
      return { verdict: 'closed_to_unknown_clients' };
    }
    return { verdict: 'open' };
  }

  /**
   * Counts an attempt as failed before its password is checked, so concurrent guesses cannot all
   * pass the gate while the hashes run; `withdraw` or `succeeded` takes it back. `guess`: it reaches a password
   * check. Returns the locks this attempt starts if it fails: gate and reservation run without a
   * pause between them, so exactly one attempt starts each lock.
   */
  reserve(account: LoginAccount, client: LoginClient, guess: boolean): Reservation {
    const now = this.clock.now();
    this.attempts.recordFailure(clientKey(account, client), now, guess);
    if (now - this.#lastPrunedAt >= PRUNE_EVERY_MS) {
      this.#lastPrunedAt = now;
      this.attempts.deleteBefore(now - lockoutHorizonSeconds(this.policy) * 1000);
    }
    const own = this.#clientDecision(account, client, now);
    const budget = client.kind === 'address' && guess ? this.#unknownClientDecision(account.key, now) : { allowed: true as const };
    return {
      at: now,
      ...(own.allowed ? {} : { clientRetryAfterSeconds: own.retryAfterSeconds }),
      ...(budget.allowed ? {} : { accountRetryAfterSeconds: budget.retryAfterSeconds }),
    };
  }

  /** The attempt was right but the login is not complete: only its own reserved failure goes, the streak before it stays. */
  withdraw(account: LoginAccount, client: LoginClient, reservation: Reservation): void {
    this.attempts.withdrawFailure(clientKey(account, client), reservation.at);
  }

  /** The login is complete: the client's streak on the account starts again. */
  succeeded(account: LoginAccount, client: LoginClient): void {
    this.attempts.recordSuccess(clientKey(account, client), this.clock.now());
  }

  /** Every lock in force now, longest first. */
  list(): Lockout[] {
    return this.#locks().map((l) => l.lock);
  }

  /** Lifts one lock; returns it and the audit target of its account, or undefined if no lock has that id (any more). */
  unlock(id: string): { lock: Lockout; target: string } | undefined {
    const found = this.#locks().find((l) => l.lock.id === id);
    if (!found) return undefined;
    if (found.lock.clientKind === 'unknown_clients') this.attempts.forgiveUnknownGuesses(found.accountKey);
    else this.attempts.clearClient({ accountKey: found.accountKey, kind: found.lock.clientKind, clientId: found.clientId });
    return { lock: found.lock, target: this.#accountOf(found.accountKey).target };
  }

  #locks(): { lock: Lockout; accountKey: string; clientId: string }[] {
    const now = this.clock.now();
    const rows = this.attempts.attemptsSince(now - lockoutHorizonSeconds(this.policy) * 1000);
    const clients = new Map<string, LoginClientKey>();
    for (const row of rows) clients.set(`${row.accountKey}\n${row.kind}\n${row.clientId}`, row);
    const found: { lock: Lockout; accountKey: string; clientId: string }[] = [];
    const add = (accountKey: string, clientKind: Lockout['clientKind'], clientId: string, failures: number, retryAfterSeconds: number) => {
      const account = this.#accountOf(accountKey);
      found.push({
        accountKey,
        clientId,
        lock: {
          id: sha256Hex(`${accountKey}\n${clientKind}\n${clientId}`).slice(0, 24),
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
      const attempts = this.attempts.clientAttempts(key, 0);
      const decision = clientLockDecision(attempts, now, this.policy, this.#accountOf(key.accountKey).role);
      if (decision.allowed) continue;
      add(key.accountKey, key.kind, key.clientId, failureStreak(attempts).length, decision.retryAfterSeconds);
    }
    for (const accountKey of new Set(rows.map((r) => r.accountKey))) {
      const decision = this.#unknownClientDecision(accountKey, now);
      if (decision.allowed) continue;
      const guesses = this.attempts.unknownClientGuesses(accountKey, now - HOUR_SECONDS * 1000).length;
      add(accountKey, 'unknown_clients', '', guesses, decision.retryAfterSeconds);
    }
    return found.sort((a, b) => b.lock.lockedUntil - a.lock.lockedUntil || a.lock.id.localeCompare(b.lock.id));
  }

  #clientDecision(account: LoginAccount, client: LoginClient, now: number) {
    const since = now - (this.policy.windowSeconds + this.policy.maxBlockSeconds) * 1000;
    return clientLockDecision(this.attempts.clientAttempts(clientKey(account, client), since), now, this.policy, account.role);
  }

  #unknownClientDecision(accountKey: string, now: number) {
    return unknownClientCapDecision(this.attempts.unknownClientGuesses(accountKey, now - 2 * HOUR_SECONDS * 1000), now, this.policy);
  }

  #accountOf(accountKey: string): LoginAccount {
    const userId = /^user:(\d+)$/.exec(accountKey)?.[1];
    const user = userId === undefined ? undefined : this.users.getUser(Number(userId));
    if (user) return loginAccount(user, user.username);
    return loginAccount(undefined, accountKey.replace(/^(name|user):/, ''));
  }
}
