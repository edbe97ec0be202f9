import type { CloudDatabase } from '../database.js';
import { auditSinkStore } from './audit-sink.js';
import { loginAttemptStore } from './login-attempts.js';
import { methodLockStore } from './method-locks.js';
import { resetCompletionStore } from './reset-completion.js';
import { resetGrantStore } from './reset-grants.js';
import { secondFactorChallengeStore } from './second-factor-challenges.js';
import { sentCodeStore } from './sent-codes.js';
import { sessionStore } from './sessions.js';
import { sourceAttemptStore } from './source-attempts.js';
import { twoFactorFactorStore } from './two-factor-factors.js';
import { twoFactorPolicyStore } from './two-factor-policy.js';

/** Every port of the security core, kept in the cloud's database; `auditKey` links the events its operations append. */
export function identityPorts(db: CloudDatabase, auditKey: Buffer) {
  return {
    resetGrants: resetGrantStore(db),
    loginAttempts: loginAttemptStore(db),
    sentCodes: sentCodeStore(db, auditKey),
    twoFactorFactors: twoFactorFactorStore(db),
    secondFactorChallenges: secondFactorChallengeStore(db),
    twoFactorPolicy: twoFactorPolicyStore(db),
    sessions: sessionStore(db, auditKey),
    resetCompletion: resetCompletionStore(db, auditKey),
    auditSink: auditSinkStore(db),
    methodLocks: methodLockStore(db),
    sourceAttempts: sourceAttemptStore(db),
  };
}

export type IdentityPorts = ReturnType<typeof identityPorts>;
