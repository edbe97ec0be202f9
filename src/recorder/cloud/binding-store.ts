import type { Database } from 'better-sqlite3';
import { openBytes, sealBytes } from '../../identity/sealing/secret-box.js';

/** What a bound recorder keeps about its cloud (the per-device secret apart: see deviceSecret). */
export interface CloudBinding {
  /** Where the recorder connects: wss:// (ws:// on loopback). */
  cloudUrl: string;
  /** The cloud's Ed25519 public key, SPKI PEM, pinned at binding: remote-reset authorisations must be signed by it. */
  cloudPublicKey: string;
  /** The owner as the cloud names them for people (a masked address), shown on the Recovery page. */
  ownerLabel: string;
  boundAt: number;
}

/** The recorder's binding to a cloud account, and the remote-reset nonces it has used. */
export interface CloudBindingStore {
  get(): CloudBinding | undefined;
  /**
   * The secret agreed with the cloud at binding (the offline reset's response codes are computed
   * with it), opened; undefined when unbound or when it no longer opens (the settings key file was
   * replaced: the offline path is then unavailable until the device is bound again).
   */
  deviceSecret(): Buffer | undefined;
  /** Records a binding; false (nothing written) when the recorder is bound already: one owner per device. */
  bind(binding: CloudBinding, deviceSecret: Buffer): boolean;
  /** Forgets the binding; false when there was none. Used nonces stay until they expire. */
  unbind(): boolean;
  /**
   * Marks a remote-reset nonce used, in one statement; false when it was used already (a replay).
   * Drops the nonces expired by `now` first: an expired authorisation is refused before this.
   */
  useResetNonce(nonce: string, expiresAt: number, now: number): boolean;
}

interface BindingRow {
  cloud_url: string;
  cloud_public_key: string;
  owner_label: string;
  bound_at: number;
  device_secret_sealed: Buffer;
}

/** Bound to the serial: a sealed secret copied from another recorder's database does not open here. */
const purposeOf = (serial: string) => `vigil:cloud-device-secret:${serial}`;

/**
 * `settingsKey` seals the per-device secret as camera passwords are sealed (identity/sealing/secret-box.ts);
 * read at each use, because a factory reset replaces the key.
 */
export function createCloudBindingStore(db: Database, settingsKey: () => Buffer, serial: string): CloudBindingStore {
  const q = {
    get: db.prepare<[], BindingRow>('SELECT * FROM cloud_binding WHERE id = 1'),
    insert: db.prepare(
      `INSERT INTO cloud_binding (id, cloud_url, cloud_public_key, device_secret_sealed, owner_label, bound_at)
       VALUES (1, @cloudUrl, @cloudPublicKey, @sealed, @ownerLabel, @boundAt) ON CONFLICT (id) DO NOTHING`,
    ),
    remove: db.prepare('DELETE FROM cloud_binding WHERE id = 1'),
    pruneNonces: db.prepare('DELETE FROM cloud_reset_nonces WHERE expires_at <= ?'),
    useNonce: db.prepare('INSERT INTO cloud_reset_nonces (nonce, expires_at, used_at) VALUES (?, ?, ?) ON CONFLICT (nonce) DO NOTHING'),
  };
  return {
    get() {
      const r = q.get.get();
      return r && { cloudUrl: r.cloud_url, cloudPublicKey: r.cloud_public_key, ownerLabel: r.owner_label, boundAt: r.bound_at };
    },
    deviceSecret() {
      const r = q.get.get();
      if (!r) return undefined;
      try {
        return openBytes(settingsKey(), purposeOf(serial), r.device_secret_sealed);
      } catch {
        return undefined;
      }
    },
    bind(binding, deviceSecret) {
      return q.insert.run({ ...binding, sealed: sealBytes(settingsKey(), purposeOf(serial), deviceSecret) }).changes === 1;
    },
    unbind: () => q.remove.run().changes === 1,
    useResetNonce(nonce, expiresAt, now) {
      q.pruneNonces.run(now);
      return q.useNonce.run(nonce, expiresAt, now).changes === 1;
    },
  };
}
