import type { PasswordHasher } from '../../identity/passwords/hash.js';
import type { JudgePassword } from '../../identity/passwords/judge.js';
import type { PasswordVerdict } from '../../identity/passwords/policy.js';
import { reauthenticate, type Reauthenticating, type ReauthFailure } from '../../identity/passwords/reauthentication.js';
import type { Clock } from '../../shared/clock.js';
import type { CloudAccount } from '../db/accounts.js';
import { notifyOwner, type SecurityMailServices } from './security-mail.js';
import type { SignedIn } from './sessions.js';

export interface PasswordChangeServices extends Reauthenticating {
  hasher: Pick<PasswordHasher, 'verify' | 'hash'>;
  judgePassword: JudgePassword;
  /** Stores the change atomically (the hash, the other sessions ended, the audit entry); answers how many sessions ended. */
  store(change: { account: CloudAccount; passwordHash: string; keepSessionId: string; sourceIp: string; now: number }): Promise<number>;
  securityMail: SecurityMailServices;
  clock: Clock;
}

export type PasswordChangeOutcome = { ok: true; endedSessions: number } | ReauthFailure | { ok: false; reason: 'weak_password'; verdict: PasswordVerdict };

/**
 * The owner changes their password: the current one again (the core's re-authentication: a session
 * left open is not enough), the policy (the core's judge), then the change, which ends every other
 * session; the owner is told at every address of the account.
 */
export async function changePassword(
  s: PasswordChangeServices,
  who: SignedIn,
  input: { currentPassword: string; newPassword: string; sourceIp: string },
): Promise<PasswordChangeOutcome> {
  const { account } = who;
  const failed = await reauthenticate(s, account, input, { type: 'password.changed' });
  if (failed) return failed;
  const verdict = await s.judgePassword(input.newPassword, { username: account.username.split('@')[0] });
  if (!verdict.accepted) return { ok: false, reason: 'weak_password', verdict };
  const passwordHash = await s.hasher.hash(input.newPassword);
  const endedSessions = await s.store({ account, passwordHash, keepSessionId: who.session.id, sourceIp: input.sourceIp, now: s.clock.now() });
  await notifyOwner(s.securityMail, account, { kind: 'password_changed', sourceIp: input.sourceIp });
  return { ok: true, endedSessions };
}
