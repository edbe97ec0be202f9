import type { Logger } from '../../shared/logger.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { DeviceResetStore } from '../db/device-reset-store.js';
import type { RecorderStore } from '../db/store.js';

/**
 * Restore defaults: accounts, sessions, the login allow-list, footage and the audit log stay; the
 * rest of the configuration goes back to how the device left the factory (the list is in
 * db/device-reset-store.ts). One transaction with its audit entry.
 */
export function restoreDefaults(
  ctx: {
    store: Pick<RecorderStore, 'transaction'>;
    deviceReset: Pick<DeviceResetStore, 'restoreDefaults'>;
    audit: Pick<AuditLog, 'append'>;
    logger: Logger;
  },
  by: { actor: { id: number; username: string }; sourceIp: string },
): void {
  ctx.store.transaction(() => {
    ctx.deviceReset.restoreDefaults();
    ctx.audit.append({ type: 'device.restored_defaults', outcome: 'success', actor: by.actor, sourceIp: by.sourceIp, target: 'device' });
  });
  ctx.logger.info({ event: 'restored_defaults', sourceIp: by.sourceIp }, 'configuration restored to defaults');
}
