import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publicKeyFingerprint } from '../recorder/api/vendor-reset-file.js';

/** A problem the support agent can fix: shown as is, exit code 1. */
export class SupportToolError extends Error {}

/** What a support folder holds. */
export function supportFiles(dir: string) {
  return {
    privateKey: join(dir, 'vendor-ed25519.pem'),
    /** Given to every recorder at init (`vigil recorder init --vendor-key`). */
    publicKey: join(dir, 'vendor-ed25519.pub.pem'),
    caseLog: join(dir, 'cases.db'),
  };
}

/**
 * Creates the vendor key pair. Never replaces one: recorders made with a key trust only that key,
 * so overwriting it would cut every one of them off from support.
 */
export function generateVendorKey(dir: string): { publicKeyFile: string; fingerprint: string } {
  const files = supportFiles(dir);
  if (existsSync(files.privateKey) || existsSync(files.publicKey)) {
    throw new SupportToolError(
      `${dir} already holds a vendor key; it was not replaced (recorders made with it trust only that key). Use another --dir for a new key.`,
    );
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keys = generateKeyPairSync('ed25519');
  // 'wx': fails rather than overwrite, should another keygen run at the same moment.
  writeFileSync(files.privateKey, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  writeFileSync(files.publicKey, keys.publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644, flag: 'wx' });
  return { publicKeyFile: files.publicKey, fingerprint: publicKeyFingerprint(keys.publicKey) };
}

export function loadVendorPrivateKey(dir: string): KeyObject {
  const file = supportFiles(dir).privateKey;
  if (!existsSync(file)) throw new SupportToolError(`There is no vendor key in ${dir}. Create one with: vigil support keygen --dir ${dir}`);
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(file, 'utf8'));
  } catch {
    throw new SupportToolError(`${file} is not a readable private key. Restore it from your backup.`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SupportToolError(`${file} is not an Ed25519 key. Restore it from your backup.`);
  return key;
}

export function vendorKeyFingerprint(privateKey: KeyObject): string {
  return publicKeyFingerprint(createPublicKey(privateKey));
}
