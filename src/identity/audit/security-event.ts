import type { AuditOutcome, UnlinkedFields } from './chain.js';

/**
 * The security events the core's services record. Each part's own list of audit event types
 * starts with these, so a login failure reads the same in the recorder's log as in the cloud's.
 */
export const IDENTITY_EVENT_TYPES = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.lockout',
  'auth.unlock',
  'session.revoked',
  'password.changed',
  'password.reset',
  'twofactor.enabled',
  'twofactor.disabled',
  'twofactor.replay_rejected',
  'twofactor.recovery_code_used',
  'recovery.requested',
  'recovery.evidence_accepted',
  'recovery.evidence_failed',
  'recovery.blocked',
  'recovery.password_reset',
  'settings.changed',
] as const;

export type IdentityEventType = (typeof IDENTITY_EVENT_TYPES)[number];

/** One security event, before the audit chain links it. */
export interface SecurityEvent<Type extends string = IdentityEventType> {
  type: Type;
  outcome: AuditOutcome;
  /** Who did it: the logged-in account, or the name someone tried. */
  actor?: { id: number | null; username: string } | null;
  sourceIp?: string | null;
  /** What it was done to, e.g. `user:3` or `session:ab12...`. */
  target?: string | null;
  /** Never a secret: passwords, codes and tokens stay out of the log. */
  details?: Record<string, string | number | boolean | null>;
}

/** Where a core service records its events: a part's audit log. */
export interface SecurityEventLog {
  append(event: SecurityEvent): unknown;
}

/** An event's fields as the audit chain links them, recorded at `at`: details as JSON text. */
export function auditFields<Type extends string>(event: SecurityEvent<Type>, at: number): UnlinkedFields {
  return {
    at,
    type: event.type,
    outcome: event.outcome,
    actorUserId: event.actor?.id ?? null,
    actorUsername: event.actor?.username ?? null,
    sourceIp: event.sourceIp ?? null,
    target: event.target ?? null,
    details: JSON.stringify(event.details ?? {}),
  };
}
