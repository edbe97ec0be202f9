// Who may do what: one pure function of (user, action, resource), no I/O. The UI imports it too,
// to show the effective permission matrix exactly as the recorder will enforce it.

export type Role = 'admin' | 'operator' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'operator', 'viewer'];

export const CAMERA_ACTIONS = ['live', 'playback', 'export', 'ptz', 'configure'] as const;
export type CameraAction = (typeof CAMERA_ACTIONS)[number];

/** Device-wide actions. `manage_users` is the admin role itself: it can never be granted. */
export const DEVICE_ACTIONS = ['manage_users', 'settings', 'maintenance'] as const;
export type DeviceAction = (typeof DEVICE_ACTIONS)[number];

export const GRANTABLE_DEVICE_ACTIONS = ['settings', 'maintenance'] as const satisfies readonly DeviceAction[];
export type GrantableDeviceAction = (typeof GRANTABLE_DEVICE_ACTIONS)[number];

/** Stands for every camera, including those added later. */
export const ALL_CAMERAS = '*';

/**
 * Per-user grants, on top of the role's defaults. Grants only ever add: a role's default cannot be
 * taken away from one user (give them a smaller role instead), so a user's rights are always
 * "what the role gives, plus what is listed here".
 */
export interface Grants {
  device: GrantableDeviceAction[];
  /** Camera id (or `*` for all cameras) → the actions granted on it. */
  cameras: Record<string, CameraAction[]>;
}

export const NO_GRANTS: Grants = { device: [], cameras: {} };

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

/** May `user` do `action` on `resource`? Admins may do everything; anything not given is denied. */
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
  return (
    defaults.allCameras.includes(action) ||
    (user.grants.cameras[ALL_CAMERAS] ?? []).includes(action) ||
    (Object.hasOwn(user.grants.cameras, resource.id) && user.grants.cameras[resource.id]!.includes(action))
  );
}

/** What a user may do on the device and on every camera: for the UI to show only what will work. */
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
