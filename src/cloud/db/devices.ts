import { openBytes, sealBytes } from '../../identity/sealing/secret-box.js';
import type { Queryable } from './database.js';

/** A recorder bound to an account, as the cloud keeps it. */
export interface BoundDevice {
  serial: string;
  /** The device's Ed25519 public key, SPKI PEM, recorded at binding. */
  publicKey: string;
  model: string;
  ownerAccountId: number;
  boundAt: number;
}

interface DeviceRow {
  serial: string;
  public_key: string;
  model: string;
  owner_account_id: number;
  bound_at: number;
}

const toDevice = (r: DeviceRow): BoundDevice => ({
  serial: r.serial,
  publicKey: r.public_key,
  model: r.model,
  ownerAccountId: r.owner_account_id,
  boundAt: r.bound_at,
});

/** Bound to the serial: a sealed secret copied into another device's row does not open there. */
const purposeOf = (serial: string) => `vigil:cloud:device-secret:${serial}`;

export async function findDevice(db: Queryable, serial: string): Promise<BoundDevice | undefined> {
  const { rows } = await db.query<DeviceRow>('SELECT serial, public_key, model, owner_account_id, bound_at FROM devices WHERE serial = $1', [serial]);
  return rows[0] && toDevice(rows[0]);
}

export async function devicesOf(db: Queryable, accountId: number): Promise<BoundDevice[]> {
  const { rows } = await db.query<DeviceRow>(
    'SELECT serial, public_key, model, owner_account_id, bound_at FROM devices WHERE owner_account_id = $1 ORDER BY bound_at, serial',
    [accountId],
  );
  return rows.map(toDevice);
}

/**
 * Records a binding with its secret sealed under `secretsKey` (DIR/keys/device-secrets.key); false,
 * and nothing written, when the serial is bound already (one owner per device, decided by the key).
 */
export async function insertBinding(db: Queryable, device: BoundDevice, secret: Buffer, secretsKey: Buffer): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO devices (serial, public_key, model, owner_account_id, secret_sealed, bound_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (serial) DO NOTHING`,
    [device.serial, device.publicKey, device.model, device.ownerAccountId, sealBytes(secretsKey, purposeOf(device.serial), secret), device.boundAt],
  );
  return rowCount === 1;
}

/** Removes the binding if `accountId` owns the device; false otherwise (not bound, or someone else's). */
export async function deleteBinding(db: Queryable, serial: string, accountId: number): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM devices WHERE serial = $1 AND owner_account_id = $2', [serial, accountId]);
  return rowCount === 1;
}

/** Removes the binding whoever owns it: the recorder itself unbound (its connection is authenticated by the device key). */
export async function deleteBindingOf(db: Queryable, serial: string, publicKey: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM devices WHERE serial = $1 AND public_key = $2', [serial, publicKey]);
  return rowCount === 1;
}

/** The per-device secret of a device `accountId` owns, opened; undefined when it is not theirs or not bound. */
export async function deviceSecretFor(db: Queryable, serial: string, accountId: number, secretsKey: Buffer): Promise<Buffer | undefined> {
  const { rows } = await db.query<{ secret_sealed: Buffer }>('SELECT secret_sealed FROM devices WHERE serial = $1 AND owner_account_id = $2', [
    serial,
    accountId,
  ]);
  return rows[0] && openBytes(secretsKey, purposeOf(serial), rows[0].secret_sealed);
}
