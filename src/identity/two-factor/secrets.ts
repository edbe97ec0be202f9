import { hmacHex } from '../../shared/secrets.js';
import { loadOrCreateKeyFile, openBytes, sealBytes } from '../sealing/secret-box.js';

/**
 * The key that seals TOTP secrets and keys the hashes of recovery codes. It lives in the data
 * directory beside the database, not in it: a leaked copy of the database alone neither yields
 * working TOTP secrets nor lets anyone test guesses of recovery codes offline.
 */
export function loadOrCreateTwoFactorKey(path: string): Buffer {
  return loadOrCreateKeyFile(path, 'two-factor secrets');
}

/** The user id is bound in, so a sealed secret cannot be moved to another user's row. */
const totpPurpose = (userId: number) => `totp:${userId}`;

export function sealSecret(key: Buffer, userId: number, secret: Buffer): Buffer {
  return sealBytes(key, totpPurpose(userId), secret);
}

export function openSecret(key: Buffer, userId: number, sealed: Buffer): Buffer {
  return openBytes(key, totpPurpose(userId), sealed);
}

/** Recovery codes have 50 bits: a plain hash could be brute-forced from a database copy, a keyed one cannot. */
export function recoveryCodeHash(key: Buffer, userId: number, normalizedCode: string): string {
  return hmacHex(key, `recovery:${userId}:${normalizedCode}`);
}
