import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hmacHex } from '../../shared/secrets.js';

/**
 * The key that seals TOTP secrets and keys the hashes of recovery codes. It lives in the data
 * directory beside the database, not in it: a leaked copy of the database alone neither yields
 * working TOTP secrets nor lets anyone test guesses of recovery codes offline.
 */
export function loadOrCreateTwoFactorKey(path: string): Buffer {
  if (!existsSync(path)) writeFileSync(path, randomBytes(32), { mode: 0o600, flag: 'wx' });
  const key = readFileSync(path);
  if (key.length !== 32) throw new Error(`${path} is damaged (expected 32 bytes): two-factor secrets cannot be read`);
  return key;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM: iv ‖ tag ‖ ciphertext. The user id is bound in, so a sealed secret cannot be moved to another user's row. */
export function sealSecret(key: Buffer, userId: number, secret: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`totp:${userId}`));
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function openSecret(key: Buffer, userId: number, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(`totp:${userId}`));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** Recovery codes have 50 bits: a plain hash could be brute-forced from a database copy, a keyed one cannot. */
export function recoveryCodeHash(key: Buffer, userId: number, normalizedCode: string): string {
  return hmacHex(key, `recovery:${userId}:${normalizedCode}`);
}
