import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { makeSelfSignedCertificate, type TlsFiles } from '../shared/self-signed-certificate.js';
import type { CloudPaths } from './data-dir.js';

/**
 * The certificate the cloud serves HTTPS with: the owner's (--tls-cert/--tls-key), or one it made
 * for itself on its first start off loopback and keeps in the data directory, so clients that
 * pinned it keep trusting it.
 */
export async function loadOrMakeTls(paths: CloudPaths, given: { certFile: string; keyFile: string } | undefined, now: number): Promise<TlsFiles> {
  if (given) return { cert: readFileSync(given.certFile, 'utf8'), key: readFileSync(given.keyFile, 'utf8') };
  if (existsSync(paths.tlsCert) && existsSync(paths.tlsKey)) {
    return { cert: readFileSync(paths.tlsCert, 'utf8'), key: readFileSync(paths.tlsKey, 'utf8') };
  }
  const made = await makeSelfSignedCertificate('Vigil cloud', now);
  writeFileSync(paths.tlsKey, made.key, { mode: 0o600 });
  writeFileSync(paths.tlsCert, made.cert, { mode: 0o644 });
  return made;
}
