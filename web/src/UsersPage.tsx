import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ROLES, type Grants, type Role } from '../../src/recorder/accounts/permissions.js';
import { api, type Camera, type IssuedPassword, type ManagedUser, type Me } from './api.js';
import { ErrorAlert, Notice } from '../shared/ErrorAlert.js';
import { describeError, type ShownError } from './errors.js';
import { formatTime } from '../shared/format-time.js';
import { Page } from '../shared/Page.js';
import { PermissionMatrix } from './PermissionMatrix.js';
import { describeAccess, permissionChanges, subjectOf } from './permission-view.js';
import { useFormAction } from './useFormAction.js';

/** What is open below the list: one thing at a time. */
type Panel =
  | { kind: 'none' }
  | { kind: 'issued'; username: string; issued: IssuedPassword }
  | { kind: 'edit'; user: ManagedUser }
  | { kind: 'reset'; user: ManagedUser }
  | { kind: 'delete'; user: ManagedUser };

export function UsersPage({ me }: { me: Me }) {
  const [users, setUsers] = useState<ManagedUser[] | null>(null);
  /** For the permission matrix's per-camera rows. */
  const [cameras, setCameras] = useState<Camera[]>([]);
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });
  const [error, setError] = useState<ShownError | null>(null);
  /** What the last save did, in words: it stays until the next action. */
  const [saved, setSaved] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [userList, cameraList] = await Promise.all([api.listUsers(), api.listCameras()]);
      setUsers(userList);
      setCameras(cameraList);
    } catch (err) {
      setError(describeError(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  /** Runs an action, shows its error if any, and reloads the list either way. */
  async function act<T>(action: () => Promise<T>): Promise<T | undefined> {
    setError(null);
    setSaved(null);
    try {
      return await action();
    } catch (err) {
      setError(describeError(err));
      return undefined;
    } finally {
      await load();
    }
  }

  async function resetPassword(user: ManagedUser) {
    const issued = await act(() => api.resetUserPassword(user.id));
    setPanel(issued ? { kind: 'issued', username: user.username, issued } : { kind: 'none' });
  }

  return (
    <Page title="Users">
      <ErrorAlert error={error} />
      {panel.kind === 'issued' && (
        <OneTimePassword username={panel.username} issued={panel.issued} onDone={() => setPanel({ kind: 'none' })} />
      )}
      <CreateUserForm
        onCreated={(username, issued) => {
          setPanel({ kind: 'issued', username, issued });
          void load();
        }}
      />
      {users === null ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <div className="table-wrap">
          <table className="sessions stacked">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Role</th>
                <th scope="col">Access</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} data-testid="user-row" data-username={user.username}>
                  <td>
                    {user.id === me.user.id && <span className="badge">You</span>}
                    <span className="username">{user.username}</span>
                    {user.passwordChangeRequired && <span className="help">Has a one-time password, not yet changed</span>}
                  </td>
                  <td data-label="Role">{user.role}</td>
                  <td data-label="Access" data-testid="user-access">
                    {describeAccess(subjectOf(user), cameras)}
                  </td>
                  <td data-label="Created">
                    <time dateTime={user.createdAt}>{formatTime(user.createdAt)}</time>
                  </td>
                  <td>
                    <div className="actions">
                      <button type="button" onClick={() => setPanel({ kind: 'edit', user })}>
                        Edit
                      </button>
                      {user.id !== me.user.id && (
                        <>
                          <button type="button" onClick={() => setPanel({ kind: 'reset', user })}>
                            Reset password
                          </button>
                          <button type="button" className="danger" onClick={() => setPanel({ kind: 'delete', user })}>
                            Delete
                          </button>
                        </>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {/* Where the form was: in sight of whoever just pressed Save. */}
      {saved && (
        <Notice>
          <span data-testid="users-notice">{saved}</span>
        </Notice>
      )}
      {panel.kind === 'edit' && (
        <EditUserForm
          key={panel.user.id}
          user={panel.user}
          cameras={cameras}
          onSave={(change) =>
            act(async () => {
              const user = await api.updateUser(panel.user.id, change);
              setPanel({ kind: 'none' });
              setSaved(savedNotice(panel.user, user, cameras));
            })
          }
          onCancel={() => setPanel({ kind: 'none' })}
        />
      )}
      {panel.kind === 'reset' && (
        <ResetPasswordForm
          key={panel.user.id}
          user={panel.user}
          onReset={() => resetPassword(panel.user)}
          onCancel={() => setPanel({ kind: 'none' })}
        />
      )}
      {panel.kind === 'delete' && (
        <DeleteUserForm
          key={panel.user.id}
          user={panel.user}
          onDelete={() =>
            act(async () => {
              await api.deleteUser(panel.user.id);
              setPanel({ kind: 'none' });
            })
          }
          onCancel={() => setPanel({ kind: 'none' })}
        />
      )}
    </Page>
  );
}

/** The confirmation of a save: what changed and what the user may do now. */
function savedNotice(before: ManagedUser, after: ManagedUser, cameras: readonly Camera[]): string {
  const changes = permissionChanges(subjectOf(before), subjectOf(after), cameras).length;
  const role = before.role === after.role ? '' : ` Role: ${after.role}.`;
  const what = changes === 0 ? 'no right changed' : `${changes} ${changes === 1 ? 'right' : 'rights'} changed`;
  return `Saved ${after.username}: ${what}.${role} Access now: ${describeAccess(subjectOf(after), cameras)}. Their open sessions follow at once.`;
}

function RoleSelect({ id, value, onChange }: { id: string; value: Role; onChange: (role: Role) => void }) {
  return (
    <select id={id} value={value} onChange={(event) => onChange(event.target.value as Role)}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {role}
        </option>
      ))}
    </select>
  );
}

function CreateUserForm({ onCreated }: { onCreated: (username: string, issued: IssuedPassword) => void }) {
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const { submit, error, busy } = useFormAction(async () => {
    const created = await api.createUser(username.trim(), role);
    onCreated(created.user.username, created);
    setUsername('');
  });

  return (
    <form onSubmit={submit} aria-labelledby="create-user-heading">
      <h2 id="create-user-heading">Add a user</h2>
      <div className="field">
        <label htmlFor="new-username">Username</label>
        <input
          id="new-username"
          type="text"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          required
          maxLength={32}
          pattern="[A-Za-z0-9._\-]{1,32}"
          value={username}
          onChange={(event) => setUsername(event.target.value)}
        />
        <p className="help">Letters, digits, dots, underscores and dashes; at most 32.</p>
      </div>
      <div className="field">
        <label htmlFor="new-role">Role</label>
        <RoleSelect id="new-role" value={role} onChange={setRole} />
      </div>
      <ErrorAlert error={error} />
      <button type="submit" className="primary" disabled={busy || username.trim() === ''}>
        {busy ? 'Creating…' : 'Create user'}
      </button>
    </form>
  );
}

/** A freshly issued one-time password: shown here once, never again. */
function OneTimePassword({ username, issued, onDone }: { username: string; issued: IssuedPassword; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(issued.oneTimePassword);
      setCopied(true);
    } catch {
      setCopied(false); // no clipboard access: the password is on screen to copy by hand
    }
  }
  return (
    <section className="card one-time-password" aria-labelledby="otp-heading" data-testid="one-time-password">
      <h2 id="otp-heading">One-time password for {username}</h2>
      <p>
        <code data-testid="one-time-password-value">{issued.oneTimePassword}</code>{' '}
        <button type="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </p>
      <p className="help note">
        <strong>Shown only once.</strong> Give it to {username} in person or over a channel you trust. They must choose
        their own password when they first log in with it. It stops working on{' '}
        <time dateTime={issued.oneTimePasswordExpiresAt}>{formatTime(issued.oneTimePasswordExpiresAt)}</time>.
      </p>
      <button type="button" onClick={onDone}>
        Done, I have passed it on
      </button>
    </section>
  );
}

