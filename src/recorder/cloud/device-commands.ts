import { createPublicKey, type KeyObject } from 'node:crypto';
import { labelProofOf, type CommandAnswer, type DeviceCommand } from '../api/cloud-link.js';
import type { AuditLog } from '../audit/audit-log.js';
import { acceptCloudAuthorisation, CLOUD_SOURCE, type CloudResetPath } from './online-reset.js';

/** What the recorder does for its cloud. */
export interface CloudCommandDeps extends CloudResetPath {
  audit: Pick<AuditLog, 'append'>;
  deviceKey: KeyObject;
}

/**
 * Answers one command from the cloud this recorder connects to (`cloudUrl`). Nothing here trusts
 * the cloud more than the binding does: the label proof gives away no secret, a binding is taken
 * only while unbound, and a reset needs the pinned key's signature.
 */
export async function answerCloudCommand(ctx: CloudCommandDeps, cloudUrl: string, command: DeviceCommand): Promise<CommandAnswer> {
  const device = ctx.store.getDevice()!;
  switch (command.kind) {
    case 'labelProof':
      // Someone is binding (or trying to bind) this recorder from the cloud: worth a line in the log.
      ctx.audit.append({ type: 'cloud.binding_requested', outcome: 'info', sourceIp: CLOUD_SOURCE, target: 'device', details: { cloud: cloudUrl } });
      return {
        ok: true,
        proof: labelProofOf(device.labelCodeHash, command.nonce),
        device: { publicKey: createPublicKey(ctx.deviceKey).export({ type: 'spki', format: 'pem' }).toString(), model: device.model },
      };
    case 'bind': {
      const bound = ctx.cloudBinding.bind(
        { cloudUrl, cloudPublicKey: command.cloudPublicKey, ownerLabel: command.ownerLabel, boundAt: ctx.clock.now() },
        Buffer.from(command.secret, 'base64'),
      );
      if (!bound) return { ok: false, reason: 'bound_already' };
      ctx.audit.append({ type: 'cloud.bound', outcome: 'success', sourceIp: CLOUD_SOURCE, target: 'device', details: { cloud: cloudUrl, owner: command.ownerLabel } });
      return { ok: true };
    }
    case 'unbind':
      return unbindByCloud(ctx, cloudUrl) ? { ok: true } : { ok: false, reason: 'not_bound' };
    case 'reset':
      return acceptCloudAuthorisation(ctx, command);
  }
}

/** The owner unbound in the cloud (told now, or at the next connection): the recorder forgets it too. */
export function unbindByCloud(ctx: Pick<CloudCommandDeps, 'cloudBinding' | 'audit'>, cloudUrl: string): boolean {
  if (ctx.cloudBinding.get()?.cloudUrl !== cloudUrl || !ctx.cloudBinding.unbind()) return false;
  ctx.audit.append({ type: 'cloud.unbound', outcome: 'success', sourceIp: CLOUD_SOURCE, target: 'device', details: { cloud: cloudUrl, by: 'cloud' } });
  return true;
}
