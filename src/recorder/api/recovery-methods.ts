/**
 * The recovery paths for a recorder admin, by the evidence each needs. Pure: the web UI and the
 * terminal wizard import it too.
 */
export const RECOVERY_METHODS = ['email', 'phone', 'securityQuestions', 'recoveryKey', 'resetButton', 'vendorSupport', 'cloud'] as const;

export type RecoveryMethod = (typeof RECOVERY_METHODS)[number];

/**
 * The order both wizards (browser and `vigil recover`) offer the paths in: strong evidence first
 * (what only the owner holds), and among those what the owner can do alone before what needs the
 * vendor's support desk; then the weak ones (a mailbox, a phone, answers a relative may know), which
 * never bypass two-step login. The cloud account (offered only while the recorder is bound) comes
 * after the key file and the button, which prove possession of the recorder itself, because an
 * account online can be taken over from afar; and before vendor support, because the owner does it
 * alone in minutes rather than waiting days for a desk.
 */
export const RECOVERY_OFFER_ORDER: readonly RecoveryMethod[] = ['recoveryKey', 'resetButton', 'cloud', 'vendorSupport', 'securityQuestions', 'phone', 'email'];

/**
 * Evidence someone else may also have (a mailbox, a phone, answers a relative knows): these paths
 * never bypass 2FA and answer only the LAN unless the admin opens them.
 */
export const WEAK_METHODS: ReadonlySet<RecoveryMethod> = new Set(['email', 'phone', 'securityQuestions']);

/** Where the weak paths that send a code send it: the account's reserved address or number. */
export type ContactChannel = Extract<RecoveryMethod, 'email' | 'phone'>;

export function isWeakMethod(method: RecoveryMethod): boolean {
  return WEAK_METHODS.has(method);
}

export function isRecoveryMethod(value: string): value is RecoveryMethod {
  return (RECOVERY_METHODS as readonly string[]).includes(value);
}

/** What a path answers for right evidence: the only thing that lets someone set a new password. */
export interface ResetGrant {
  token: string;
  expiresAt: string;
  username: string;
  method: RecoveryMethod;
  /** Strong evidence (key file, button and label code, vendor support, the cloud account) may also remove a lost 2FA. */
  mayClearTwoFactor: boolean;
}

export type ReadinessLevel = 'none' | 'weak_only' | 'ready';

export interface RecoveryReadiness {
  level: ReadinessLevel;
  /** Paths the owner has set up; the reset button is always there and is not counted. */
  configured: RecoveryMethod[];
  strongCount: number;
  weakCount: number;
}

/** How well the owner could get back in: "ready" needs at least one strong path set up. */
export function assessReadiness(configured: Readonly<Record<RecoveryMethod, boolean>>): RecoveryReadiness {
  const set = RECOVERY_METHODS.filter((m) => m !== 'resetButton' && configured[m]);
  const weakCount = set.filter(isWeakMethod).length;
  const strongCount = set.length - weakCount;
  return { level: strongCount > 0 ? 'ready' : weakCount > 0 ? 'weak_only' : 'none', configured: set, strongCount, weakCount };
}
