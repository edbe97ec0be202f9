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
  type Subject,
} from '../../src/recorder/accounts/permissions.js';
import { ACTION_LABELS, cameraCell, describeChange, exceptions, pendingChange, permissionChanges, type NamedCamera } from './permission-view.js';

interface Props {
  role: Role;
  grants: Grants;
  onChange: (grants: Grants) => void;
  /** The recorder's cameras: one row each, below "All cameras". */
  cameras: readonly NamedCamera[];
  /** The user as saved: boxes that differ from it are marked, and the changes listed. */
  saved: Subject;
}

/** The short word under a box: why it is ticked, or that it differs from what is saved. */
const NOTES = { role: 'via All', all: 'via All', here: '', 'taken-away': 'taken away', off: '' } as const;

/**
 * What a user may do, as the recorder decides it (the same `can` function). Device and "All
 * cameras" rows: a ticked box that cannot be unticked comes with the role; the others are grants
 * on top of it. A camera's row shows what the user may do on that camera, and changes only that
 * camera: unticking what the role or "All cameras" gives takes it away there (a denial), which
 * the "All cameras" box then says ("except Porch"), and which looks apart from a right never given.
 */
export function PermissionMatrix({ role, grants, onChange, cameras, saved }: Props) {
  const subject: Subject = { role, grants };
  const withoutGrants = (action: Action, resource: Resource) => can({ role, grants: NO_GRANTS }, action, resource);

  function toggleDevice(action: GrantableDeviceAction, on: boolean) {
    const device = on ? [...grants.device, action] : grants.device.filter((a) => a !== action);
    onChange({ ...grants, device });
  }

  /**
   * A tick on "All cameras" covers every camera, so ticks of that right on single cameras are
   * dropped; without it, the cameras where it was taken away have nothing left to take away.
   */
  function toggleAllCameras(action: CameraAction, on: boolean) {
    const cameraIds = Object.keys(grants.cameras).filter((id) => id !== ALL_CAMERAS);
    const withAll = withAction(grants.cameras, ALL_CAMERAS, action, on);
    onChange({
      ...grants,
      cameras: on ? cameraIds.reduce((all, id) => withAction(all, id, action, false), withAll) : withAll,
      denied: on ? grants.denied : Object.keys(grants.denied).reduce((all, id) => withAction(all, id, action, false), grants.denied),
    });
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

  /** `toggle` null: fixed, for `fixedBecause`. `note`: a word under the box saying why it is so. */
  const box = (action: Action, resource: Resource, row: string, toggle: ((on: boolean) => void) | null, note = '', fixedBecause = 'Only admins can do this') => {
    // An admin is never restricted; elsewhere only a single camera's row can take back what the role gives.
    const fixedByRole = role === 'admin' || (withoutGrants(action, resource) && !isOneCamera(resource));
    const change = pendingChange(saved, subject, action, resource);
    const shown = change === 'added' ? 'added' : change === 'removed' && note !== 'taken away' ? 'removed' : note;
    const noteId = `note-${resource.kind === 'camera' ? resource.id : 'device'}-${action}`;
    return (
      <td key={action} data-change={change} data-state={resource.kind === 'camera' && isOneCamera(resource) ? cameraCell(subject, resource.id, action as CameraAction) : undefined}>
        <input
          type="checkbox"
          aria-label={`${row}: ${ACTION_LABELS[action]}`}
          aria-describedby={shown ? noteId : undefined}
          checked={can(subject, action, resource)}
          disabled={fixedByRole || toggle === null}
          title={fixedByRole ? `Comes with the ${role} role` : toggle === null ? fixedBecause : undefined}
          onChange={(event) => toggle?.(event.target.checked)}
        />
        {shown && (
          <span className="cell-note" id={noteId}>
            {shown}
          </span>
        )}
      </td>
    );
  };

  const allNote = (action: CameraAction) => {
    if (role === 'admin') return '';
    const except = exceptions(subject, action, cameras);
    if (except.length > 0) return except.length === 1 ? `except ${except[0]!.name}` : `except ${except.length}`;
    return withoutGrants(action, camera(ALL_CAMERAS)) ? 'role' : '';
  };
  const excepted = role === 'admin' ? [] : CAMERA_ACTIONS.map((action) => ({ action, except: exceptions(subject, action, cameras) })).filter((e) => e.except.length > 0);
  const changes = permissionChanges(saved, subject, cameras);

  return (
    <div className="matrix" data-testid="permission-matrix">
      <p className="help scroll-hint">Swipe a table sideways for all its rights.</p>
      <MatrixTable caption="Device permissions" heading="Device" rows={[{ key: 'device', label: 'This recorder' }]} actions={DEVICE_ACTIONS}>
        {(action) => box(action, DEVICE, 'Device', isGrantableDeviceAction(action) ? (on) => toggleDevice(action, on) : null)}
      </MatrixTable>
      <MatrixTable
        caption="Camera permissions"
        heading="Cameras"
        rows={[{ key: ALL_CAMERAS, label: 'All cameras' }, ...cameras.map((c) => ({ key: String(c.id), label: c.name }))]}
        actions={CAMERA_ACTIONS}
      >
        {(action, row) =>
          row.key === ALL_CAMERAS
            ? box(action, camera(ALL_CAMERAS), row.label, (on) => toggleAllCameras(action, on), allNote(action))
            : box(action, camera(row.key), row.label, (on) => toggleCamera(row.key, action, on), NOTES[cameraCell(subject, row.key, action)])
        }
      </MatrixTable>
      {excepted.length > 0 && (
        <ul className="matrix-exceptions" data-testid="matrix-exceptions">
          {excepted.map(({ action, except }) => (
            <li key={action}>
              {ACTION_LABELS[action]}: every camera except {except.map((c) => c.name).join(', ')}, where it is taken away. Cameras added later get it.
            </li>
          ))}
        </ul>
      )}
      <p className="help">
        “Role” ticks come with the role and cannot be unticked there. A tick on “All cameras” covers every camera, also those
        added later: each camera shows it as “via All”. Untick it on one camera to take it away there only (“taken away”); a
        box never ticked was never given. A camera with nothing ticked is hidden from the user. Admins can do everything;
        only admins manage users.
      </p>
      <div className="matrix-changes" aria-live="polite" data-testid="matrix-changes">
        {changes.length > 0 && (
          <>
            <h3>Not saved yet</h3>
            <ul>
              {changes.map((change) => (
                <li key={`${change.where}/${change.action}`} data-change={change.change}>
                  {describeChange(change)}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
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
                {ACTION_LABELS[action]}
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
