import { createHash, type KeyObject } from 'node:crypto';

/** "SHA256:" and the unpadded base64 of the key's SHA-256, as OpenSSH shows them: easy to compare by eye. */
export function publicKeyFingerprint(key: KeyObject): string {
  const digest = createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}
