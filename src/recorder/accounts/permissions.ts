// Who may do what: one pure function of (user, action, resource), no I/O. The UI imports it too,
// to show the effective permission matrix exactly as the recorder will enforce it.

import {
  CAMERA_ACTIONS,
  DEVICE_ACTIONS,
  type CameraAction,
  type DeviceAction,
  type GrantableDeviceAction,
  type Role,
} from '../api/permission-names.js';

// The names are the API's vocabulary; they are re-exported for the code that decides with them.
export {
  CAMERA_ACTIONS,
  DEVICE_ACTIONS,
  GRANTABLE_DEVICE_ACTIONS,
  ROLES,
  type CameraAction,
  type DeviceAction,
  type GrantableDeviceAction,
  type Role,
} from '../api/permission-names.js';

/** Stands for every camera, including those added later. */
export const ALL_CAMERAS = '*';

/**
 * Per-user changes to the role's defaults. On the device and on every camera (`*`) they only add:
 * a smaller role is how rights everywhere are taken away. On one camera they may also take away,
 * because "this viewer sees camera 1 only" is what per-camera permissions are for. A user's rights
 * on camera X are therefore (role defaults ∪ grants on `*` ∪ grants on X) − denials on X. Admins
 * are never restricted: their grants and denials are kept but only count if the role shrinks.
 */
export interface Grants {
  device: GrantableDeviceAction[];
  /** Camera id (or `*` for all cameras) → the actions granted on it. */
  cameras: Record<string, CameraAction[]>;
  /**
   * Camera id → the actions taken away on that camera, whatever gives them. Never `*`: a denial on
   * every camera is a smaller role. An action both granted and denied on one camera is denied.
   */
  denied: Record<string, CameraAction[]>;
}

export const NO_GRANTS: Grants = { device: [], cameras: {}, denied: {} };

export type Resource = { kind: 'device' } | { kind: 'camera'; id: string };
export const DEVICE: Resource = { kind: 'device' };
export const camera = (id: string): Resource => ({ kind: 'camera', id });

export type Action = CameraAction | DeviceAction;

/**
 * What each role may do without any grant. Operators run the cameras day to day (watch, review,
 * export, steer) but neither reconfigure them nor the device; viewers watch and review. Device
 * settings and maintenance (reboot, upgrade, factory reset) stay with admins unless granted.
 */
export const ROLE_DEFAULTS: Record<Exclude<Role, 'admin'>, { device: readonly DeviceAction[]; allCameras: readonly CameraAction[] }> = {
  operator: { device: [], allCameras: ['live', 'playback', 'export', 'ptz'] },
  viewer: { device: [], allCameras: ['live', 'playback'] },
};

export interface Subject {
  role: Role;
  grants: Grants;
}

const isCameraAction = (action: Action): action is CameraAction => (CAMERA_ACTIONS as readonly string[]).includes(action);

/** Own keys only: a camera id such as `__proto__` must not find an inherited property. */
const actionsOn = (perCamera: Record<string, CameraAction[]>, cameraId: string): readonly CameraAction[] =>
  Object.hasOwn(perCamera, cameraId) ? perCamera[cameraId]! : [];

/**
 * May `user` do `action` on `resource`? Admins may do everything; anything not given is denied,
 * and so is anything given but denied on that very camera.
 */
export function can(user: Subject, action: Action, resource: Resource): boolean {
  if (user.role === 'admin') return true;
  if (action === 'manage_users') return false;
  const defaults = ROLE_DEFAULTS[user.role];
  if (!defaults) return false; // a role this code does not know gets nothing
  if (resource.kind === 'device') {
    if (isCameraAction(action)) return false; // a camera action needs a camera
    return defaults.device.includes(action) || user.grants.device.includes(action);
  }
  if (!isCameraAction(action)) return false; // a device action is not done to a camera
  const given =
    defaults.allCameras.includes(action) ||
    actionsOn(user.grants.cameras, ALL_CAMERAS).includes(action) ||
    actionsOn(user.grants.cameras, resource.id).includes(action);
  // `*` stands for every camera, not for one: a denial keyed `*` (which the API refuses) takes nothing away.
  return given && (resource.id === ALL_CAMERAS || !actionsOn(user.grants.denied, resource.id).includes(action));
}

/**
 * What a user may do on the device and on cameras in general (role and `*` grants): for the UI to
 * show only what will work. Per-camera grants and denials are in each camera's cameraPermissions.
 */
export function effectivePermissions(user: Subject): { device: DeviceAction[]; allCameras: CameraAction[] } {
  return {
    device: DEVICE_ACTIONS.filter((action) => can(user, action, DEVICE)),
    allCameras: CAMERA_ACTIONS.filter((action) => can(user, action, camera(ALL_CAMERAS))),
  };
}

/** A camera is in a user's list when they may do anything at all with it; otherwise it does not exist for them. */
export function canSeeCamera(user: Subject, cameraId: string): boolean {
  return CAMERA_ACTIONS.some((action) => can(user, action, camera(cameraId)));
}

/** What a user may do with one camera: for the UI to offer only what will work. */
export function cameraPermissions(user: Subject, cameraId: string): CameraAction[] {
  return CAMERA_ACTIONS.filter((action) => can(user, action, camera(cameraId)));
}
