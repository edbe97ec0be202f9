import type { ReactNode } from 'react';
import {
  ALL_CAMERAS,
  camera,
  CAMERA_ACTIONS,
  can,
  DEVICE,
  DEVICE_ACTIONS,
  GRANTABLE_DEVICE_ACTIONS,
  NO_GRANTS,
  type Action,
  type CameraAction,
  type GrantableDeviceAction,
  type Grants,
  type Resource,
  type Role,
} from '../../src/recorder/accounts/permissions.js';

const LABELS: Record<Action, string> = {
  manage_users: 'Manage users',
  settings: 'Settings',
  maintenance: 'Maintenance (reboot, upgrade, factory reset)',
  live: 'Live view',
  playback: 'Playback',
  export: 'Export',
  ptz: 'PTZ control',
  configure: 'Configure',
};

interface Props {
  role: Role;
  grants: Grants;
  onChange: (grants: Grants) => void;
  /** The recorder's cameras: one row each, below "All cameras". */
  cameras: readonly { id: number; name: string }[];
}

/**
 * What a user may do, as the recorder decides it (the same `can` function). Device and "All
 * cameras" rows: a ticked box that cannot be unticked comes with the role; the others are grants
 * on top of it. A camera's row shows what the user may do on that camera, and changes only that
 * camera: unticking what the role or "All cameras" gives records a denial there.
 */
export function PermissionMatrix({ role, grants, onChange, cameras }: Props) {
  const withoutGrants = (action: Action, resource: Resource) => can({ role, grants: NO_GRANTS }, action, resource);
  const allowed = (action: Action, resource: Resource) => can({ role, grants }, action, resource);

  function toggleDevice(action: GrantableDeviceAction, on: boolean) {
    const device = on ? [...grants.device, action] : grants.device.filter((a) => a !== action);
    onChange({ ...grants, device });
  }

  function toggleAllCameras(action: CameraAction, on: boolean) {
    onChange({ ...grants, cameras: withAction(grants.cameras, ALL_CAMERAS, action, on) });
  }

  /**
   * The one change on this camera that gives the box the state asked for: what the role or "All
   * cameras" gives is taken away by a denial; anything else is a grant on the camera.
   */
  function toggleCamera(cameraId: string, action: CameraAction, on: boolean) {
    const givenByRoleOrAll = can({ role, grants: { ...NO_GRANTS, cameras: { [ALL_CAMERAS]: grants.cameras[ALL_CAMERAS] ?? [] } } }, action, camera(cameraId));
    onChange({
      ...grants,
      cameras: withAction(grants.cameras, cameraId, action, on && !givenByRoleOrAll),
      denied: withAction(grants.denied, cameraId, action, !on && givenByRoleOrAll),
    });
  }

  /** `toggle` null: fixed, for `fixedBecause`. */
  const box = (action: Action, resource: Resource, row: string, toggle: ((on: boolean) => void) | null, fixedBecause = 'Only admins can do this') => {
    // An admin is never restricted; elsewhere only a single camera's row can take back what the role gives.
    const fixedByRole = role === 'admin' || (withoutGrants(action, resource) && !isOneCamera(resource));
    return (
      <td key={action}>
        <input
          type="checkbox"
          aria-label={`${row}: ${LABELS[action]}`}
          checked={allowed(action, resource)}
          disabled={fixedByRole || toggle === null}
          title={fixedByRole ? `Comes with the ${role} role` : toggle === null ? fixedBecause : undefined}
          onChange={(event) => toggle?.(event.target.checked)}
        />
      </td>
    );
  };

  return (
    <div className="matrix" data-testid="permission-matrix">
      <MatrixTable caption="Device permissions" heading="Device" rows={[{ key: 'device', label: 'This recorder' }]} actions={DEVICE_ACTIONS}>
        {(action) =>
          box(
            action,
            DEVICE,
            'Device',
            isGrantableDeviceAction(action) ? (on) => toggleDevice(action, on) : null,
          )
        }
      </MatrixTable>
      <MatrixTable
        caption="Camera permissions"
        heading="Cameras"
        rows={[{ key: ALL_CAMERAS, label: 'All cameras' }, ...cameras.map((c) => ({ key: String(c.id), label: c.name }))]}
        actions={CAMERA_ACTIONS}
      >
        {(action, row) =>
          box(action, camera(row.key), row.label, (on) => (row.key === ALL_CAMERAS ? toggleAllCameras(action, on) : toggleCamera(row.key, action, on)))
        }
      </MatrixTable>
      <p className="help">
        Greyed ticks come with the role. “All cameras” includes cameras added later; a tick there is also shown on each camera.
        A camera’s row is what the user may do on that camera: untick a right there to take it away on that camera only,
        even when the role or “All cameras” gives it. A camera with nothing ticked is hidden from the user. Admins can
        do everything; only admins manage users.
      </p>
    </div>
  );
}

const isOneCamera = (resource: Resource) => resource.kind === 'camera' && resource.id !== ALL_CAMERAS;

/** `perCamera` with `action` on `cameraId` present or not; a camera left with no action is dropped. */
function withAction(perCamera: Record<string, CameraAction[]>, cameraId: string, action: CameraAction, present: boolean): Record<string, CameraAction[]> {
  const others = (Object.hasOwn(perCamera, cameraId) ? perCamera[cameraId]! : []).filter((a) => a !== action);
  const actions = present ? [...others, action] : others;
  const rest = Object.fromEntries(Object.entries(perCamera).filter(([id]) => id !== cameraId));
  return actions.length > 0 ? { ...rest, [cameraId]: actions } : rest;
}

const isGrantableDeviceAction = (action: Action): action is GrantableDeviceAction =>
  (GRANTABLE_DEVICE_ACTIONS as readonly Action[]).includes(action);

interface MatrixRow {
  key: string;
  label: string;
}

/** A table of the matrix: a heading per action, and per row a cell per action. */
function MatrixTable<A extends Action>(props: {
  caption: string;
  heading: string;
  rows: readonly MatrixRow[];
  actions: readonly A[];
  children: (action: A, row: MatrixRow) => ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className="sessions">
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.heading}</th>
            {props.actions.map((action) => (
              <th scope="col" key={action}>
                {LABELS[action]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              {props.actions.map((action) => props.children(action, row))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
