import { createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { Logger } from '../../shared/logger.js';
import { parseEd25519PublicKey } from '../api/vendor-reset-file.js';
import { createVendorSupportStore, type VendorSupportStore } from '../db/vendor-support-store.js';
import type { dataPaths } from '../device/data-dir.js';

/** What the vendor support path needs on a running recorder. */
export interface VendorSupport {
  /** The vendor's public key given at init; null when this recorder has none (the path is then not set up). */
  vendorKey: KeyObject | null;
  /** Signs the requests this recorder exports. */
  deviceKey: KeyObject;
  requests: VendorSupportStore;
}

export function loadVendorSupport(db: Database, paths: ReturnType<typeof dataPaths>, logger: Logger): VendorSupport {
  let vendorKey: KeyObject | null = null;
  if (existsSync(paths.vendorPublicKey)) {
    try {
      vendorKey = parseEd25519PublicKey(readFileSync(paths.vendorPublicKey, 'utf8'));
    } catch (error) {
      // Not a reason to stop recording: only this recovery path is lost, and the readiness check shows it.
      logger.error({ file: paths.vendorPublicKey, problem: (error as Error).message }, 'the vendor key is damaged: vendor support recovery is off');
    }
  }
  return {
    vendorKey,
    deviceKey: createPrivateKey(readFileSync(paths.deviceKey, 'utf8')),
    requests: createVendorSupportStore(db),
  };
}
