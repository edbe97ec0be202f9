// How the permission matrix and the users list put a user's rights into words and marks. Pure:
// every answer comes from the recorder's own `can`, so what is shown is what will be enforced.
import {
  ALL_CAMERAS,
  camera,
  CAMERA_ACTIONS,
  can,
  canSeeCamera,
  DEVICE,
  GRANTABLE_DEVICE_ACTIONS,
  ROLE_DEFAULTS,
  type Action,
  type CameraAction,
  type Grants,
  type Resource,
  type Subject,
} from '../../src/recorder/accounts/permissions.js';

export const ACTION_LABELS: Record<Action, string> = {
  manage_users: 'Manage users',
  settings: 'Settings',
  maintenance: 'Maintenance (reboot, upgrade, factory reset)',
  live: 'Live view',
  playback: 'Playback',
  export: 'Export',
  ptz: 'PTZ control',
  configure: 'Configure',
};

/** The same rights, as words inside a sentence. */
const ACTION_WORDS: Record<Action, string> = {
  manage_users: 'user management',
  settings: 'device settings',
  maintenance: 'maintenance',
  live: 'live view',
  playback: 'playback',
  export: 'export',
  ptz: 'PTZ',
  configure: 'configure',
};

export interface NamedCamera {
  id: number;
  name: string;
}

/**
 * Why one camera's box is as it is. On: `role` (the role gives it on every camera), `all` (a tick
 * on "All cameras"), `here` (given on this camera only). Off: `taken-away` (the role or "All
 * cameras" gives it, and it is taken away on this camera), `off` (never given).
 */
export type CameraCell = 'role' | 'all' | 'here' | 'taken-away' | 'off';

const grantedOn = (grants: Grants, cameraId: string, action: CameraAction) =>
  Object.hasOwn(grants.cameras, cameraId) && grants.cameras[cameraId]!.includes(action);

export function cameraCell(subject: Subject, cameraId: string, action: CameraAction): CameraCell {
  if (subject.role === 'admin') return 'role';
  const byRole = ROLE_DEFAULTS[subject.role].allCameras.includes(action);
  const byAll = grantedOn(subject.grants, ALL_CAMERAS, action);
  if (!can(subject, action, camera(cameraId))) return byRole || byAll ? 'taken-away' : 'off';
  return byRole ? 'role' : byAll ? 'all' : 'here';
}

/** The cameras on which a right that "All cameras" gives (by the role or a tick there) is taken away. */
export function exceptions(subject: Subject, action: CameraAction, cameras: readonly NamedCamera[]): NamedCamera[] {
  return cameras.filter((c) => cameraCell(subject, String(c.id), action) === 'taken-away');
}

/** A box whose right differs from what is saved: `added` or `removed`, otherwise undefined. */
export function pendingChange(saved: Subject, edited: Subject, action: Action, resource: Resource): 'added' | 'removed' | undefined {
  const before = can(saved, action, resource);
  const after = can(edited, action, resource);
  return before === after ? undefined : after ? 'added' : 'removed';
}

export interface PermissionChange {
  /** "This recorder", "All cameras" or a camera's name. */
  where: string;
  action: Action;
  change: 'added' | 'removed';
}

/** Every right the edit gives or takes away, device first, then "All cameras", then each camera. */
export function permissionChanges(saved: Subject, edited: Subject, cameras: readonly NamedCamera[]): PermissionChange[] {
  const places: { where: string; resource: Resource; actions: readonly Action[] }[] = [
    { where: 'This recorder', resource: DEVICE, actions: GRANTABLE_DEVICE_ACTIONS },
    { where: 'All cameras', resource: camera(ALL_CAMERAS), actions: CAMERA_ACTIONS },
    ...cameras.map((c) => ({ where: c.name, resource: camera(String(c.id)), actions: CAMERA_ACTIONS })),
  ];
  return places.flatMap(({ where, resource, actions }) =>
    actions.flatMap((action) => {
      const change = pendingChange(saved, edited, action, resource);
      return change ? [{ where, action, change }] : [];
    }),
  );
}

/** A change in words: "Back porch: live view taken away". */
export function describeChange({ where, action, change }: PermissionChange): string {
  return `${where}: ${ACTION_WORDS[action]} ${change === 'added' ? 'given' : 'taken away'}`;
}

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * A user's access in a few words, for the users list: which cameras they see ("2 of 5 cameras"),
 * what of their role is taken away ("no playback") and what is given beyond it ("also export", "export on 1").
 */
export function describeAccess(subject: Subject, cameras: readonly NamedCamera[]): string {
  if (subject.role === 'admin') return 'Everything';
  const device = GRANTABLE_DEVICE_ACTIONS.filter((action) => can(subject, action, DEVICE)).map((action) => ACTION_WORDS[action]);
  const visible = cameras.filter((c) => canSeeCamera(subject, String(c.id)));
  if (cameras.length > 0 && visible.length === 0) return ['No cameras', ...device].join(', ');
  const roleGives = ROLE_DEFAULTS[subject.role].allCameras;
  const cameraWords = CAMERA_ACTIONS.flatMap((action) => {
    const on = cameras.length === 0 ? (can(subject, action, camera(ALL_CAMERAS)) ? 1 : 0) : visible.filter((c) => can(subject, action, camera(String(c.id)))).length;
    const everywhere = cameras.length === 0 ? 1 : visible.length;
    if (roleGives.includes(action)) return on === everywhere ? [] : on === 0 ? [`no ${ACTION_WORDS[action]}`] : [`${ACTION_WORDS[action]} on ${on}`];
    return on === 0 ? [] : on === everywhere ? [`also ${ACTION_WORDS[action]}`] : [`${ACTION_WORDS[action]} on ${on}`];
  });
  const seen = cameras.length === 0 || visible.length === cameras.length ? 'All cameras' : `${visible.length} of ${count(cameras.length, 'camera')}`;
  return [seen, ...cameraWords, ...device].join(', ');
}

/** The user as saved: for comparing an edit with. */
export const subjectOf = (user: { role: Subject['role']; permissions: Grants }): Subject => ({ role: user.role, grants: user.permissions });
