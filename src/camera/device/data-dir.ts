import { join } from 'node:path';

/** Where a Vigil camera keeps its state: what survives a reboot, and what a factory reset keeps. */
export function cameraPaths(dataDir: string) {
  return {
    /** Identity, accounts and audit log (schema in camera-db.ts). */
    database: join(dataDir, 'camera.db'),
    deviceKey: join(dataDir, 'keys', 'device.key'),
    devicePublicKey: join(dataDir, 'keys', 'device.pub'),
    /** Keys the audit chain's HMAC. */
    auditKey: join(dataDir, 'keys', 'audit.key'),
    /** Seals the accounts' passwords (see docs/camera.md: why a camera must be able to read them back). */
    secretKey: join(dataDir, 'keys', 'secret.key'),
    /** The HTTPS service's self-signed certificate and its key (tls.ts): `vigil discover` pins it by its signed answer. */
    tlsCert: join(dataDir, 'keys', 'tls-cert.pem'),
    tlsKey: join(dataDir, 'keys', 'tls-key.pem'),
    /** The simulated reset button (button-socket.ts). */
    buttonSocket: join(dataDir, 'button.sock'),
  };
}
