import { afterEach, beforeEach } from 'vitest';
import type { AuditSink } from '../../../src/identity/audit/audit-sink.js';
import type { SentCodeStore } from '../../../src/identity/codes/code-store.js';
import type { ResetGrantStore } from '../../../src/identity/grants/grant-store.js';
import type { ResetCompletionStore } from '../../../src/identity/grants/reset-completion-store.js';
import type { LoginAttemptStore } from '../../../src/identity/lockout/attempt-store.js';
import type { MethodLockStore } from '../../../src/identity/lockout/method-lock-store.js';
import type { SourceAttemptStore } from '../../../src/identity/lockout/source-attempt-store.js';
import type { SessionStore } from '../../../src/identity/sessions/session-store.js';
import type { SecondFactorChallengeStore } from '../../../src/identity/two-factor/challenge-store.js';
import type { TwoFactorFactorStore } from '../../../src/identity/two-factor/factor-store.js';
import type { TwoFactorPolicyStore } from '../../../src/identity/two-factor/policy-store.js';
import { ManualClock } from '../../../src/shared/clock.js';

/** What a part's storage gives the security core: one adapter per port, over one fresh, empty store. */
export interface IdentityAdapter {
  resetGrants: ResetGrantStore;
  loginAttempts: LoginAttemptStore;
  /** Codes sent on `email` (an address channel every adapter accepts). */
  sentCodes: SentCodeStore;
  /** TOTP factors, passkeys and recovery codes. */
  twoFactorFactors: TwoFactorFactorStore;
  secondFactorChallenges: SecondFactorChallengeStore;
  twoFactorPolicy: TwoFactorPolicyStore;
  /** Sessions ended for `logout` or `password_changed` (reasons every adapter accepts). */
  sessions: SessionStore;
  auditSink: AuditSink;
  /** The key the adapter's own atomic operations link audit events with (see resetCompletion). */
  auditKey: Buffer;
  resetCompletion: ResetCompletionStore;
  methodLocks: MethodLockStore;
  sourceAttempts: SourceAttemptStore;
  /** Two accounts that exist in the store (grants must belong to one). */
  accounts: [number, number];
  /** The account's password hash as stored: no port reads it back yet, the contract must. */
  passwordHashOf(accountId: number): Promise<string>;
  close(): Promise<void>;
}

export type MakeAdapter = () => Promise<IdentityAdapter>;

export interface Fixture {
  adapter: IdentityAdapter;
  clock: ManualClock;
}

/** A fresh adapter (an empty store) and a clock for each test of the calling describe block. */
export function freshAdapterEachTest(makeAdapter: MakeAdapter): Fixture {
  const fixture = {} as Fixture; // filled before each test, before anything reads it
  beforeEach(async () => {
    fixture.adapter = await makeAdapter();
    fixture.clock = new ManualClock();
  });
  afterEach(() => fixture.adapter.close());
  return fixture;
}

/** Starts `n` calls at once, as concurrent requests would, and waits for all of them. */
export function concurrently<T>(n: number, call: () => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, call));
}
