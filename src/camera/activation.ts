import type { Clock } from '../shared/clock.js';
import type { AccountStore } from './accounts/account-store.js';
import type { CameraPasswords } from './accounts/passwords.js';
import type { CameraAudit } from './audit/camera-audit.js';
import type { LabelCodeCheck } from './device/label-code-check.js';

/** The first account's name: what every installer and recorder expects on a camera. */
export const ADMIN_USERNAME = 'admin';

export type ActivationOutcome =
  | { ok: true }
  | { ok: false; reason: 'already_active' | 'wrong_label_code' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  /** The core's policy refused the password: its reasons' codes and messages, never the password. */
  | { ok: false; reason: 'weak_password'; problems: string[] };

/**
 * Activation: the one way an inactive camera gets an account. Whoever holds the label code (on the
 * sticker, or a recorder it was read into) sets the Administrator's password; until then the camera
 * has no account, so no login, no default password and no stream.
 */
export class CameraActivation {
  constructor(
    private readonly isActive: () => boolean,
    private readonly labelCode: Pick<LabelCodeCheck, 'check'>,
    private readonly accounts: Pick<AccountStore, 'activate'>,
    private readonly passwords: Pick<CameraPasswords, 'judge' | 'store'>,
    private readonly audit: Pick<CameraAudit, 'append'>,
    private readonly clock: Clock,
  ) {}

  async activate(input: { labelCode: string; password: string }, sourceIp: string): Promise<ActivationOutcome> {
    if (this.isActive()) return { ok: false, reason: 'already_active' };
    const code = await this.labelCode.check(input.labelCode, sourceIp);
    if (!code.ok) {
      await this.audit.append({ type: 'camera.activation_failed', outcome: 'failure', sourceIp, details: { reason: code.reason } });
      return code;
    }
    const verdict = await this.passwords.judge(ADMIN_USERNAME, input.password);
    if (!verdict.accepted) return { ok: false, reason: 'weak_password', problems: verdict.reasons.map((r) => r.message) };
    const stored = await this.passwords.store(ADMIN_USERNAME, input.password);
    // Two activations racing past the first check: the store lets one of them in.
    if (!this.accounts.activate(ADMIN_USERNAME, stored, this.clock.now())) return { ok: false, reason: 'already_active' };
    await this.audit.append({ type: 'camera.activated', outcome: 'success', sourceIp, target: `username:${ADMIN_USERNAME}` });
    return { ok: true };
  }
}
