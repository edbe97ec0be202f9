import type { SecondStepLockout } from '../../../identity/two-factor/second-factor.js';
import type { Authenticated } from '../../accounts/sessions.js';
import { reauthenticateWithSecondFactor, type StepUpOutcome, type StepUpParts } from '../../accounts/step-up.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { CameraStore } from '../../db/camera-store.js';
import type { UserRecord } from '../../db/store.js';
import type { RecoverySecondFactorProof } from '../../recovery/weak-path-guard.js';
import { openCameraPassword } from './camera-secrets.js';

/** What revealing a camera's password goes through. */
export interface CameraPasswordReveal extends StepUpParts {
  cameras: Pick<CameraStore, 'get'>;
  settingsKey: Buffer;
  audit: Pick<AuditLog, 'append'>;
  /** The login lockout per (account, client): wrong answers here count there as wrong logins do. */
  revealLockout: SecondStepLockout<UserRecord>;
}

export type RevealOutcome =
  | { ok: true; username: string | null; password: string }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'not_held' }
  | Exclude<StepUpOutcome, { ok: true }>;

export interface RevealRequest {
  cameraId: number;
  currentPassword: string;
  proof: RecoverySecondFactorProof;
  sourceIp: string;
  deviceCookie?: string;
}

/**
 * A camera's own password, for an admin who must open the camera's web page: answered once per
 * re-authentication (the password and the second factor, if the account has one; a code is spent
 * by the check). Every attempt is audited with who and which camera, never the password; a success
 * is what the security notifier mails to every admin.
 */
export async function revealCameraPassword(ctx: CameraPasswordReveal, auth: Authenticated, input: RevealRequest): Promise<RevealOutcome> {
  const camera = ctx.cameras.get(input.cameraId);
  if (!camera) return { ok: false, reason: 'not_found' };
  // Nothing to show: asking for the password would cost a check and prove nothing.
  const password = openCameraPassword(ctx.settingsKey, camera);
  if (password === undefined) return { ok: false, reason: 'not_held' };

  const audited = {
    type: 'camera.password_revealed',
    actor: { id: auth.user.id, username: auth.user.username },
    sourceIp: input.sourceIp,
    target: `camera:${camera.id}`,
  } as const;
  const attempt = await ctx.revealLockout.attempt(auth.user, { sourceIp: input.sourceIp, deviceCookie: input.deviceCookie });
  if (attempt.gate.verdict === 'locked') return { ok: false, reason: 'throttled', retryAfterSeconds: attempt.gate.retryAfterSeconds };
  const proof =
    attempt.gate.verdict === 'open'
      ? await reauthenticateWithSecondFactor(ctx, auth, input)
      : // The account is closed to this client (its budget for unknown clients is spent): no check, the answer of a wrong password.
        ({ ok: false, reason: 'invalid_current_password' } as const);
  if (!proof.ok) {
    if (proof.reason === 'throttled' || proof.reason === 'second_factor_required') return proof;
    await attempt.failed(attempt.gate.verdict === 'open');
    ctx.audit.append({ ...audited, outcome: 'failure', details: { camera: camera.name, reason: proof.reason } });
    return proof;
  }
  await attempt.succeeded();
  ctx.audit.append({ ...audited, outcome: 'success', details: { camera: camera.name } });
  return { ok: true, username: camera.username, password };
}
