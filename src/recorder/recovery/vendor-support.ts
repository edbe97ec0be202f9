import { createPublicKey } from 'node:crypto';
import {
  encodePublicKey,
  parseResetResponse,
  RESET_REQUEST_FORMAT,
  resetRequestHash,
  resetResponseSignatureValid,
  signResetRequest,
  supportResponseExpiry,
  type ResetRequest,
  type ResetResponse,
} from '../api/vendor-reset-file.js';
import { randomToken, safeEqual, sha256Hex } from '../../shared/secrets.js';
import type { AttemptThrottle, ThrottlePolicy } from '../../identity/lockout/attempt-throttle.js';
import { auditIfSourceBlocked, type FailureCounting } from '../accounts/failed-attempts.js';
import type { RecorderStore, UserRecord } from '../db/store.js';
import type { SupportRequestRecord } from '../db/vendor-support-store.js';
import { issueResetGrant, type GrantIssuing, type ResetGrant } from './reset-grant.js';
import type { VendorSupport } from './vendor-support-keys.js';

/**
 * Reset requests per source address: 10 an hour, then 5 min doubling up to 1 h. Each one is a
 * device signature and a database row, and the route needs no login.
 */
export const SUPPORT_REQUEST_THROTTLE: ThrottlePolicy = {
  maxAttempts: 10,
  windowSeconds: 3600,
  baseBlockSeconds: 300,
  maxBlockSeconds: 3600,
};

export type SupportRequestOutcome =
  | { ok: true; request: ResetRequest }
  | { ok: false; reason: 'not_set_up' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** What the vendor support path goes through: the accounts, the support keys and requests, two throttles. */
export interface VendorSupportPath extends FailureCounting, GrantIssuing {
  store: Pick<RecorderStore, 'transaction' | 'findUserByUsername' | 'getDevice'>;
  supportRequestThrottle: AttemptThrottle;
  vendorSupport: VendorSupport;
}

/**
 * Writes a signed reset request for `username`, whatever it names: the answer for an account that
 * does not exist (or is no admin) is the same file, and only its response is refused later.
 */
export function createSupportRequest(ctx: VendorSupportPath, input: { username: string; sourceIp: string }): SupportRequestOutcome {
  const support = ctx.vendorSupport;
  if (!support.vendorKey) return { ok: false, reason: 'not_set_up' };
  const budget = ctx.supportRequestThrottle.check(input.sourceIp);
  if (!budget.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: budget.retryAfterSeconds };
  ctx.supportRequestThrottle.record(input.sourceIp);

  const device = ctx.store.getDevice()!;
  const now = ctx.clock.now();
  const request = signResetRequest(
    {
      format: RESET_REQUEST_FORMAT,
      serial: device.serial,
      model: device.model,
      devicePublicKey: encodePublicKey(createPublicKey(support.deviceKey)),
      username: input.username,
      nonce: randomToken(32),
      createdAt: new Date(now).toISOString(),
    },
    support.deviceKey,
  );
  ctx.store.transaction(() => {
    support.requests.insertRequest({
      nonceHash: sha256Hex(request.nonce),
      requestHash: resetRequestHash(request),
      username: request.username,
      createdAt: now,
      usedAt: null,
    });
    ctx.audit.append({
      type: 'recovery.requested',
      outcome: 'info',
      actor: { id: null, username: input.username },
      sourceIp: input.sourceIp,
      details: { method: 'vendorSupport' },
    });
  });
  return { ok: true, request };
}

/** Why a support response is refused; only the audit log tells which. */
export type SupportRefusal =
  | 'malformed'
  | 'bad_signature'
  | 'other_device'
  | 'unknown_request'
  | 'request_mismatch'
  | 'replayed'
  | 'expired'
  | 'not_admin';

/**
 * Pure: why a response whose vendor signature checked out cannot be used here, or null if it can.
 * The recorder trusts its own record of the request (when it was made, for whom), not the
 * response's copy of it; a shorter expiry support chose is honoured too.
 */
export function supportResponseRefusal(
  response: ResetResponse,
  here: { serial: string; request: SupportRequestRecord | undefined; user: Pick<UserRecord, 'role'> | undefined; now: number },
): SupportRefusal | null {
  if (response.serial !== here.serial) return 'other_device';
  if (!here.request) return 'unknown_request';
  if (!safeEqual(response.requestHash, here.request.requestHash) || response.username !== here.request.username) return 'request_mismatch';
  if (here.request.usedAt !== null) return 'replayed';
  if (here.now > Math.min(supportResponseExpiry(here.request.createdAt), Date.parse(response.expiresAt))) return 'expired';
  if (here.user?.role !== 'admin') return 'not_admin';
  return null;
}

export type SupportResponseOutcome =
  | { ok: true; grant: ResetGrant }
  | { ok: false; reason: 'not_set_up' | 'refused' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * For a response signed by the vendor: in one transaction, checks it against this recorder's
 * record of the request, marks the request used and issues the grant. The conditional UPDATE is
 * what makes a response single use, even against an import racing this one.
 */
function spendRequest(ctx: VendorSupportPath, response: ResetResponse, sourceIp: string): { refusal: SupportRefusal } | { grant: ResetGrant } {
  const requests = ctx.vendorSupport.requests;
  return ctx.store.transaction(() => {
    const nonceHash = sha256Hex(response.nonce);
    const now = ctx.clock.now();
    const user = ctx.store.findUserByUsername(response.username);
    const refusal = supportResponseRefusal(response, {
      serial: ctx.store.getDevice()!.serial,
      request: requests.findRequest(nonceHash),
      user,
      now,
    });
    if (refusal) return { refusal };
    if (!requests.markRequestUsed(nonceHash, now)) return { refusal: 'replayed' };
    // The case links this reset to the support desk's record of who asked and who signed.
    const evidence = { supportCase: response.caseId, supportAgent: response.agent };
    return { grant: issueResetGrant(ctx, { user: user!, method: 'vendorSupport', sourceIp, evidence }) };
  });
}

/** Checks a response from support and, if it is good, spends its request and issues a reset grant. */
export function acceptSupportResponse(ctx: VendorSupportPath, input: { file: string; sourceIp: string }): SupportResponseOutcome {
  const vendorKey = ctx.vendorSupport.vendorKey;
  if (!vendorKey) return { ok: false, reason: 'not_set_up' };
  const budget = ctx.sourceThrottle.check(input.sourceIp);
  if (!budget.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: budget.retryAfterSeconds };
  // Counted as failed before any check, taken back on success: the throttle bounds every try.
  const failureAt = ctx.sourceThrottle.record(input.sourceIp);

  const parsed = parseResetResponse(input.file);
  const verdict = !parsed.ok
    ? { refusal: 'malformed' as const }
    : !resetResponseSignatureValid(parsed.value, vendorKey)
      ? { refusal: 'bad_signature' as const }
      : spendRequest(ctx, parsed.value, input.sourceIp);

  if ('grant' in verdict) {
    ctx.sourceThrottle.withdraw(input.sourceIp, failureAt);
    return { ok: true, grant: verdict.grant };
  }
  ctx.audit.append({
    type: 'recovery.evidence_failed',
    outcome: 'failure',
    sourceIp: input.sourceIp,
    details: { method: 'vendorSupport', reason: verdict.refusal, caseId: parsed.ok ? parsed.value.caseId : null },
  });
  auditIfSourceBlocked(ctx, input.sourceIp);
  return { ok: false, reason: 'refused' };
}
