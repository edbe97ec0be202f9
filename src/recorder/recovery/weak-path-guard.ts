import { isListed } from '../accounts/login-allow-list.js';
import type { Clock } from '../../shared/clock.js';
import { checkRecoveryCode, checkTotp, type FactorChecking } from '../../identity/two-factor/factor-checks.js';
import { secondFactorMethods } from '../../identity/two-factor/methods.js';
import type { RecoveryStore } from '../db/recovery-store.js';
import type { UserRecord } from '../db/store.js';

/** Private, link-local and loopback ranges: addresses a recorder's own LAN uses. */
export const LAN_RANGES: readonly string[] = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
];

/** Pure: is `ip` on a local network (and so, with the default setting, allowed to use a weak path)? */
export function isLanAddress(ip: string): boolean {
  return isListed(ip, LAN_RANGES);
}

/** Pure: may a weak path answer this address under these settings? */
export function weakPathAllowedFrom(ip: string, settings: { weakPathsLanOnly: boolean }): boolean {
  return !settings.weakPathsLanOnly || isLanAddress(ip);
}

export function weakPathAllowed(ctx: { recovery: Pick<RecoveryStore, 'getSettings'> }, sourceIp: string): boolean {
  return weakPathAllowedFrom(sourceIp, ctx.recovery.getSettings());
}

export type RecoverySecondFactorVerdict = 'not_required' | 'accepted' | 'missing' | 'wrong';

export interface RecoverySecondFactorProof {
  totp?: string;
  recoveryCode?: string;
}

/**
 * 2FA for a weak path: right evidence from a mailbox or from the answers to questions must not be
 * enough when the account also has a second factor. A TOTP code or a recovery code is needed (a
 * passkey cannot be used by someone who cannot log in). A right code is spent here: call it only
 * once the other evidence is known to be right, just before the step that consumes that evidence.
 */
export async function checkRecoverySecondFactor(
  ctx: FactorChecking & { clock: Clock },
  user: UserRecord,
  proof: RecoverySecondFactorProof,
): Promise<RecoverySecondFactorVerdict> {
  const verdict = await recoverySecondFactorOrReplay(ctx, user, proof);
  // The paths that ask only right or wrong (questions, recovery key) refuse a replay as wrong.
  return verdict === 'replayed' ? 'wrong' : verdict;
}

/** checkRecoverySecondFactor, telling a right TOTP code of a step already accepted (`replayed`) from a wrong one. */
export async function recoverySecondFactorOrReplay(
  ctx: FactorChecking & { clock: Clock },
  user: UserRecord,
  proof: RecoverySecondFactorProof,
): Promise<RecoverySecondFactorVerdict | 'replayed'> {
  if ((await secondFactorMethods(ctx, user.id)).length === 0) return 'not_required';
  const now = ctx.clock.now();
  if (proof.totp !== undefined) {
    const verdict = await checkTotp(ctx, user.id, proof.totp, now);
    return verdict === 'accepted' || verdict === 'replayed' ? verdict : 'wrong';
  }
  if (proof.recoveryCode !== undefined) return (await checkRecoveryCode(ctx, user.id, proof.recoveryCode, now)) === 'accepted' ? 'accepted' : 'wrong';
  return 'missing';
}
