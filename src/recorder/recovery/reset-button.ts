import { isoTime } from '../../shared/clock.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import { countFailedAttempt, type FailureCounting } from '../accounts/failed-attempts.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { RecorderStore } from '../db/store.js';
import { normalizeLabelCode } from '../device/label-code.js';
import type { ButtonWindow } from './button-window.js';
import { factoryReset, type FactoryResetting } from './factory-reset.js';
import type { MethodLockPolicy } from '../../identity/lockout/method-lock.js';
import type { MethodLocks } from './method-lock.js';
import { issueResetGrant, type GrantIssuing, type ResetGrant } from './reset-grant.js';

export type ButtonPress = 'short' | 'long';

/** What the daemon answers on the button socket (one JSON line). */
export type ButtonAnswer =
  | { ok: true; press: 'short'; windowClosesAt: string }
  | { ok: true; press: 'long'; factoryReset: true }
  | { ok: false; error: string };

/** 5 wrong label codes close the window and block the path for 30 minutes, across restarts. */
export const LABEL_CODE_LOCK: MethodLockPolicy = { maxFailures: 5, blockSeconds: 30 * 60 };

/** The label code is a property of the device, so the block is too (not of the account tried). */
const LOCK_SCOPE = 'device';

/** What the reset button goes through: its window, the label code's lock, and on a long press the factory reset. */
export interface ResetButtonPath extends FactoryResetting, FailureCounting, GrantIssuing {
  store: Pick<RecorderStore, 'transaction' | 'findUserByUsername' | 'getDevice'>;
  audit: Pick<AuditLog, 'query' | 'append'>;
  hasher: Pick<PasswordHasher, 'verify'>;
  buttonWindow: ButtonWindow;
  methodLocks: Pick<MethodLocks, 'state' | 'fail' | 'clear'>;
}

/**
 * A press of the board's button. Short: opens the window in which the label code resets an admin
 * password. Long: factory reset (holding the button is the confirmation a typed phrase is in the UI).
 */
export function pressButton(ctx: ResetButtonPath, press: ButtonPress): ButtonAnswer {
  if (press === 'long') {
    // Recorded, though the reset is about to end the log: if the reset fails, this entry stays.
    ctx.audit.append({ type: 'device.button_pressed', outcome: 'info', target: 'device', details: { press } });
    factoryReset(ctx, 'button_long_press');
    return { ok: true, press, factoryReset: true };
  }
  if (ctx.store.getDevice()!.activatedAt === null) {
    return { ok: false, error: 'The recorder is not activated: there is no password to reset. Activate it with the label code instead.' };
  }
  const closesAt = ctx.buttonWindow.open();
  ctx.audit.append({ type: 'device.button_pressed', outcome: 'info', target: 'device', details: { press, windowClosesAt: isoTime(closesAt) } });
  ctx.logger.info({ event: 'button_pressed', press }, 'reset button pressed: the label code can reset an admin password for 10 minutes');
  return { ok: true, press, windowClosesAt: isoTime(closesAt) };
}

export type ButtonEvidenceOutcome =
  | { ok: true; grant: ResetGrant }
  | { ok: false; reason: 'window_closed' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'blocked'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid_label_code' };

/**
 * The label code during a button window: right code and an admin's name give a reset grant and
 * close the window (one press, one reset). A wrong code and a name that is no admin get the same
 * answer and both count toward the block.
 */
export async function verifyButtonEvidence(
  ctx: ResetButtonPath,
  input: { username: string; labelCode: string; sourceIp: string },
): Promise<ButtonEvidenceOutcome> {
  // Cheapest first, and nothing is hashed unless someone stood at the recorder minutes ago.
  if (!ctx.buttonWindow.isOpen()) return { ok: false, reason: 'window_closed' };
  const throttle = ctx.sourceThrottle.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  const lock = ctx.methodLocks.state('resetButton', LOCK_SCOPE);
  if (lock.blocked) return { ok: false, reason: 'blocked', retryAfterSeconds: lock.retryAfterSeconds };

  const labelCode = normalizeLabelCode(input.labelCode);
  const labelOk = labelCode !== undefined && (await ctx.hasher.verify(ctx.store.getDevice()!.labelCodeHash, labelCode)).valid;
  const user = ctx.store.findUserByUsername(input.username);
  const admin = user?.role === 'admin' ? user : undefined;

  if (!labelOk || !admin) {
    countFailedAttempt(ctx, input.sourceIp);
    ctx.store.transaction(() => {
      const after = ctx.methodLocks.fail('resetButton', LOCK_SCOPE, LABEL_CODE_LOCK);
      ctx.audit.append({
        type: 'recovery.evidence_failed',
        outcome: 'failure',
        actor: { id: user?.id ?? null, username: input.username },
        sourceIp: input.sourceIp,
        details: { method: 'resetButton', reason: labelOk ? 'not_an_admin' : 'invalid_label_code' },
      });
      if (after.blocked) {
        ctx.buttonWindow.close();
        ctx.audit.append({
          type: 'recovery.blocked',
          outcome: 'info',
          sourceIp: input.sourceIp,
          target: 'device',
          details: { method: 'resetButton', retryAfterSeconds: after.retryAfterSeconds },
        });
      }
    });
    return { ok: false, reason: 'invalid_label_code' };
  }

  const grant = ctx.store.transaction(() => {
    // Another request may have used the window while this one was hashing.
    if (!ctx.buttonWindow.close()) return undefined;
    ctx.methodLocks.clear('resetButton', LOCK_SCOPE);
    return issueResetGrant(ctx, { user: admin, method: 'resetButton', sourceIp: input.sourceIp });
  });
  return grant ? { ok: true, grant } : { ok: false, reason: 'window_closed' };
}
