/**
 * Every kind of security event the recorder records. One list, so the audit viewer's filter and
 * the tests know them all.
 */
export const AUDIT_EVENT_TYPES = [
  'device.activated',
  'device.activation_failed',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.lockout',
  'auth.unlock',
  'session.revoked',
  'password.changed',
  'password.reset',
  'user.created',
  'user.updated',
  'user.deleted',
  'twofactor.enabled',
  'twofactor.disabled',
  'twofactor.replay_rejected',
  'twofactor.recovery_code_used',
  'settings.changed',
  'mail.test_sent',
  'notification_email.changed',
  'recovery.requested',
  'recovery.evidence_accepted',
  'recovery.evidence_failed',
  'recovery.blocked',
  'recovery.password_reset',
  'recovery.method_changed',
  'device.restored_defaults',
  'device.factory_reset',
  'device.button_pressed',
  'camera.added',
  'camera.updated',
  'camera.removed',
  'camera.live_viewed',
  'camera.playback_viewed',
  'camera.exported',
  'camera.snapshot_taken',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
