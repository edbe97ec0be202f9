import type { Database } from 'better-sqlite3';
import initial from './migrations/0001-initial.js';
import auditLog from './migrations/0002-audit-log.js';
import usersPermissions from './migrations/0003-users-permissions.js';
import loginLockout from './migrations/0004-login-lockout.js';
import twoFactor from './migrations/0005-two-factor.js';
import mailAndNetworkRules from './migrations/0006-mail-and-network-rules.js';
import recovery from './migrations/0007-recovery.js';
import reservedContacts from './migrations/0008-reserved-contacts.js';
import questionsAndRecoveryKey from './migrations/0009-questions-and-recovery-key.js';
import vendorSupport from './migrations/0010-vendor-support.js';
import cameras from './migrations/0011-cameras.js';
import recordings from './migrations/0012-recordings.js';
import cameraDenials from './migrations/0013-camera-denials.js';
import sourceAttempts from './migrations/0014-source-attempts.js';
import cloudBinding from './migrations/0015-cloud-binding.js';
import cloudReset from './migrations/0016-cloud-reset.js';
import cameraPasswords from './migrations/0017-camera-passwords.js';
import motionEvents from './migrations/0018-motion-events.js';

/** Every schema version in order; index + 1 is the version it brings the database to. */
const MIGRATIONS: readonly string[] = [
  initial,
  auditLog,
  usersPermissions,
  loginLockout,
  twoFactor,
  mailAndNetworkRules,
  recovery,
  reservedContacts,
  questionsAndRecoveryKey,
  vendorSupport,
  cameras,
  recordings,
  cameraDenials,
  sourceAttempts,
  cloudBinding,
  cloudReset,
  cameraPasswords,
  motionEvents,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database up to `target` (SCHEMA_VERSION: the daemon never passes another), each step
 * in its own transaction. An older target builds a database as an older Vigil left it, so an
 * upgrade can be tested on real rows of that version.
 */
export function migrate(db: Database, target = SCHEMA_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `database schema version ${current} is newer than this Vigil (${SCHEMA_VERSION}); upgrade Vigil`,
    );
  }
  for (let version = current + 1; version <= Math.min(target, SCHEMA_VERSION); version++) {
    const sql = MIGRATIONS[version - 1]!;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  }
}
