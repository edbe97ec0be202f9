import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Encryption at rest for the few secrets the recorder must be able to read back (the SMTP password):
 * AES-256-GCM under a key kept in a file beside, not inside, the database. `purpose` is bound in as
 * associated data, so a sealed value cannot be moved into another field and opened there.
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 32-byte key file, made on first use with mode 0600 like the other keys; `guards` names what it seals, for the error. */
export function loadOrCreateKeyFile(path: string, guards: string): Buffer {
  if (!existsSync(path)) writeFileSync(path, randomBytes(32), { mode: 0o600, flag: 'wx' });
  const key = readFileSync(path);
  if (key.length !== 32) throw new Error(`${path} is damaged (expected 32 bytes): ${guards} cannot be read`);
  return key;
}

/** The settings key: made the first time a secret is stored. */
export function loadOrCreateSecretKey(path: string): Buffer {
  return loadOrCreateKeyFile(path, 'stored secrets');
}

export function sealBytes(key: Buffer, purpose: string, plaintext: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(purpose, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Throws if the value was altered, sealed for another purpose or under another key. */
export function openBytes(key: Buffer, purpose: string, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES)).setAAD(Buffer.from(purpose, 'utf8'));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

export function seal(key: Buffer, purpose: string, plaintext: string): Buffer {
  return sealBytes(key, purpose, Buffer.from(plaintext, 'utf8'));
}

export function open(key: Buffer, purpose: string, sealed: Buffer): string {
  return openBytes(key, purpose, sealed).toString('utf8');
}
