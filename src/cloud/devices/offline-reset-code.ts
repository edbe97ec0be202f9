import { isoTime, type Clock } from '../../shared/clock.js';
import { offlineResponseCode, parseChallengeText, OFFLINE_CHALLENGE_LIFETIME_MS } from '../../identity/grants/offline-code.js';
import type { CloudAuditLog } from '../audit.js';
import type { Queryable } from '../db/database.js';
import { deviceSecretFor } from '../db/devices.js';

/**
 * The cloud's half of the offline remote reset (issue 11): the owner, logged in (with two-step
 * login when the account has it), types the challenge their recorder shows; if the serial is
 * bound to this account and the challenge has not expired, the cloud answers the response code
 * computed with that device's secret (identity/grants/offline-code.ts). The recorder does the
 * rest: single use, 5 wrong codes, its waiting period.
 */

export interface OfflineResetCodeServices {
  db: Queryable;
  /** Seals the per-device secrets (DIR/keys/device-secrets.key). */
  deviceSecretsKey: Buffer;
  audit: Pick<CloudAuditLog, 'append'>;
  clock: Clock;
}

export type OfflineResetCodeOutcome =
  | { ok: true; serial: string; code: string; expiresAt: string }
  /** `not_yours` covers "bound to someone else" and "not bound at all": the answer tells neither. */
  | { ok: false; reason: 'unreadable' | 'expired' | 'not_yours' };

/** A recorder's clock may run this far ahead of the cloud's before its challenges look made up. */
const CLOCK_SKEW_MS = 5 * 60_000;

export async function offlineResetCode(
  s: OfflineResetCodeServices,
  input: { account: { id: number; username: string }; challenge: string; sourceIp: string },
): Promise<OfflineResetCodeOutcome> {
  const challenge = parseChallengeText(input.challenge);
  const now = s.clock.now();
  const audited = { actor: { id: input.account.id, username: input.account.username }, sourceIp: input.sourceIp };
  const refuse = async (reason: 'unreadable' | 'expired' | 'not_yours'): Promise<OfflineResetCodeOutcome> => {
    await s.audit.append({
      ...audited,
      type: 'device.offline_reset_refused',
      outcome: 'failure',
      target: challenge ? `device:${challenge.serial}` : null,
      details: { reason },
    });
    return { ok: false, reason };
  };
  if (!challenge) return refuse('unreadable');
  // Expired, or further ahead than a recorder ever sets it: a made-up challenge gets no code.
  if (challenge.expiresAt <= now || challenge.expiresAt > now + OFFLINE_CHALLENGE_LIFETIME_MS + CLOCK_SKEW_MS) return refuse('expired');
  const secret = await deviceSecretFor(s.db, challenge.serial, input.account.id, s.deviceSecretsKey);
  if (!secret) return refuse('not_yours');
  await s.audit.append({
    ...audited,
    type: 'device.offline_reset_code_issued',
    outcome: 'success',
    target: `device:${challenge.serial}`,
    // The nonce ties this entry to the recorder's own audit of the reset; the code stays out.
    details: { challenge: challenge.nonce, expiresAt: isoTime(challenge.expiresAt) },
  });
  return { ok: true, serial: challenge.serial, code: offlineResponseCode(secret, challenge), expiresAt: isoTime(challenge.expiresAt) };
}
