// The roles and actions permissions are made of: the API's words for them, which the web UI shows
// and the routes' schemas enumerate. What each one allows is decided in accounts/permissions.ts.

export type Role = 'admin' | 'operator' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'operator', 'viewer'];

export const CAMERA_ACTIONS = ['live', 'playback', 'export', 'ptz', 'configure'] as const;
export type CameraAction = (typeof CAMERA_ACTIONS)[number];

/** Device-wide actions. `manage_users` is the admin role itself: it can never be granted. */
export const DEVICE_ACTIONS = ['manage_users', 'settings', 'maintenance'] as const;
export type DeviceAction = (typeof DEVICE_ACTIONS)[number];

export const GRANTABLE_DEVICE_ACTIONS = ['settings', 'maintenance'] as const satisfies readonly DeviceAction[];
export type GrantableDeviceAction = (typeof GRANTABLE_DEVICE_ACTIONS)[number];
