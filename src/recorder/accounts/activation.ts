import type { PasswordReason } from '../../identity/passwords/policy.js';
import { FIRST_ADMIN_USERNAME } from '../api/activation.js';
import type { RecorderStore } from '../db/store.js';
import { normalizeLabelCode } from '../device/label-code.js';
import { countFailedAttempt, type PasswordWork } from './failed-attempts.js';


export type ActivationOutcome =
  | { ok: true; username: string }
  | { ok: false; reason: 'already_activated' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid_label_code' }
  | { ok: false; reason: 'password_rejected'; reasons: PasswordReason[] };

/**
 * First contact with a new recorder: whoever can read the sticker sets the admin password.
 * There is no default password to fall back on, so the label code is the only key to an inactive device.
 */
export async function activateDevice(
  ctx: PasswordWork & { store: Pick<RecorderStore, 'getDevice' | 'transaction' | 'activate' | 'findUserByUsername'> },
  input: { labelCode: string; password: string; sourceIp: string },
): Promise<ActivationOutcome> {
  const device = ctx.store.getDevice();
  if (!device || device.activatedAt !== null) return { ok: false, reason: 'already_activated' };

  // Throttled before the hash, so guessing costs the attacker time and us nothing.
  const throttle = ctx.sourceThrottle.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };

  const labelCode = normalizeLabelCode(input.labelCode);
  const labelOk = labelCode !== undefined && (await ctx.hasher.verify(device.labelCodeHash, labelCode)).valid;
  if (!labelOk) {
    ctx.audit.append({ type: 'device.activation_failed', outcome: 'failure', sourceIp: input.sourceIp, details: { reason: 'invalid_label_code' } });
    countFailedAttempt(ctx, input.sourceIp);
    ctx.logger.warn({ event: 'activation_failed', sourceIp: input.sourceIp }, 'activation with a wrong label code');
    return { ok: false, reason: 'invalid_label_code' };
  }

  const verdict = await ctx.judgePassword(input.password, {
    username: FIRST_ADMIN_USERNAME,
    serial: device.serial,
    model: device.model,
  });
  if (!verdict.accepted) return { ok: false, reason: 'password_rejected', reasons: verdict.reasons };

  const passwordHash = await ctx.hasher.hash(input.password);
  const activated = ctx.store.transaction(() => {
    if (!ctx.store.activate({ username: FIRST_ADMIN_USERNAME, passwordHash }, ctx.clock.now())) return false;
    const admin = ctx.store.findUserByUsername(FIRST_ADMIN_USERNAME)!;
    ctx.audit.append({
      type: 'device.activated',
      outcome: 'success',
      actor: { id: admin.id, username: admin.username },
      sourceIp: input.sourceIp,
      target: `user:${admin.id}`,
    });
    return true;
  });
  if (!activated) return { ok: false, reason: 'already_activated' }; // another request won the race
  ctx.logger.info({ event: 'device_activated', sourceIp: input.sourceIp }, 'device activated');
  return { ok: true, username: FIRST_ADMIN_USERNAME };
}
