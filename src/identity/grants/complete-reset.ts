import type { Clock } from '../../shared/clock.js';
import type { SecurityEvent } from '../audit/security-event.js';
import type { SourceGate } from '../lockout/source-gate.js';
import type { PasswordReason, PasswordVerdict } from '../passwords/policy.js';
import type { ResetGrantStore, StoredGrant } from './grant-store.js';
import { grantIsLive, grantTokenHash } from './reset-grant.js';
import type { ResetCompletionStore, ResetDone } from './reset-completion-store.js';

/** What completing a reset goes through: the grants, the atomic completion, the hasher and the source gate. */
export interface ResetCompleting {
  grants: Pick<ResetGrantStore, 'find'>;
  resets: ResetCompletionStore;
  hasher: { hash(password: string): Promise<string> };
  sourceGate: SourceGate;
  clock: Clock;
}

/**
 * What the part decides about a grant: whose it is, what a good password is for that account,
 * whether its evidence may remove second factors, and what the audit log says. `Holder` is the
 * part's own account record.
 */
export interface ResetPath<Holder> {
  /** The account the grant resets, or undefined when this part no longer honours it (e.g. the account is no admin now). */
  holder(grant: StoredGrant): Promise<Holder | undefined> | Holder | undefined;
  judge(password: string, holder: Holder): Promise<PasswordVerdict>;
  removeSecondFactors(grant: StoredGrant, holder: Holder): Promise<boolean> | boolean;
  /** Pure: the audit entries of the completed reset, stored in the same atomic step. */
  events(done: ResetDone, grant: StoredGrant, holder: Holder): readonly SecurityEvent[];
}

export type ResetOutcome<Holder> =
  | ({ ok: true; holder: Holder; grant: StoredGrant } & ResetDone)
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid_reset_token' }
  | { ok: false; reason: 'password_rejected'; reasons: PasswordReason[] };

/**
 * The last step of every recovery path: the holder of a grant chooses a new password under the
 * normal policy. The password is judged and hashed first (a rejected one leaves the grant as it
 * was); then one atomic operation of the store spends the grant and does everything a reset does
 * (see ResetCompletionStore). Nobody is logged in by it.
 */
export async function completeReset<Holder>(
  deps: ResetCompleting,
  path: ResetPath<Holder>,
  input: { token: string; newPassword: string; sourceIp: string },
): Promise<ResetOutcome<Holder>> {
  const throttle = await deps.sourceGate.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };

  const tokenHash = grantTokenHash(input.token);
  const grant = await deps.grants.find(tokenHash);
  const holder = grant && grantIsLive(grant, deps.clock.now()) ? await path.holder(grant) : undefined;
  if (!grant || !holder) {
    await deps.sourceGate.countFailure(input.sourceIp);
    return { ok: false, reason: 'invalid_reset_token' };
  }

  const verdict = await path.judge(input.newPassword, holder);
  if (!verdict.accepted) return { ok: false, reason: 'password_rejected', reasons: verdict.reasons };
  const passwordHash = await deps.hasher.hash(input.newPassword);
  const removeSecondFactors = await path.removeSecondFactors(grant, holder);

  // A concurrent request with the same token may have spent it while we hashed: the store decides.
  const done = await deps.resets.complete(
    { tokenHash, accountId: grant.accountId, passwordHash, removeSecondFactors, now: deps.clock.now() },
    (result) => path.events(result, grant, holder),
  );
  if (!done) return { ok: false, reason: 'invalid_reset_token' };
  return { ok: true, holder, grant, ...done };
}
