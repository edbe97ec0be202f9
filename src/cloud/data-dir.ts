import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where the cloud keeps what it owns in its data directory (--data). */
export function cloudPaths(dataDir: string) {
  return {
    /** The embedded PostgreSQL's files (unused with --database). */
    database: join(dataDir, 'pgdata'),
    /** Held while a cloud runs on the embedded database: two processes on its files would corrupt them. */
    lock: join(dataDir, 'cloud.lock'),
    /** Keys every instance of one cloud shares: the audit chain's, and the one the codes' HMACs derive from. */
    auditKey: join(dataDir, 'keys', 'audit.key'),
    codesKey: join(dataDir, 'keys', 'codes.key'),
    /** Seals TOTP secrets and keys the hashes of recovery codes (src/identity/two-factor/secrets.ts). */
    twoFactorKey: join(dataDir, 'keys', 'two-factor.key'),
    /** Signs what the cloud tells its devices (remote-reset authorisations); recorders pin its public key at binding. */
    signingKey: join(dataDir, 'keys', 'cloud-ed25519.pem'),
    /** Seals the per-device secrets agreed at binding (the database keeps them sealed only). */
    deviceSecretsKey: join(dataDir, 'keys', 'device-secrets.key'),
    tlsCert: join(dataDir, 'tls', 'cert.pem'),
    tlsKey: join(dataDir, 'tls', 'key.pem'),
  };
}

export type CloudPaths = ReturnType<typeof cloudPaths>;

/** Creates the data directory (readable by its owner only) if it is missing. */
export function prepareDataDir(dataDir: string): CloudPaths {
  for (const dir of ['tls', 'keys']) mkdirSync(join(dataDir, dir), { recursive: true, mode: 0o700 });
  return cloudPaths(dataDir);
}
