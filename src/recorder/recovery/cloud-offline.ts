import { isoTime } from '../../shared/clock.js';
import type { AttemptThrottle, ThrottlePolicy } from '../../identity/lockout/attempt-throttle.js';
import {
  challengeQrPayload,
  challengeText,
  newOfflineChallenge,
  offlineResponseMatches,
  type OfflineChallenge,
} from '../../identity/grants/offline-code.js';
import { auditIfSourceBlocked, type FailureCounting } from '../accounts/failed-attempts.js';
import type { CloudResetStore, OfflineChallengeRecord } from '../db/cloud-reset-store.js';
import type { RecorderStore, UserRecord } from '../db/store.js';
import { authorizeCloudReset, type CloudResetAuthorizing, type CloudResetDecision } from './cloud-reset-wait.js';

/**
 * The offline remote reset (issue 11), for a bound recorder without internet: the wizard shows a
 * challenge, the owner types it into the cloud and gets a response code computed with the secret
 * agreed at binding (identity/grants/offline-code.ts), and the right code for the open challenge,
 * typed back here within 30 minutes, is the evidence for a reset with the method `cloud`.
 */

/** Wrong codes that close a challenge: with 50-bit codes, 5 tries leave a guesser nothing. */
export const OFFLINE_CODE_TRIES = 5;

/** Challenges asked for per source address: 10 an hour, then 5 min doubling up to 1 h, as reset requests to support. */
export const CLOUD_CHALLENGE_THROTTLE: ThrottlePolicy = {
  maxAttempts: 10,
  windowSeconds: 3600,
  baseBlockSeconds: 300,
  maxBlockSeconds: 3600,
};

/** The binding's secret, narrowly: present only while the recorder is bound (recorder/cloud/binding-store.ts). */
export interface CloudDeviceSecret {
  deviceSecret(): Buffer | undefined;
}

export interface CloudOfflinePath extends FailureCounting, CloudResetAuthorizing {
  store: Pick<RecorderStore, 'transaction' | 'findUserByUsername' | 'getDevice'>;
  cloudBinding: CloudDeviceSecret;
  cloudResets: Pick<CloudResetStore, 'openChallenge' | 'insertChallenge' | 'countWrongCode' | 'closeUsed' | 'insertPending' | 'getWaitHours'>;
  cloudChallengeThrottle: AttemptThrottle;
}

export interface ShownChallenge {
  serial: string;
  nonce: string;
  expiresAt: string;
  /** To type into the cloud. */
  text: string;
  /** For the QR code. */
  qrPayload: string;
  /** Wrong codes left before it closes. */
  triesLeft: number;
}

function shown(challenge: OfflineChallenge, failures: number): ShownChallenge {
  return {
    serial: challenge.serial,
    nonce: challenge.nonce,
    expiresAt: isoTime(challenge.expiresAt),
    text: challengeText(challenge),
    qrPayload: challengeQrPayload(challenge),
    triesLeft: OFFLINE_CODE_TRIES - failures,
  };
}

const withSerial = (ctx: CloudOfflinePath, record: Pick<OfflineChallengeRecord, 'nonce' | 'expiresAt'>): OfflineChallenge => ({
  serial: ctx.store.getDevice()!.serial,
  nonce: record.nonce,
  expiresAt: record.expiresAt,
});

