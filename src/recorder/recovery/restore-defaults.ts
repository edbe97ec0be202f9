import type { RecorderContext } from '../context.js';

/**
 * Restore defaults: accounts, sessions, the login allow-list, footage and the audit log stay; the
 * rest of the configuration goes back to how the device left the factory (the list is in
 * db/device-reset-store.ts). One transaction with its audit entry.
 */
export function restoreDefaults(ctx: RecorderContext, by: { actor: { id: number; username: string }; sourceIp: string }): void {
  ctx.store.transaction(() => {
    ctx.deviceReset.restoreDefaults();
    ctx.audit.append({ type: 'device.restored_defaults', outcome: 'success', actor: by.actor, sourceIp: by.sourceIp, target: 'device' });
  });
  ctx.logger.info({ event: 'restored_defaults', sourceIp: by.sourceIp }, 'configuration restored to defaults');
}
