import type { AttemptThrottle } from '../../identity/lockout/attempt-throttle.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import type { CameraDevice } from './device-store.js';
import { normalizeCameraLabelCode } from './manufacture.js';

export type LabelCodeVerdict = { ok: true } | { ok: false; reason: 'wrong_label_code' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Checks a typed label code against the hash kept at manufacture. Each try is counted (per source,
 * by the core's throttle) before the hash runs, and given back only when the code was right: 80
 * random bits need no more than that, and the throttle keeps the hashing a flood can cause small.
 */
export class LabelCodeCheck {
  constructor(
    private readonly device: () => Pick<CameraDevice, 'labelCodeHash'>,
    private readonly hasher: Pick<PasswordHasher, 'verify'>,
    private readonly throttle: Pick<AttemptThrottle, 'reserve' | 'withdraw'>,
  ) {}

  async check(typed: string, source: string): Promise<LabelCodeVerdict> {
    const reserved = this.throttle.reserve(source);
    if (!reserved.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: reserved.retryAfterSeconds };
    const code = normalizeCameraLabelCode(typed);
    if (!code || !(await this.hasher.verify(this.device().labelCodeHash, code)).valid) return { ok: false, reason: 'wrong_label_code' };
    this.throttle.withdraw(source, reserved.at);
    return { ok: true };
  }
}

/** Five wrong label codes an hour per source, then blocks from a minute doubling to a day. */
export const LABEL_CODE_THROTTLE = { maxAttempts: 5, windowSeconds: 3600, baseBlockSeconds: 60, maxBlockSeconds: 86_400 };