function EditUserForm({
  user,
  cameras,
  onSave,
  onCancel,
}: {
  user: ManagedUser;
  cameras: readonly Camera[];
  onSave: (change: { role: Role; permissions: Grants }) => Promise<unknown>;
  onCancel: () => void;
}) {
  const [role, setRole] = useState<Role>(user.role);
  const [grants, setGrants] = useState<Grants>(user.permissions);
  const [busy, submit] = useSubmit(() => onSave({ role, permissions: grants }));
  // By what the user may do, not by the stored lists: a box ticked and unticked again is no change.
  const unchanged = role === user.role && permissionChanges(subjectOf(user), { role, grants }, cameras).length === 0;

  return (
    <form onSubmit={submit} aria-labelledby="edit-user-heading">
      <h2 id="edit-user-heading">Edit {user.username}</h2>
      <div className="field">
        <label htmlFor="edit-role">Role</label>
        <RoleSelect id="edit-role" value={role} onChange={setRole} />
      </div>
      <PermissionMatrix role={role} grants={grants} onChange={setGrants} cameras={cameras} saved={subjectOf(user)} />
      <p className="help note">Changes apply to {user.username}’s open sessions at once.</p>
      <SubmitOrCancel className="primary" disabled={busy || unchanged} label={busy ? 'Saving…' : 'Save'} onCancel={onCancel} />
    </form>
  );
}

function ResetPasswordForm({ user, onReset, onCancel }: { user: ManagedUser; onReset: () => Promise<unknown>; onCancel: () => void }) {
  const [busy, submit] = useSubmit(onReset);
  return (
    <form onSubmit={submit} aria-labelledby="reset-user-heading">
      <h2 id="reset-user-heading">Reset the password of {user.username}</h2>
      <p>
        {user.username} will be logged out everywhere, and can log in again only with the one-time password shown
        next, which they must then replace with their own.
      </p>
      <SubmitOrCancel className="primary" disabled={busy} label={busy ? 'Resetting…' : 'Reset password'} onCancel={onCancel} />
    </form>
  );
}

function DeleteUserForm({ user, onDelete, onCancel }: { user: ManagedUser; onDelete: () => Promise<unknown>; onCancel: () => void }) {
  const [typed, setTyped] = useState('');
  const [busy, submit] = useSubmit(onDelete);

  return (
    <form onSubmit={submit} aria-labelledby="delete-user-heading">
      <h2 id="delete-user-heading">Delete {user.username}</h2>
      <p>
        {user.username} will be logged out everywhere and can no longer log in. This cannot be undone.
      </p>
      <div className="field">
        <label htmlFor="delete-confirm">Type the username to confirm</label>
        <input
          id="delete-confirm"
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
        />
      </div>
      <SubmitOrCancel
        className="danger"
        disabled={busy || typed !== user.username}
        label={busy ? 'Deleting…' : `Delete ${user.username}`}
        onCancel={onCancel}
      />
    </form>
  );
}

/** A submit handler that runs `action` (which reports its own errors), busy while it runs. */
function useSubmit(action: () => Promise<unknown>): [busy: boolean, submit: (event: FormEvent<HTMLFormElement>) => Promise<void>] {
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    await action();
    setBusy(false);
  }
  return [busy, submit];
}

function SubmitOrCancel(props: { className: string; disabled: boolean; label: string; onCancel: () => void }) {
  return (
    <div className="buttons">
      <button type="submit" className={props.className} disabled={props.disabled}>
        {props.label}
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}
