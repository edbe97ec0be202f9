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
 * What a user may do, as the recorder decides it (the same `can` function): a ticked box that
 * cannot be unticked comes with the role; the others are grants on top of it.
 */
export function PermissionMatrix({ role, grants, onChange, cameras }: Props) {
  const withoutGrants = (action: Action, resource: Resource) => can({ role, grants: NO_GRANTS }, action, resource);
  const granted = (action: Action, resource: Resource) => can({ role, grants }, action, resource);

  function toggleDevice(action: GrantableDeviceAction, on: boolean) {
    const device = on ? [...grants.device, action] : grants.device.filter((a) => a !== action);
    onChange({ ...grants, device });
  }

  /** A camera's row cannot take back what the "All cameras" row grants: it shows it, fixed. */
  const grantedOnAllCameras = (action: (typeof CAMERA_ACTIONS)[number]) => (grants.cameras[ALL_CAMERAS] ?? []).includes(action);

  /** `cameraId` is a camera's id, or ALL_CAMERAS for every camera. */
  function toggleCamera(cameraId: string, action: (typeof CAMERA_ACTIONS)[number], on: boolean) {
    const current = grants.cameras[cameraId] ?? [];
    const next = on ? [...current, action] : current.filter((a) => a !== action);
    onChange({ ...grants, cameras: { ...grants.cameras, [cameraId]: next } });
  }

  /** `toggle` null: fixed, for `fixedBecause`. */
  const box = (action: Action, resource: Resource, row: string, toggle: ((on: boolean) => void) | null, fixedBecause = 'Only admins can do this') => {
    const fromRole = withoutGrants(action, resource);
    return (
      <td key={action}>
        <input
          type="checkbox"
          aria-label={`${row}: ${LABELS[action]}`}
          checked={granted(action, resource)}
          disabled={fromRole || toggle === null}
          title={fromRole ? `Comes with the ${role} role` : toggle === null ? fixedBecause : undefined}
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
          row.key !== ALL_CAMERAS && grantedOnAllCameras(action)
            ? box(action, camera(row.key), row.label, null, 'Granted on all cameras')
            : box(action, camera(row.key), row.label, (on) => toggleCamera(row.key, action, on))
        }
      </MatrixTable>
      <p className="help">
        Greyed ticks come with the role. “All cameras” includes cameras added later; a tick there is also shown on each camera.
        Only admins manage users.
      </p>
    </div>
  );
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
