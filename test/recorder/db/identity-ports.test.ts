import { randomBytes } from 'node:crypto';
import { ManualClock } from '../../../src/shared/clock.js';
import { createAuditLog } from '../../../src/recorder/audit/audit-log.js';
import { auditSinkPort, createAuditChainStore } from '../../../src/sqlite/audit-tables.js';
import { loginAttemptPort } from '../../../src/recorder/db/login-attempts.js';
import { createRecoveryStore, methodLockPort, resetGrantPort } from '../../../src/recorder/db/recovery-store.js';
import { resetCompletionPort } from '../../../src/recorder/db/reset-completion.js';
import { createReservedContactStore, sentCodePort } from '../../../src/recorder/db/reserved-contact-store.js';
import { createSourceAttemptsStore, sourceAttemptPort } from '../../../src/recorder/db/source-attempts-store.js';
import { createRecorderStore, openDatabase, sessionPort } from '../../../src/recorder/db/store.js';
import { secondFactorChallengePort, twoFactorFactorPort, twoFactorPolicyPort } from '../../../src/recorder/db/two-factor-store.js';
import { describePortContract } from '../../identity/contract/index.js';

// The recorder's SQLite adapters of the security core's ports, each test on a fresh in-memory database.
describePortContract('SQLite (recorder)', async () => {
  const db = openDatabase(':memory:');
  const store = createRecorderStore(db);
  const account = (username: string) => store.createUser({ username, role: 'admin', passwordHash: 'unused', oneTimePasswordExpiresAt: 0 }, 0).id;
  const recovery = createRecoveryStore(db);
  const auditKey = randomBytes(32);
  const audit = createAuditLog(db, auditKey, new ManualClock());
  return {
    resetGrants: resetGrantPort(recovery),
    loginAttempts: loginAttemptPort(db),
    sentCodes: sentCodePort(createReservedContactStore(db), { transaction: store.transaction, recovery, audit }),
    twoFactorFactors: twoFactorFactorPort(db),
    secondFactorChallenges: secondFactorChallengePort(db),
    twoFactorPolicy: twoFactorPolicyPort(db),
    sessions: sessionPort(store, audit),
    auditSink: auditSinkPort(createAuditChainStore(db)),
    auditKey,
    resetCompletion: resetCompletionPort(db, { store, recovery, audit }),
    methodLocks: methodLockPort(recovery),
    sourceAttempts: sourceAttemptPort(createSourceAttemptsStore(db)),
    accounts: [account('alice'), account('bob')],
    passwordHashOf: async (accountId) => store.getUser(accountId)!.passwordHash,
    close: async () => {
      db.close();
    },
  };
});
