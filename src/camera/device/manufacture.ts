import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadOrCreateKeyFile } from '../../identity/sealing/secret-box.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import type { Clock } from '../../shared/clock.js';
import { normalizeCrockford, randomCrockford } from '../../shared/crockford.js';
import { buildDirectory } from '../../shared/staged-directory.js';
import { openCameraDb } from './camera-db.js';
import { cameraPaths } from './data-dir.js';
import { deviceStore } from './device-store.js';

export const DEFAULT_CAMERA_MODEL = 'VC-1';

/** 16 Crockford symbols (80 bits), in groups of four as on the sticker: read out and typed by people. */
const LABEL_CODE_SYMBOLS = 16;

/** Canonical form of a typed label code (case, spaces, dashes and look-alike letters do not matter), or undefined. */
export function normalizeCameraLabelCode(input: string): string | undefined {
  return normalizeCrockford(input, LABEL_CODE_SYMBOLS);
}

export interface ManufacturedCamera {
  serial: string;
  model: string;
  /** Shown once, for the sticker; only its hash is kept. */
  labelCode: string;
}

export function isCameraDataDir(dataDir: string): boolean {
  return existsSync(cameraPaths(dataDir).database);
}

/**
 * "Manufacture" a camera: serial, device key pair, audit and sealing keys, the label code's hash;
 * inactive, with no account at all (no default password). Made whole or not at all (buildDirectory),
 * and never over an existing camera.
 */
export async function manufactureCamera(
  dataDir: string,
  options: { model?: string; clock: Clock; hasher: Pick<PasswordHasher, 'hash'> },
): Promise<ManufacturedCamera> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new Error(`${dataDir} is not empty; nothing was changed. Give an empty or new --data directory.`);
  }
  const now = options.clock.now();
  const model = options.model ?? DEFAULT_CAMERA_MODEL;
  const serial = `VGC${new Date(now).toISOString().slice(2, 10).replace(/-/g, '')}${randomCrockford(8)}`;
  const labelCode = randomCrockford(LABEL_CODE_SYMBOLS).match(/.{4}/g)!.join('-');

  await buildDirectory(dataDir, async (staging) => {
    const paths = cameraPaths(staging);
    mkdirSync(dirname(paths.deviceKey), { recursive: true, mode: 0o700 });
    const keys = generateKeyPairSync('ed25519');
    writeFileSync(paths.deviceKey, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(paths.devicePublicKey, keys.publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
    loadOrCreateKeyFile(paths.auditKey, 'the audit chain');
    loadOrCreateKeyFile(paths.secretKey, "the accounts' passwords");
    const db = openCameraDb(paths.database);
    try {
      deviceStore(db).insert({
        serial,
        model,
        labelCodeHash: await options.hasher.hash(normalizeCameraLabelCode(labelCode)!),
        manufacturedAt: now,
        activatedAt: null,
      });
    } finally {
      db.close();
    }
  });
  return { serial, model, labelCode };
}
