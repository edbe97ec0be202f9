import { useState, type FormEvent } from 'react';
import { api, type Device, type Me } from './api.js';
import { ErrorAlert, Notice } from '../shared/ErrorAlert.js';
import { describeError, type ShownError } from './errors.js';
import { NewPasswordFields, passwordsReady } from '../shared/NewPasswordFields.js';
import { Page } from '../shared/Page.js';
import { PasswordField } from '../shared/PasswordField.js';
import { usePasswordVerdict } from '../shared/usePasswordVerdict.js';

interface Props {
  device: Device;
  me: Me;
  /** Set right after a login with a one-time password: the user must choose their own before anything else. */
  forced?: { onChanged: () => void };
}

export function ChangePasswordPage({ device, me, forced }: Props) {
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const [revoked, setRevoked] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const username = me.user.username;
  const strength = usePasswordVerdict(password, { username, serial: device.serial, model: device.model });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setRevoked(null);
    try {
      const { revokedSessions } = await api.changePassword(current, password);
      if (forced) return forced.onChanged();
      setRevoked(revokedSessions);
      setCurrent('');
      setPassword('');
      setConfirm('');
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={forced ? 'Choose a new password' : 'Change password'}>
      {forced && (
        <Notice>
          You logged in with a one-time password from an admin. Choose your own password now: the admin will not know
          it, and the one-time password stops working.
        </Notice>
      )}
      {revoked !== null && (
        <Notice>
          Your password was changed.{' '}
          {revoked === 0
            ? 'You were not logged in anywhere else.'
            : `${revoked} other ${revoked === 1 ? 'session was' : 'sessions were'} signed out.`}
        </Notice>
      )}
      <form onSubmit={submit}>
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <PasswordField
          label={forced ? 'One-time password' : 'Current password'}
          name="currentPassword"
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
        />
        <NewPasswordFields
          label="New password"
          password={password}
          confirm={confirm}
          onPasswordChange={setPassword}
          onConfirmChange={setConfirm}
          strength={strength}
        />
        {!forced && <p className="help note">Changing your password signs you out everywhere else.</p>}
        <ErrorAlert error={error} />
        <button
          type="submit"
          className="primary"
          disabled={busy || current === '' || !passwordsReady(strength, password, confirm)}
        >
          {busy ? 'Changing…' : forced ? 'Set my password' : 'Change password'}
        </button>
      </form>
    </Page>
  );
}
