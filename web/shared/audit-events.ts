// Audit events in plain words, for the recorder's audit page and the cloud's account activity: both
// log the security core's events under the same names, and each adds its own.

/** What happened, as a person would say it; an event not listed is shown by its name in words. */
export const EVENT_WORDS: Readonly<Record<string, string>> = {
  // The security core's, on the recorder and in the cloud alike.
  'auth.login': 'Logged in',
  'auth.login_failed': 'Login refused',
  'auth.logout': 'Logged out',
  'auth.lockout': 'Locked out after wrong passwords',
  'auth.unlock': 'Lockout lifted',
  'session.revoked': 'Session ended',
  'password.changed': 'Password changed',
  'password.reset': 'Password reset by an admin',
  'twofactor.enabled': 'Two-step login turned on',
  'twofactor.disabled': 'Two-step login turned off',
  'twofactor.replay_rejected': 'A used two-step code was tried again',
  'twofactor.recovery_code_used': 'Recovery code used to log in',
  'recovery.requested': 'Password recovery started',
  'recovery.evidence_accepted': 'Recovery proof accepted',
  'recovery.evidence_failed': 'Recovery proof refused',
  'recovery.blocked': 'Recovery blocked after too many tries',
  'recovery.password_reset': 'Password reset by recovery',
  'settings.changed': 'Settings changed',
  // The recorder's own.
  'device.activated': 'Recorder activated',
  'device.activation_failed': 'Activation refused',
  'user.created': 'User added',
  'user.updated': 'User changed',
  'user.deleted': 'User removed',
  'mail.test_sent': 'Test email sent',
  'notification_email.changed': 'Notification email changed',
  'recovery.method_changed': 'Recovery path set up or changed',
  'recovery.cloud_reset_pending': 'Cloud reset waiting',
  'recovery.cloud_reset_cancelled': 'Cloud reset cancelled',
  'device.restored_defaults': 'Settings restored to defaults',
  'device.factory_reset': 'Factory reset',
  'device.button_pressed': 'Reset button pressed',
  'camera.added': 'Camera added',
  'camera.activated': 'Camera activated',
  'camera.activation_failed': 'Camera activation refused',
  'camera.updated': 'Camera changed',
  'camera.removed': 'Camera removed',
  'camera.live_viewed': 'Live video watched',
  'camera.playback_viewed': 'Recording played back',
  'camera.exported': 'Recording exported',
  'camera.snapshot_taken': 'Snapshot taken',
  'camera.password_rotation_started': "Cameras' passwords being changed",
  'camera.password_rotated': "Camera's password changed by the recorder",
  'camera.password_rotation_failed': "Camera's password could not be changed",
  'camera.password_set': "Camera's password set",
  'camera.password_settled': "Camera's unfinished password change settled",
  'camera.password_schedule_changed': "Schedule of camera password changes changed",
  'camera.password_revealed': "Camera's password shown to an admin",
  'camera.recording_mode_changed': 'What the camera records changed',
  'recordings.deleted_by_retention': 'Old recordings deleted to make room',
  'recordings.frames_dropped': 'Video dropped: the disk was too slow',
  'cloud.binding_requested': 'Cloud binding requested',
  'cloud.bound': 'Bound to a cloud account',
  'cloud.unbound': 'Unbound from the cloud account',
  // The cloud's own.
  'account.signup_requested': 'Sign-up started',
  'account.verified': 'Address verified',
  'account.verification_failed': 'Wrong verification code',
  'device.bound': 'Recorder added to the account',
  'device.bind_failed': 'Recorder could not be added',
  'device.unbound': 'Recorder removed from the account',
  'device.connect_refused': 'Recorder connection refused',
  'device.reset_requested': 'Recorder admin reset sent',
  'device.reset_refused': 'Recorder admin reset refused',
  'device.offline_reset_code_issued': 'Offline reset code given',
  'device.offline_reset_refused': 'Offline reset refused',
};

/** "a_b" and "aB" → "a b": names and codes in words. */
const words = (name: string) => name.replace(/[._]/g, ' ').replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`);
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "auth.login_failed" → "Login refused"; an unlisted "device.bound_again" → "Device bound again". */
export const describeEvent = (type: string): string => EVENT_WORDS[type] ?? capitalised(words(type));

const OUTCOMES: Record<string, string> = { success: 'Succeeded', failure: 'Failed', info: 'Noted' };

/** The audit outcomes as a person reads them. */
export const describeOutcome = (outcome: string): string => OUTCOMES[outcome] ?? outcome;

/** "camera:1" → "Camera 1"; a long id (a session's) shortened: "session:69333c68f8…" → "Session 69333c68…". */
export function describeTarget(target: string): string {
  const colon = target.indexOf(':');
  if (colon < 0) return target;
  const id = target.slice(colon + 1);
  return `${capitalised(words(target.slice(0, colon)))} ${id.length > 12 ? `${id.slice(0, 8)}…` : id}`;
}

/** An entry's details as "Revoked sessions: 2, method: cloud": names and codes in words, yes/no for flags. */
export function describeDetails(details: object): string {
  return Object.entries(details)
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value], i) => {
      const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : typeof value === 'string' && /^[a-z]+(?:_[a-z]+)+$/.test(value) ? words(value) : String(value);
      const name = words(key).toLowerCase();
      return `${i === 0 ? capitalised(name) : name}: ${text}`;
    })
    .join(', ');
}
