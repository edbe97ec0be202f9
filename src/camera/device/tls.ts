import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { makeSelfSignedCertificate, type TlsFiles } from '../../shared/self-signed-certificate.js';
import type { cameraPaths } from './data-dir.js';

/**
 * The camera's HTTPS certificate: made at its first start (cameras manufactured before it had
 * none) and kept, since its SHA-256, signed into every discovery answer, is what `vigil discover`
 * pins before it sends a label code or a password.
 */
export async function loadOrCreateCameraTls(paths: Pick<ReturnType<typeof cameraPaths>, 'tlsCert' | 'tlsKey'>, serial: string, now: number): Promise<TlsFiles> {
  if (existsSync(paths.tlsCert) && existsSync(paths.tlsKey)) return { cert: readFileSync(paths.tlsCert, 'utf8'), key: readFileSync(paths.tlsKey, 'utf8') };
  const made = await makeSelfSignedCertificate(`Vigil camera ${serial}`, now);
  writeFileSync(paths.tlsKey, made.key, { mode: 0o600 });
  writeFileSync(paths.tlsCert, made.cert, { mode: 0o644 });
  return made;
}
