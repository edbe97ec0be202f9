import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface CloudSigningKey {
  privateKey: KeyObject;
  /** SPKI PEM: what a recorder pins at binding. */
  publicKeyPem: string;
}

/**
 * The cloud's Ed25519 key, which signs what it tells devices (remote-reset authorisations). Made on
 * the first start like audit.key; instances of one cloud share the file, since every recorder pins
 * the one public key.
 */
export function loadOrCreateSigningKey(path: string): CloudSigningKey {
  if (!existsSync(path)) {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
    // 'wx': of instances starting together, one writes the key and the others read it.
    try {
      writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const privateKey = createPrivateKey(readFileSync(path, 'utf8'));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${path} is not an Ed25519 key: the cloud cannot sign for its devices`);
  return { privateKey, publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString() };
}
