import { appendToChain, type AuditSink } from '../../identity/audit/audit-sink.js';
import type { ChainedEntry } from '../../identity/audit/chain.js';
import { auditFields, IDENTITY_EVENT_TYPES, type SecurityEvent, type SecurityEventLog } from '../../identity/audit/security-event.js';
import type { Clock } from '../../shared/clock.js';

/** The camera's security events: the core's, and those of a camera's own life. */
export const CAMERA_EVENT_TYPES = [
  ...IDENTITY_EVENT_TYPES,
  'camera.activated',
  'camera.activation_failed',
  'camera.button_pressed',
  'camera.factory_reset',
  'camera.rebooted',
  'auth.token_refused',
  'user.created',
  'user.changed',
  'user.deleted',
] as const;

export type CameraEventType = (typeof CAMERA_EVENT_TYPES)[number];

/** Appends security events to the camera's chained audit log. Details never hold a secret. */
export class CameraAudit implements SecurityEventLog {
  constructor(
    private readonly sink: AuditSink,
    private readonly key: Buffer,
    private readonly clock: Clock,
  ) {}

  append(event: SecurityEvent<CameraEventType>): Promise<ChainedEntry> {
    return appendToChain(this.sink, this.key, auditFields(event, this.clock.now()));
  }
}
