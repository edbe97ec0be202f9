import { createPublicKey } from 'node:crypto';
import { authorisationSignatureValid, type CommandAnswer, type ResetAuthorisation } from '../api/cloud-link.js';
import type { RecorderStore, UserRecord } from '../db/store.js';
import { completeRecoveryReset, type RecoveryResetting } from '../recovery/complete-reset.js';
import { authorizeCloudReset, type CloudResetAuthorizing, type CloudResetDecision } from '../recovery/cloud-reset-wait.js';
import type { CloudBindingStore } from './binding-store.js';

/** Where the audit log says a cloud reset came from: over the recorder's own outbound connection, no client address. */
export const CLOUD_SOURCE = 'cloud';

/** Why an authorisation from the cloud is refused; only the audit log tells which. */
export type CloudAuthorisationRefusal = 'not_bound' | 'bad_signature' | 'other_device' | 'expired' | 'replayed' | 'not_admin';

/** Pure: why an authorisation whose signature checked out cannot be used here, or null if it can. */
export function cloudAuthorisationRefusal(
  a: ResetAuthorisation,
  here: { serial: string; user: Pick<UserRecord, 'role'> | undefined; now: number },
): Exclude<CloudAuthorisationRefusal, 'not_bound' | 'bad_signature' | 'replayed'> | null {
  if (a.serial !== here.serial) return 'other_device';
  if (!Number.isFinite(a.expiresAt) || here.now >= a.expiresAt) return 'expired';
  if (here.user?.role !== 'admin') return 'not_admin';
  return null;
}

export interface CloudResetPath extends CloudResetAuthorizing, RecoveryResetting {
  store: Pick<RecorderStore, 'transaction' | 'findUserByUsername' | 'getDevice' | 'getUser'>;
  cloudBinding: CloudBindingStore;
}

/**
 * The recorder's side of the online remote reset: the authorisation must be signed by the cloud key
 * pinned at binding, name this serial, be in time and unused (the nonce is spent in the transaction
 * that authorises the reset, and kept across a restart). Then the recorder's waiting period, if
 * its admin set one (a claim token goes back); otherwise the shared last step: with a password
 * relayed by the cloud it is set at once, otherwise the grant goes back for the LAN.
 */
export async function acceptCloudAuthorisation(
  ctx: CloudResetPath,
  input: { authorisation: ResetAuthorisation; signature: string; newPassword?: string },
): Promise<CommandAnswer> {
  const binding = ctx.cloudBinding.get();
  const a = input.authorisation;
  const signed = binding !== undefined && authorisationSignatureValid(a, input.signature, createPublicKey(binding.cloudPublicKey));
  const verdict: { refusal: CloudAuthorisationRefusal } | { decision: CloudResetDecision } = !binding
    ? { refusal: 'not_bound' as const }
    : !signed
      ? { refusal: 'bad_signature' as const }
      : ctx.store.transaction((): { refusal: CloudAuthorisationRefusal } | { decision: CloudResetDecision } => {
          const now = ctx.clock.now();
          const user = ctx.store.findUserByUsername(a.username);
          const refusal = cloudAuthorisationRefusal(a, { serial: ctx.store.getDevice()!.serial, user, now });
          if (refusal) return { refusal };
          if (!ctx.cloudBinding.useResetNonce(a.nonce, a.expiresAt, now)) return { refusal: 'replayed' };
          // The recorder's waiting period for cloud resets applies here as to the offline path.
          return { decision: authorizeCloudReset(ctx, { user: user!, via: 'online', sourceIp: CLOUD_SOURCE, evidence: { cloud: binding.cloudUrl } }) };
        });
  if (!('decision' in verdict)) {
    ctx.audit.append({ type: 'recovery.evidence_failed', outcome: 'failure', sourceIp: CLOUD_SOURCE, details: { method: 'cloud', reason: verdict.refusal } });
    return { ok: false, reason: 'refused' };
  }
  if (verdict.decision.kind === 'waiting') {
    const { claimToken, effectiveAt, username } = verdict.decision;
    return { ok: true, waiting: { claimToken, effectiveAt, username } };
  }
  const { grant } = verdict.decision;
  if (input.newPassword === undefined) return { ok: true, grant: { token: grant.token, expiresAt: grant.expiresAt, username: grant.username } };
  const done = await completeRecoveryReset(ctx, { token: grant.token, newPassword: input.newPassword, clearTwoFactor: false, sourceIp: CLOUD_SOURCE });
  if (done.ok) return { ok: true, revokedSessions: done.revokedSessions };
  if (done.reason === 'password_rejected') return { ok: false, reason: 'password_rejected', reasons: done.reasons };
  return { ok: false, reason: 'refused' };
}
