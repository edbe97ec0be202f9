import { useState, type FormEvent } from 'react';
import { api, type Device, type Me } from './api.js';
import { ErrorAlert, Notice } from './ErrorAlert.js';
import { describeError, type ShownError } from './errors.js';
import { NewPasswordFields, passwordsReady } from './NewPasswordFields.js';
import { Page } from './Page.js';
import { PasswordField } from './PasswordField.js';
import { usePasswordVerdict } from './usePasswordVerdict.js';

export function ChangePasswordPage({ device, me }: { device: Device; me: Me }) {
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
    <Page title="Change password">
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
          label="Current password"
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
        <p className="help note">Changing your password signs you out everywhere else.</p>
        <ErrorAlert error={error} />
        <button
          type="submit"
          className="primary"
          disabled={busy || current === '' || !passwordsReady(strength, password, confirm)}
        >
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </Page>
  );
}
