import { isoTime } from '../../shared/clock.js';
import { randomToken, sha256Hex } from '../../shared/secrets.js';
import { auditIfSourceBlocked, type FailureCounting } from '../accounts/failed-attempts.js';
import type { CloudResetStore, CloudResetVia } from '../db/cloud-reset-store.js';
import type { RecorderStore, UserRecord } from '../db/store.js';
import { issueResetGrant, type GrantIssuing, type ResetGrant } from './reset-grant.js';

/**
 * The recorder's waiting period for cloud resets (issue 11). A cloud account can be stolen (its
 * password and mailbox together); an admin who fears that sets a wait, and a cloud reset then
 * does not take effect at once: every registered address of the account is told, an admin or the
 * owner at the LAN may cancel it, and only when the wait is over does it buy a reset grant.
 */

export type CloudResetDecision =
  | { kind: 'granted'; grant: ResetGrant }
  /** `claimToken` buys the grant from `effectiveAt` on (POST /api/v1/recovery/cloud/pending/claim). */
  | { kind: 'waiting'; claimToken: string; effectiveAt: string; username: string };

export interface CloudResetAuthorizing extends GrantIssuing {
  cloudResets: Pick<CloudResetStore, 'insertPending' | 'getWaitHours'>;
}

/**
 * THE way a cloud reset (online or offline) gets its effect: call it, inside the transaction that
 * spends the cloud's evidence (the authorisation's nonce, the offline challenge), for an admin
 * `user`, instead of issuing a grant. Without a waiting period it issues the grant (method `cloud`)
 * at once; with one it records a pending reset and audits `recovery.cloud_reset_pending`, which the
 * security notifier mails to the account's notification address and reserved email and phone.
 */
export function authorizeCloudReset(
  ctx: CloudResetAuthorizing,
  input: { user: UserRecord; via: CloudResetVia; sourceIp: string; evidence?: Record<string, string> },
): CloudResetDecision {
  const waitHours = ctx.cloudResets.getWaitHours();
  const evidence = { ...input.evidence, via: input.via };
  if (waitHours === 0) return { kind: 'granted', grant: issueResetGrant(ctx, { user: input.user, method: 'cloud', sourceIp: input.sourceIp, evidence }) };

  const now = ctx.clock.now();
  const claimToken = randomToken(32);
  const effectiveAt = now + waitHours * 3600_000;
  ctx.cloudResets.insertPending({ tokenHash: sha256Hex(claimToken), userId: input.user.id, via: input.via, requestedAt: now, effectiveAt });
  ctx.audit.append({
    type: 'recovery.cloud_reset_pending',
    outcome: 'info',
    sourceIp: input.sourceIp,
    target: `user:${input.user.id}`,
    details: { ...evidence, method: 'cloud', waitHours, effectiveAt: isoTime(effectiveAt) },
  });
  return { kind: 'waiting', claimToken, effectiveAt: isoTime(effectiveAt), username: input.user.username };
}

/** A waiting reset as the wizard and the admin see it: no token, no account. */
export interface ShownPendingReset {
  via: CloudResetVia;
  requestedAt: string;
  effectiveAt: string;
}

/** What is waiting, for the wizard and the admin: when each reset takes effect and how it was asked. */
export function pendingCloudResets(ctx: { cloudResets: Pick<CloudResetStore, 'listPending'> }): ShownPendingReset[] {
  return ctx.cloudResets.listPending().map((p) => ({ via: p.via, requestedAt: isoTime(p.requestedAt), effectiveAt: isoTime(p.effectiveAt) }));
}

export interface CloudResetClaiming extends FailureCounting, GrantIssuing {
  store: Pick<RecorderStore, 'transaction' | 'getUser'>;
  cloudResets: Pick<CloudResetStore, 'claimPending' | 'listPending'>;
}

export type ClaimOutcome =
  | { ok: true; grant: ResetGrant }
  | { ok: false; reason: 'not_yet'; effectiveAt: string }
  | { ok: false; reason: 'refused' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** Trades the claim token of a pending reset whose wait is over for a reset grant, once. */
export function claimCloudReset(ctx: CloudResetClaiming, input: { claimToken: string; sourceIp: string }): ClaimOutcome {
  const budget = ctx.sourceThrottle.check(input.sourceIp);
  if (!budget.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: budget.retryAfterSeconds };
  const failureAt = ctx.sourceThrottle.record(input.sourceIp);
  const tokenHash = sha256Hex(input.claimToken);

  const verdict = ctx.store.transaction((): ClaimOutcome => {
    const now = ctx.clock.now();
    const claimed = ctx.cloudResets.claimPending(tokenHash, now);
    const user = claimed && ctx.store.getUser(claimed.userId);
    if (claimed && user?.role === 'admin') {
      return { ok: true, grant: issueResetGrant(ctx, { user, method: 'cloud', sourceIp: input.sourceIp, evidence: { via: claimed.via, waited: 'yes' } }) };
    }
    const waiting = ctx.cloudResets.listPending().find((p) => p.tokenHash === tokenHash);
    return waiting ? { ok: false, reason: 'not_yet', effectiveAt: isoTime(waiting.effectiveAt) } : { ok: false, reason: 'refused' };
  });
  // Asking early is no guess: the token was right.
  if (verdict.ok || verdict.reason === 'not_yet') {
    ctx.sourceThrottle.withdraw(input.sourceIp, failureAt);
    return verdict;
  }
  ctx.audit.append({ type: 'recovery.evidence_failed', outcome: 'failure', sourceIp: input.sourceIp, details: { method: 'cloud', reason: 'unknown_or_cancelled_claim' } });
  auditIfSourceBlocked(ctx, input.sourceIp);
  return verdict;
}

/** Cancels every pending cloud reset (an admin, or the owner at the LAN); audited with who did it. */
export function cancelCloudResets(
  ctx: { store: Pick<RecorderStore, 'transaction'>; cloudResets: Pick<CloudResetStore, 'cancelAllPending'> } & Pick<GrantIssuing, 'clock' | 'audit'>,
  input: { actor: Pick<UserRecord, 'id' | 'username'> | null; sourceIp: string },
): number {
  return ctx.store.transaction(() => {
    const cancelled = ctx.cloudResets.cancelAllPending(ctx.clock.now());
    if (cancelled > 0) {
      ctx.audit.append({
        type: 'recovery.cloud_reset_cancelled',
        outcome: 'success',
        actor: input.actor && { id: input.actor.id, username: input.actor.username },
        sourceIp: input.sourceIp,
        details: { method: 'cloud', cancelled, by: input.actor ? 'admin' : 'lan' },
      });
    }
    return cancelled;
  });
}
