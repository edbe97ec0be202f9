import { join } from 'node:path';

/** Where each thing a recorder owns lives inside its data directory. */
export function dataPaths(dataDir: string) {
  return {
    root: dataDir,
    database: join(dataDir, 'vigil.db'),
    deviceKey: join(dataDir, 'keys', 'device-ed25519.pem'),
    devicePublicKey: join(dataDir, 'keys', 'device-ed25519.pub.pem'),
    /** The vendor's public key, given at init: support reset responses must be signed by it. */
    vendorPublicKey: join(dataDir, 'keys', 'vendor-ed25519.pub.pem'),
    /** Keys the audit log's hash chain; outside the database so editing the database cannot re-chain it. */
    auditKey: join(dataDir, 'keys', 'audit-hmac.key'),
    /** Encrypts secrets kept in settings (the SMTP password), so a copy of the database alone does not reveal them. */
    settingsKey: join(dataDir, 'keys', 'settings.key'),
    /** Seals TOTP secrets and keys recovery-code hashes: a copy of the database alone reveals neither. */
    twoFactorKey: join(dataDir, 'keys', 'two-factor.key'),
    tlsCert: join(dataDir, 'tls', 'cert.pem'),
    tlsKey: join(dataDir, 'tls', 'key.pem'),
    /** The board's reset button, as the running daemon offers it (mode 0600: only the recorder's user can press it). */
    buttonSocket: join(dataDir, 'button.sock'),
    /** The PID of the process that owns the directory: a running recorder, or `recorder check` (data-dir-lock.ts). */
    lock: join(dataDir, 'recorder.lock'),
    /** Recorded video (the video issue fills it); a factory reset empties it. */
    footage: join(dataDir, 'footage'),
  };
}

export type DataPaths = ReturnType<typeof dataPaths>;