export type OpenChallengeOutcome =
  | { ok: true; challenge: ShownChallenge }
  | { ok: false; reason: 'not_bound' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * The open challenge, or a new one when none is: one at a time, so reloading the wizard (or a
 * second browser) shows the same one and its count of wrong codes goes on.
 */
export function openOfflineChallenge(ctx: CloudOfflinePath, input: { sourceIp: string }): OpenChallengeOutcome {
  if (!ctx.cloudBinding.deviceSecret()) return { ok: false, reason: 'not_bound' };
  const budget = ctx.cloudChallengeThrottle.check(input.sourceIp);
  if (!budget.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: budget.retryAfterSeconds };
  ctx.cloudChallengeThrottle.record(input.sourceIp);

  return ctx.store.transaction(() => {
    const now = ctx.clock.now();
    const open = ctx.cloudResets.openChallenge(now);
    if (open) return { ok: true, challenge: shown(withSerial(ctx, open), open.failures) };
    const challenge = newOfflineChallenge(ctx.store.getDevice()!.serial, now);
    ctx.cloudResets.insertChallenge(challenge, now);
    ctx.audit.append({
      type: 'recovery.requested',
      outcome: 'info',
      sourceIp: input.sourceIp,
      details: { method: 'cloud', via: 'offline', challenge: challenge.nonce },
    });
    return { ok: true, challenge: shown(challenge, 0) };
  });
}

/** Why a typed code gives nothing; only the audit log tells which. */
export type OfflineRefusal = 'no_open_challenge' | 'wrong_code' | 'not_admin';

/** Pure: whether a code typed for the open challenge may reset `user`'s password, or why not. */
export function offlineAnswerRefusal(here: {
  open: boolean;
  codeMatches: boolean;
  user: Pick<UserRecord, 'role'> | undefined;
}): OfflineRefusal | null {
  if (!here.open) return 'no_open_challenge';
  if (!here.codeMatches) return 'wrong_code';
  if (here.user?.role !== 'admin') return 'not_admin';
  return null;
}

export type AnswerOutcome =
  | { ok: true; decision: CloudResetDecision }
  | { ok: false; reason: 'not_bound' | 'no_open_challenge' }
  /** `triesLeft` 0: the challenge is closed now. */
  | { ok: false; reason: 'refused'; triesLeft: number }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

type Verdict = { refusal: OfflineRefusal; triesLeft: number; nonce: string | null } | { decision: CloudResetDecision };

/**
 * In one transaction: checks the code against the open challenge, then either closes it as used
 * and authorises the reset (a grant, or a pending reset when the admin set a waiting period), or
 * counts a wrong code, the fifth closing it. A wrong username counts as a wrong code (the same
 * answer, so the code does not tell which accounts are admins). The conditional UPDATE of
 * closeUsed makes the challenge single use, also against an answer racing this one.
 */
function spendChallenge(ctx: CloudOfflinePath, secret: Buffer, input: { username: string; code: string; sourceIp: string }): Verdict {
  return ctx.store.transaction((): Verdict => {
    const now = ctx.clock.now();
    const open = ctx.cloudResets.openChallenge(now);
    const user = ctx.store.findUserByUsername(input.username);
    const refusal = offlineAnswerRefusal({
      open: open !== undefined,
      codeMatches: open !== undefined && offlineResponseMatches(secret, withSerial(ctx, open), input.code),
      user,
    });
    if (!open) return { refusal: 'no_open_challenge', triesLeft: 0, nonce: null };
    if (refusal) {
      const failures = ctx.cloudResets.countWrongCode(open.nonce, OFFLINE_CODE_TRIES, now) ?? OFFLINE_CODE_TRIES;
      return { refusal, triesLeft: OFFLINE_CODE_TRIES - failures, nonce: open.nonce };
    }
    if (!ctx.cloudResets.closeUsed(open.nonce, now)) return { refusal: 'no_open_challenge', triesLeft: 0, nonce: open.nonce };
    return { decision: authorizeCloudReset(ctx, { user: user!, via: 'offline', sourceIp: input.sourceIp, evidence: { challenge: open.nonce } }) };
  });
}

/** Checks the response code from the cloud for the open challenge; right, it authorises a cloud reset of `username`. */
export function answerOfflineChallenge(ctx: CloudOfflinePath, input: { username: string; code: string; sourceIp: string }): AnswerOutcome {
  const secret = ctx.cloudBinding.deviceSecret();
  if (!secret) return { ok: false, reason: 'not_bound' };
  const budget = ctx.sourceThrottle.check(input.sourceIp);
  if (!budget.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: budget.retryAfterSeconds };
  // Counted as failed before any check, taken back on success: the throttle bounds every try.
  const failureAt = ctx.sourceThrottle.record(input.sourceIp);

  const verdict = spendChallenge(ctx, secret, input);
  if ('decision' in verdict) {
    ctx.sourceThrottle.withdraw(input.sourceIp, failureAt);
    return { ok: true, decision: verdict.decision };
  }
  ctx.audit.append({
    type: 'recovery.evidence_failed',
    outcome: 'failure',
    actor: { id: null, username: input.username },
    sourceIp: input.sourceIp,
    details: { method: 'cloud', via: 'offline', reason: verdict.refusal, challenge: verdict.nonce, triesLeft: verdict.triesLeft },
  });
  auditIfSourceBlocked(ctx, input.sourceIp);
  return verdict.refusal === 'no_open_challenge' ? { ok: false, reason: 'no_open_challenge' } : { ok: false, reason: 'refused', triesLeft: verdict.triesLeft };
}
