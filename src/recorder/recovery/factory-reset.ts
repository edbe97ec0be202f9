import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENESIS_HASH } from '../../identity/audit/chain.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { CameraStore } from '../db/camera-store.js';
import type { DeviceResetStore } from '../db/device-reset-store.js';
import type { SecuritySettingsStore } from '../db/security-settings-store.js';
import type { RecorderStore } from '../db/store.js';
import type { DataPaths } from '../device/data-dir.js';
import type { CameraSupervisors } from '../media/cameras/camera-supervisors.js';
import type { ButtonWindow } from './button-window.js';
import { MailService } from '../mail/mail-service.js';
import type { CloudLink } from '../cloud/cloud-link.js';

export type FactoryResetTrigger = 'admin' | 'button_long_press';

/** What the last record of the old audit log says, and what the device key signs. */
export interface FactoryResetStatement {
  serial: string;
  trigger: FactoryResetTrigger;
  /** ms since the epoch */
  resetAt: number;
  /** Entries the old log held (all erased: they name accounts and addresses). */
  erasedEntries: number;
  /** The old chain's head: whoever kept a copy or an export of the old log can match it. */
  lastSeq: number;
  lastHash: string;
}

/** Pure: the exact bytes the device key signs. */
export function factoryResetMessage(s: FactoryResetStatement): Buffer {
  return Buffer.from(JSON.stringify(['vigil:factory-reset:v1', s.serial, s.trigger, s.resetAt, s.erasedEntries, s.lastSeq, s.lastHash]), 'utf8');
}

/**
 * Pure: does a `device.factory_reset` audit record carry a valid signature of the device (its
 * public key in PEM, keys/device-ed25519.pub.pem)? False for any other or malformed record.
 */
export function verifyFactoryResetRecord(publicKeyPem: string, record: { type: string; target: string | null; details: string }): boolean {
  if (record.type !== 'device.factory_reset' || !record.target?.startsWith('device:')) return false;
  let d: Record<string, unknown>;
  try {
    d = JSON.parse(record.details) as Record<string, unknown>;
  } catch {
    return false;
  }
  if (typeof d.signature !== 'string' || (d.trigger !== 'admin' && d.trigger !== 'button_long_press')) return false;
  const statement: FactoryResetStatement = {
    serial: record.target.slice('device:'.length),
    trigger: d.trigger,
    resetAt: Number(d.resetAt),
    erasedEntries: Number(d.erasedEntries),
    lastSeq: Number(d.lastSeq),
    lastHash: String(d.lastHash),
  };
  return verify(null, factoryResetMessage(statement), createPublicKey(publicKeyPem), Buffer.from(d.signature, 'base64'));
}

export interface FactoryResetResult {
  erasedEntries: number;
  erasedTables: string[];
  footageFilesErased: number;
}

/**
 * What a factory reset erases and replaces: the database, the key files beside it, the footage. The
 * keys and the mail service are swapped on this object, which every service shares.
 */
export interface FactoryResetting {
  store: Pick<RecorderStore, 'getDevice' | 'transaction'>;
  audit: Pick<AuditLog, 'query' | 'append'>;
  clock: Clock;
  logger: Logger;
  dataPaths: DataPaths;
  deviceReset: DeviceResetStore;
  twoFactorKey: Buffer;
  settingsKey: Buffer;
  mail: MailService;
  securitySettings: SecuritySettingsStore;
  cameraSupervisors: Pick<CameraSupervisors, 'sync'>;
  cameras: Pick<CameraStore, 'list'>;
  buttonWindow: Pick<ButtonWindow, 'close'>;
  /** The connection to the cloud (--cloud), told that the binding went with the rest. */
  cloudLink: Pick<CloudLink, 'sendUnbound'> | null;
}

/**
 * Factory reset: erases configuration, accounts, sessions, recovery secrets, the audit log and all
 * footage; the device is inactive again. Only its physical identity stays (serial, model, label
 * code, device key and TLS certificate). The audit log ends with one signed record of what was
 * ended. Synchronous from start to end, so no request runs in the middle of it.
 */
export function factoryReset(ctx: FactoryResetting, trigger: FactoryResetTrigger): FactoryResetResult {
  const device = ctx.store.getDevice()!;
  const deviceKey = createPrivateKey(readFileSync(ctx.dataPaths.deviceKey, 'utf8'));

  const { result, walEmptied } = ctx.deviceReset.eraseLeavingNoTrace(() =>
    ctx.store.transaction(() => {
      const head = ctx.audit.query({ limit: 1 })[0];
      const statement: FactoryResetStatement = {
        serial: device.serial,
        trigger,
        resetAt: ctx.clock.now(),
        erasedEntries: ctx.deviceReset.countAuditEntries(),
        lastSeq: head?.seq ?? 0,
        lastHash: head?.hash ?? GENESIS_HASH,
      };
      const erasedTables = ctx.deviceReset.eraseAllButDeviceIdentity();
      ctx.deviceReset.resetDeviceToInactive(randomBytes(32));
      // The audit head went with the rest: this record starts a fresh chain at entry 1.
      ctx.audit.append({
        type: 'device.factory_reset',
        outcome: 'success',
        target: `device:${device.serial}`,
        details: {
          trigger: statement.trigger,
          resetAt: statement.resetAt,
          erasedEntries: statement.erasedEntries,
          lastSeq: statement.lastSeq,
          lastHash: statement.lastHash,
          signature: sign(null, factoryResetMessage(statement), deviceKey).toString('base64'),
        },
      });
      return { erasedEntries: statement.erasedEntries, erasedTables };
    }),
  );
  if (!walEmptied) ctx.logger.warn({ event: 'factory_reset_wal_busy' }, 'factory reset: the write-ahead log could not be emptied now; SQLite will on a later checkpoint');

  // What the keys sealed (TOTP secrets, recovery-code hashes, the SMTP and camera passwords) is
  // gone: new keys, so an old copy of the database could not be opened with the files left on the device.
  ctx.twoFactorKey = replaceKeyFile(ctx.dataPaths.twoFactorKey);
  ctx.settingsKey = replaceKeyFile(ctx.dataPaths.settingsKey);
  ctx.mail = new MailService(ctx.securitySettings, ctx.settingsKey);
  // The cameras are erased: their supervisors stop.
  void ctx.cameraSupervisors.sync(ctx.cameras.list());
  ctx.buttonWindow.close();
  // The binding went too: the owner's account must not keep a recorder it can no longer reset (the
  // next connection's hello says the same if the cloud is not reachable now).
  ctx.cloudLink?.sendUnbound();
  const footageFilesErased = emptyDirectory(ctx.dataPaths.footage);

  ctx.logger.info({ event: 'factory_reset', trigger, erasedEntries: result.erasedEntries, footageFilesErased }, 'factory reset: the recorder is inactive');
  return { ...result, footageFilesErased };
}

/** A fresh 32-byte key, written beside the old one and renamed over it (never half a key on disk). */
function replaceKeyFile(path: string): Buffer {
  const key = randomBytes(32);
  const fresh = `${path}.new`;
  writeFileSync(fresh, key, { mode: 0o600 });
  renameSync(fresh, path);
  return key;
}

/** Removes everything inside `dir` (kept itself, for whatever records into it); returns how many entries went. */
function emptyDirectory(dir: string): number {
  if (!existsSync(dir)) return 0;
  const entries = readdirSync(dir);
  for (const entry of entries) rmSync(join(dir, entry), { recursive: true, force: true });
  return entries.length;
}
