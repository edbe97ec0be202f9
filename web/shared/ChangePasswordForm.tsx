import { useState, type FormEvent } from 'react';
import type { PasswordContext } from '../../src/identity/passwords/policy.js';
import { ErrorAlert } from './ErrorAlert.js';
import type { ShownError } from './errors.js';
import { NewPasswordFields, passwordsReady } from './NewPasswordFields.js';
import { PasswordField } from './PasswordField.js';
import { usePasswordVerdict } from './usePasswordVerdict.js';

interface Props {
  /** The account's login name, for password managers to file the new password under. */
  username: string;
  /** What the strength meter counts against the password, as the server's policy does. */
  context: PasswordContext;
  currentLabel: string;
  submitLabel: string;
  /** Said above the button: what else the change does. */
  note?: string;
  /** Sends the change; the fields empty when it resolves. */
  change: (currentPassword: string, newPassword: string) => Promise<void>;
  describeError: (error: unknown) => ShownError;
}

/** The password asked again, then a new one with the strength meter, twice. */
export function ChangePasswordForm({ username, context, currentLabel, submitLabel, note, change, describeError }: Props) {
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  const strength = usePasswordVerdict(password, context);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await change(current, password);
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
    <form onSubmit={submit}>
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <PasswordField label={currentLabel} name="currentPassword" autoComplete="current-password" value={current} onChange={setCurrent} />
      <NewPasswordFields
        label="New password"
        password={password}
        confirm={confirm}
        onPasswordChange={setPassword}
        onConfirmChange={setConfirm}
        strength={strength}
      />
      {note && <p className="help note">{note}</p>}
      <ErrorAlert error={error} />
      <button type="submit" className="primary" disabled={busy || current === '' || !passwordsReady(strength, password, confirm)}>
        {busy ? 'Changing…' : submitLabel}
      </button>
    </form>
  );
}
