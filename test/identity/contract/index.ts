import { describe } from 'vitest';
import type { MakeAdapter } from './adapter.js';
import { describeAuditSinkContract } from './audit-sink.js';
import { describeLoginAttemptContract } from './login-attempts.js';
import { describeMethodLockContract } from './method-locks.js';
import { describeResetCompletionContract } from './reset-completion.js';
import { describeResetGrantContract } from './reset-grants.js';
import { describeSentCodeContract } from './sent-codes.js';
import { describeSessionContract } from './sessions.js';
import { describeSourceAttemptContract } from './source-attempts.js';
import { describePasskeyContract } from './passkeys.js';
import { describeSecondFactorChallengeContract } from './second-factor-challenges.js';
import { describeTwoFactorFactorContract } from './two-factor-factors.js';
import { describeTwoFactorPolicyContract } from './two-factor-policy.js';

export type { IdentityAdapter, MakeAdapter } from './adapter.js';

/**
 * The contract every storage adapter of the security core passes, whatever its database: run it
 * from the adapter's own test file with a factory that opens a fresh, empty store each time.
 */
export function describePortContract(name: string, makeAdapter: MakeAdapter): void {
  describe(`identity ports on ${name}`, () => {
    describeResetGrantContract(makeAdapter);
    describeResetCompletionContract(makeAdapter);
    describeLoginAttemptContract(makeAdapter);
    describeSentCodeContract(makeAdapter);
    describeTwoFactorFactorContract(makeAdapter);
    describePasskeyContract(makeAdapter);
    describeSecondFactorChallengeContract(makeAdapter);
    describeTwoFactorPolicyContract(makeAdapter);
    describeSessionContract(makeAdapter);
    describeAuditSinkContract(makeAdapter);
    describeMethodLockContract(makeAdapter);
    describeSourceAttemptContract(makeAdapter);
  });
}
