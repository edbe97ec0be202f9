import { isoTime } from '../../shared/clock.js';
import { hmacHex, randomToken, safeEqual } from '../../shared/secrets.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import { countFailedAttempt, type FailureCounting } from '../accounts/failed-attempts.js';
import { reauthenticateWithSecondFactor } from '../accounts/step-up.js';
import type { Authenticated } from '../accounts/sessions.js';
import type { FactorChecking } from '../../identity/two-factor/factor-checks.js';
import type { RecoveryKeyStore } from '../db/recovery-key-store.js';
import type { RecorderStore } from '../db/store.js';
import type { MethodLockPolicy } from '../../identity/lockout/method-lock.js';
import { formatRecoveryKeyFile, parseRecoveryKeyFile, recoveryKeyFileName } from '../api/recovery-key-file.js';
import type { MethodLocks } from './method-lock.js';
import { issueResetGrant, type GrantIssuing, type ResetGrant } from './reset-grant.js';
import type { RecoverySecondFactorProof } from './weak-path-guard.js';

const METHOD = 'recoveryKey';
/** One block for the whole recorder: a file names its account, so a per-account scope would let guesses spread. */
const SCOPE = 'device';
export const RECOVERY_KEY_LOCK_POLICY: MethodLockPolicy = { maxFailures: 7, blockSeconds: 30 * 60 };

/** What the recovery key path goes through: the accounts, the keys' hashes, the method's lock, the second factors. */
export interface RecoveryKeyPath extends FailureCounting, GrantIssuing, FactorChecking {
  store: Pick<RecorderStore, 'transaction' | 'findUserByUsername' | 'getDevice'>;
  hasher: PasswordHasher;
  recoveryKeys: Pick<RecoveryKeyStore, 'get' | 'replace' | 'spend'>;
  methodLocks: Pick<MethodLocks, 'state' | 'fail' | 'clear'>;
}

/**
 * What is stored of a key: an HMAC under the device's secret over the serial, the account and the
 * 256-bit secret. A file made for another recorder or account can never match.
 */
function keyHash(ctx: RecoveryKeyPath, userId: number, secret: string): string {
  const device = ctx.store.getDevice()!;
  return hmacHex(device.serverSecret, `recovery-key\n${device.serial}\n${userId}\n${secret}`);
}

export interface RecoveryKeyStatus {
  /** An unused key exists: the path works. */
  active: boolean;
  createdAt: string | null;
  usedAt: string | null;
}

export function recoveryKeyStatus(ctx: RecoveryKeyPath, userId: number): RecoveryKeyStatus {
  const key = ctx.recoveryKeys.get(userId);
  if (!key) return { active: false, createdAt: null, usedAt: null };
  return { active: key.usedAt === null, createdAt: isoTime(key.createdAt), usedAt: key.usedAt === null ? null : isoTime(key.usedAt) };
}

export type CreateKeyOutcome =
  | { ok: true; fileName: string; content: string; createdAt: string }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid_current_password' | 'second_factor_required' | 'invalid_second_factor' };

/**
 * A new recovery key file for the logged-in admin, shown once; the previous file stops working.
 * Needs the password and, when the account has one, the second factor: a stolen session alone
 * must not be able to mint a standing way back in.
 */
export async function createRecoveryKey(
  ctx: RecoveryKeyPath,
  auth: Authenticated,
  input: { currentPassword: string; proof: RecoverySecondFactorProof; sourceIp: string },
): Promise<CreateKeyOutcome> {
  const proof = await reauthenticateWithSecondFactor(ctx, auth, input);
  if (!proof.ok) return proof;
  const user = auth.user;
  return ctx.store.transaction((): CreateKeyOutcome => {
    const secret = randomToken(32);
    const now = ctx.clock.now();
    const replaced = ctx.recoveryKeys.get(user.id) !== undefined;
    ctx.recoveryKeys.replace({ userId: user.id, keyHash: keyHash(ctx, user.id, secret), createdAt: now });
    ctx.audit.append({
      type: 'recovery.method_changed',
      outcome: 'success',
      actor: { id: user.id, username: user.username },
      sourceIp: input.sourceIp,
      target: `user:${user.id}`,
      details: { method: METHOD, change: replaced ? 'replaced' : 'set' },
    });
    const { serial } = ctx.store.getDevice()!;
    const createdAt = isoTime(now);
    return {
      ok: true,
      fileName: recoveryKeyFileName(serial),
      content: formatRecoveryKeyFile({ serial, username: user.username, createdAt, secret }),
      createdAt,
    };
  });
}

export type ImportKeyOutcome =
  | { ok: true; grant: ResetGrant }
  | { ok: false; reason: 'blocked' | 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid_recovery_key' };

/**
 * An imported recovery key file earns a reset grant, once. The key is spent by a conditional UPDATE
 * in the transaction that issues the grant: a replayed file, or many copies sent at once, get one.
 */
export function importRecoveryKey(ctx: RecoveryKeyPath, input: { file: string; sourceIp: string }): ImportKeyOutcome {
  const before = ctx.methodLocks.state(METHOD, SCOPE);
  if (before.blocked) return { ok: false, reason: 'blocked', retryAfterSeconds: before.retryAfterSeconds };
  const throttle = ctx.sourceThrottle.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };

  return ctx.store.transaction((): ImportKeyOutcome => {
    const parsed = parseRecoveryKeyFile(input.file);
    const user = parsed && parsed.serial === ctx.store.getDevice()!.serial ? ctx.store.findUserByUsername(parsed.username) : undefined;
    const stored = user?.role === 'admin' ? ctx.recoveryKeys.get(user.id) : undefined;
    const offered = user && parsed ? keyHash(ctx, user.id, parsed.secret) : undefined;
    const matches = stored !== undefined && offered !== undefined && safeEqual(offered, stored.keyHash);
    if (user && offered && matches && ctx.recoveryKeys.spend(user.id, offered, ctx.clock.now())) {
      const grant = issueResetGrant(ctx, { user, method: METHOD, sourceIp: input.sourceIp });
      ctx.methodLocks.clear(METHOD, SCOPE);
      return { ok: true, grant };
    }

    const audited = { sourceIp: input.sourceIp, target: user ? `user:${user.id}` : 'device' };
    const state = ctx.methodLocks.fail(METHOD, SCOPE, RECOVERY_KEY_LOCK_POLICY);
    countFailedAttempt(ctx, input.sourceIp);
    ctx.audit.append({
      ...audited,
      type: 'recovery.evidence_failed',
      outcome: 'failure',
      // Why, for the owner reading the log; the caller gets one answer for all of them.
      details: { method: METHOD, reason: !parsed ? 'not_a_key_file' : !user ? 'other_recorder_or_account' : matches ? 'already_used' : 'wrong_key' },
    });
    if (state.blocked) {
      ctx.audit.append({ ...audited, type: 'recovery.blocked', outcome: 'info', details: { method: METHOD, retryAfterSeconds: state.retryAfterSeconds } });
    }
    return { ok: false, reason: 'invalid_recovery_key' };
  });
}
