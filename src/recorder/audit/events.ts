import { IDENTITY_EVENT_TYPES } from '../../identity/audit/security-event.js';

/**
 * Every kind of security event the recorder records: the security core's, then the recorder's
 * own. One list, so the audit viewer's filter and the tests know them all.
 */
export const AUDIT_EVENT_TYPES = [
  ...IDENTITY_EVENT_TYPES,
  'device.activated',
  'device.activation_failed',
  'user.created',
  'user.updated',
  'user.deleted',
  'mail.test_sent',
  'notification_email.changed',
  'recovery.method_changed',
  'recovery.cloud_reset_pending',
  'recovery.cloud_reset_cancelled',
  'device.restored_defaults',
  'device.factory_reset',
  'device.button_pressed',
  'camera.added',
  'camera.activated',
  'camera.activation_failed',
  'camera.updated',
  'camera.removed',
  'camera.recording_mode_changed',
  'camera.password_revealed',
  'camera.live_viewed',
  'camera.playback_viewed',
  'camera.exported',
  'camera.snapshot_taken',
  'camera.password_rotation_started',
  'camera.password_rotated',
  'camera.password_rotation_failed',
  'camera.password_set',
  'camera.password_settled',
  'camera.password_schedule_changed',
  'recordings.deleted_by_retention',
  'recordings.frames_dropped',
  'cloud.binding_requested',
  'cloud.bound',
  'cloud.unbound',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
