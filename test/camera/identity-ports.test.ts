import { describe } from 'vitest';
import { memoryLoginAttempts } from '../../src/camera/accounts/memory-login-attempts.js';
import { auditSinkPort, createAuditChainStore } from '../../src/sqlite/audit-tables.js';
import { openCameraDb } from '../../src/camera/device/camera-db.js';
import type { IdentityAdapter } from '../identity/contract/index.js';
import { describeAuditSinkContract } from '../identity/contract/audit-sink.js';
import { describeLoginAttemptContract } from '../identity/contract/login-attempts.js';

// The camera implements two of the core's ports: login attempts (in memory) and the audit sink
// (SQLite). Each runs the core's contract cases for its port, on a fresh store each test.
describe('identity ports on the camera', () => {
  const makeAdapter = async () => {
    const db = openCameraDb(':memory:');
    // Only the two ports the camera has (and two account ids the audit cases name; the camera's
    // audit log does not tie them to rows): the contract cases called below read no other field.
    const ports = { loginAttempts: memoryLoginAttempts(), auditSink: auditSinkPort(createAuditChainStore(db)), accounts: [1, 2], close: async () => void db.close() };
    return ports as unknown as IdentityAdapter;
  };
  describeLoginAttemptContract(makeAdapter);
  describeAuditSinkContract(makeAdapter);
});
