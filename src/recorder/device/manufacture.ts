import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../shared/clock.js';
import { buildDirectory } from '../../shared/staged-directory.js';
import { PasswordHasher } from '../../identity/passwords/hash.js';
import { loadOrCreateAuditKey } from '../audit/audit-key.js';
import { openSqliteStore } from '../db/store.js';
import { dataPaths } from './data-dir.js';
import { generateLabelCode } from './label-code.js';
import { makeSelfSignedCertificate } from '../../shared/self-signed-certificate.js';

export const DEFAULT_MODEL = 'VR-8';

export interface ManufactureResult {
  serial: string;
  model: string;
  /** Shown once to be printed on the sticker; only its hash is kept. */
  labelCode: string;
}

export class AlreadyInitialisedError extends Error {
  constructor(dir: string) {
    super(`${dir} already holds a recorder; nothing was changed. Use another --data directory.`);
  }
}

const SERIAL_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Serial numbers read like a sticker's: model family, manufacture date, random part (40 bits). */
export function makeSerial(now: number): string {
  const date = new Date(now).toISOString().slice(2, 10).replace(/-/g, '');
  const random = [...randomBytes(8)].map((b) => SERIAL_ALPHABET[b % 32]).join('');
  return `VGL${date}${random}`;
}

export function isInitialised(dataDir: string): boolean {
  return existsSync(dataPaths(dataDir).database);
}

/**
 * "Manufacture": gives a new data directory its identity and leaves the device inactive.
 * Everything is built in a sibling directory and moved into place at the end, so a failure half
 * way leaves nothing behind and an existing recorder is never touched.
 */
export async function manufacture(
  dataDir: string,
  options: {
    model?: string;
    clock: Clock;
    hasher: PasswordHasher;
    /** The vendor's Ed25519 public key (`vigil support keygen`): lets this recorder accept support reset responses. */
    vendorPublicKey?: KeyObject;
  },
): Promise<ManufactureResult> {
  if (isInitialised(dataDir) || (existsSync(dataDir) && readdirSync(dataDir).length > 0)) {
    throw new AlreadyInitialisedError(dataDir);
  }
  const now = options.clock.now();
  const model = options.model ?? DEFAULT_MODEL;
  const serial = makeSerial(now);
  const labelCode = generateLabelCode();

  await buildDirectory(dataDir, async (staging) => {
    const paths = dataPaths(staging);
    mkdirSync(join(staging, 'keys'), { recursive: true, mode: 0o700 });
    mkdirSync(join(staging, 'tls'), { recursive: true, mode: 0o700 });

    const deviceKeys = generateKeyPairSync('ed25519');
    writeFileSync(paths.deviceKey, deviceKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(paths.devicePublicKey, deviceKeys.publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
    loadOrCreateAuditKey(paths.auditKey);
    if (options.vendorPublicKey) {
      writeFileSync(paths.vendorPublicKey, options.vendorPublicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
    }

    const tls = await makeSelfSignedCertificate(`Vigil ${model} ${serial}`, now);
    writeFileSync(paths.tlsCert, tls.cert, { mode: 0o644 });
    writeFileSync(paths.tlsKey, tls.key, { mode: 0o600 });

    const store = openSqliteStore(paths.database);
    try {
      store.insertDevice({
        serial,
        model,
        labelCodeHash: await options.hasher.hash(labelCode.replace(/-/g, '')),
        serverSecret: randomBytes(32),
        manufacturedAt: now,
        activatedAt: null,
      });
    } finally {
      store.close();
    }
  });
  return { serial, model, labelCode };
}
