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
}

/**
 * What a user may do, as the recorder decides it (the same `can` function): a ticked box that
 * cannot be unticked comes with the role; the others are grants on top of it.
 */
export function PermissionMatrix({ role, grants, onChange }: Props) {
  const withoutGrants = (action: Action, resource: Resource) => can({ role, grants: NO_GRANTS }, action, resource);
  const granted = (action: Action, resource: Resource) => can({ role, grants }, action, resource);

  function toggleDevice(action: GrantableDeviceAction, on: boolean) {
    const device = on ? [...grants.device, action] : grants.device.filter((a) => a !== action);
    onChange({ ...grants, device });
  }

  function toggleAllCameras(action: (typeof CAMERA_ACTIONS)[number], on: boolean) {
    const current = grants.cameras[ALL_CAMERAS] ?? [];
    const next = on ? [...current, action] : current.filter((a) => a !== action);
    onChange({ ...grants, cameras: { ...grants.cameras, [ALL_CAMERAS]: next } });
  }

  const box = (action: Action, resource: Resource, row: string, toggle: ((on: boolean) => void) | null) => {
    const fromRole = withoutGrants(action, resource);
    return (
      <td key={action}>
        <input
          type="checkbox"
          aria-label={`${row}: ${LABELS[action]}`}
          checked={granted(action, resource)}
          disabled={fromRole || toggle === null}
          title={fromRole ? `Comes with the ${role} role` : toggle === null ? 'Only admins can do this' : undefined}
          onChange={(event) => toggle?.(event.target.checked)}
        />
      </td>
    );
  };

  return (
    <div className="matrix" data-testid="permission-matrix">
      <MatrixTable caption="Device permissions" heading="Device" row="This recorder" actions={DEVICE_ACTIONS}>
        {(action) =>
          box(
            action,
            DEVICE,
            'Device',
            isGrantableDeviceAction(action) ? (on) => toggleDevice(action, on) : null,
          )
        }
      </MatrixTable>
      <MatrixTable caption="Camera permissions" heading="Cameras" row="All cameras" actions={CAMERA_ACTIONS}>
        {(action) => box(action, camera(ALL_CAMERAS), 'All cameras', (on) => toggleAllCameras(action, on))}
      </MatrixTable>
      <p className="help">
        Greyed ticks come with the role. “All cameras” includes cameras added later. Only admins manage users.
      </p>
    </div>
  );
}

const isGrantableDeviceAction = (action: Action): action is GrantableDeviceAction =>
  (GRANTABLE_DEVICE_ACTIONS as readonly Action[]).includes(action);

/** One row of the matrix: a heading per action, a cell per action. */
function MatrixTable<A extends Action>(props: {
  caption: string;
  heading: string;
  row: string;
  actions: readonly A[];
  children: (action: A) => ReactNode;
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
          <tr>
            <th scope="row">{props.row}</th>
            {props.actions.map((action) => props.children(action))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
