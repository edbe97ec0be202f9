import type { Clock } from '../shared/clock.js';
import type { AccountStore } from './accounts/account-store.js';
import type { CameraPasswords } from './accounts/passwords.js';
import { ADMIN_USERNAME } from './activation.js';
import type { CameraAudit } from './audit/camera-audit.js';
import type { LabelCodeCheck } from './device/label-code-check.js';

export type ButtonRequest =
  /** Short press with the label code: the admin account gets a new password (made an Administrator again if it was not); all else stays. */
  | { press: 'short'; labelCode: string; password: string }
  /** Long press: factory reset, back to inactive with no account (the audit log stays). */
  | { press: 'long' };

export type ButtonOutcome =
  | { ok: true; press: 'short' | 'long' }
  | { ok: false; reason: 'inactive' | 'wrong_label_code' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'weak_password'; problems: string[] };

/**
 * The camera's reset button (on a real camera, a pin-hole on the board; here a local socket): the
 * recovery for a camera whose password nobody knows. Someone at the camera can press it; the short
 * press also needs the label code, as the camera's configuration stays and only the admin password
 * changes. Either press cuts every stream and is audited.
 */
export class ResetButton {
  constructor(
    private readonly ports: {
      isActive: () => boolean;
      labelCode: Pick<LabelCodeCheck, 'check'>;
      accounts: Pick<AccountStore, 'findByName' | 'apply' | 'deactivate'>;
      passwords: Pick<CameraPasswords, 'judge' | 'store'>;
      audit: Pick<CameraAudit, 'append'>;
      clock: Clock;
      /** Cuts every stream and forgets logins: what the reboot after a reset does on a real camera. */
      afterReset: () => void;
    },
  ) {}

  async press(request: ButtonRequest): Promise<ButtonOutcome> {
    const { audit, accounts } = this.ports;
    if (request.press === 'long') {
      accounts.deactivate();
      await audit.append({ type: 'camera.factory_reset', outcome: 'success', sourceIp: 'button' });
      this.ports.afterReset();
      return { ok: true, press: 'long' };
    }
    if (!this.ports.isActive()) return { ok: false, reason: 'inactive' };
    const code = await this.ports.labelCode.check(request.labelCode, 'button');
    await audit.append({ type: 'camera.button_pressed', outcome: code.ok ? 'success' : 'failure', sourceIp: 'button', details: { press: 'short', ...(code.ok ? {} : { reason: code.reason }) } });
    if (!code.ok) return code;
    const verdict = await this.ports.passwords.judge(ADMIN_USERNAME, request.password);
    if (!verdict.accepted) return { ok: false, reason: 'weak_password', problems: verdict.reasons.map((r) => r.message) };
    const password = await this.ports.passwords.store(ADMIN_USERNAME, request.password);
    const exists = accounts.findByName(ADMIN_USERNAME) !== undefined;
    accounts.apply([{ kind: exists ? 'set' : 'create', username: ADMIN_USERNAME, level: 'Administrator', password }], this.ports.clock.now());
    await audit.append({ type: 'password.reset', outcome: 'success', sourceIp: 'button', target: `username:${ADMIN_USERNAME}`, details: { via: 'reset_button' } });
    this.ports.afterReset();
    return { ok: true, press: 'short' };
  }
}
