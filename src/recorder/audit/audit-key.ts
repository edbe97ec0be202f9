import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** The audit chain's key; verification never makes one, since a missing key is itself a finding. */
export function readAuditKey(path: string): Buffer {
  if (!existsSync(path)) throw new Error(`${path} is missing: the audit log cannot be verified without its key`);
  const key = readFileSync(path);
  if (key.length !== 32) throw new Error(`${path} is damaged (expected 32 bytes): the audit log cannot be verified`);
  return key;
}

/**
 * For the recorder itself: made at manufacture; a data directory from before the audit log existed
 * gets one the first time the recorder starts.
 */
export function loadOrCreateAuditKey(path: string): Buffer {
  if (!existsSync(path)) writeFileSync(path, randomBytes(32), { mode: 0o600, flag: 'wx' });
  return readAuditKey(path);
}
