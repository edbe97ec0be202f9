import { appendToChain, type AuditSink } from '../identity/audit/audit-sink.js';
import { auditFields, type IdentityEventType, type SecurityEvent } from '../identity/audit/security-event.js';
import type { Clock } from '../shared/clock.js';

/** The core's security events, and the cloud's own beside them. */
export type CloudEventType =
  | IdentityEventType
  | 'account.signup_requested'
  | 'account.verified'
  | 'account.verification_failed'
  | 'device.bound'
  | 'device.bind_failed'
  | 'device.unbound'
  | 'device.connect_refused'
  | 'device.reset_requested'
  | 'device.reset_refused'
  | 'account.recovery_opened'
  | 'account.recovery_cancelled'
  | 'account.recovery_completed'
  | 'device.offline_reset_code_issued'
  | 'device.offline_reset_refused';

/** Records security events in the cloud's audit chain, hashed under its audit key. */
export function cloudAuditLog(sink: AuditSink, key: Buffer, clock: Clock) {
  return {
    append: (event: SecurityEvent<CloudEventType>) => appendToChain(sink, key, auditFields(event, clock.now())),
  };
}

export type CloudAuditLog = ReturnType<typeof cloudAuditLog>;
