import { useState, type FormEvent } from 'react';
import { api, type Device } from './api.js';
import { ErrorAlert } from '../shared/ErrorAlert.js';
import { LabelCodeField } from '../shared/LabelCodeField.js';
import { describeError, type ShownError } from './errors.js';
import { NewPasswordFields, passwordsReady } from '../shared/NewPasswordFields.js';
import { Page } from '../shared/Page.js';
import { usePasswordVerdict } from '../shared/usePasswordVerdict.js';

const ADMIN = 'admin';

export function ActivatePage({ device, onActivated }: { device: Device; onActivated: (username: string) => void }) {
  const [labelCode, setLabelCode] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  const strength = usePasswordVerdict(password, { username: ADMIN, serial: device.serial, model: device.model });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { username } = await api.activate(labelCode.trim(), password);
      onActivated(username);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  }

  return (
    <Page title="Activate your recorder">
      <p>
        This recorder has <strong>no default password</strong>. To set it up, prove you have the device in hand with the
        label code printed on its sticker, then choose the password for the <code>{ADMIN}</code> account.
      </p>
      <p className="muted">
        {device.model} · serial {device.serial}
      </p>
      <form onSubmit={submit}>
        {/* Lets password managers save the new password under the right username. */}
        <input type="text" name="username" autoComplete="username" value={ADMIN} readOnly hidden />
        <LabelCodeField value={labelCode} onChange={setLabelCode} />
        <NewPasswordFields
          label="Password"
          password={password}
          confirm={confirm}
          onPasswordChange={setPassword}
          onConfirmChange={setConfirm}
          strength={strength}
        />
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy || !passwordsReady(strength, password, confirm)}>
          {busy ? 'Activating…' : 'Activate'}
        </button>
      </form>
    </Page>
  );
}
