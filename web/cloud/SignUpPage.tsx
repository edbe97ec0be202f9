import { useState } from 'react';
import { ErrorAlert } from '../shared/ErrorAlert.js';
import { NewPasswordFields, passwordsReady } from '../shared/NewPasswordFields.js';
import { Page } from '../shared/Page.js';
import { usePasswordVerdict } from '../shared/usePasswordVerdict.js';
import { api, type SignUpStarted } from './api.js';
import { EmailField } from './EmailField.js';
import { useFormAction } from './errors.js';
import { VerifyStep } from './VerifyStep.js';

/** Sign-up: an address and a password, then the code mailed there, without which the account cannot be used. */
export function SignUpPage({ onVerified }: { onVerified: (email: string) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [started, setStarted] = useState<SignUpStarted | null>(null);
  // The cloud judges the password with the address's local part as the username: so does the meter.
  const strength = usePasswordVerdict(password, { username: email.trim().toLowerCase().split('@')[0] });
  const { submit, error, busy } = useFormAction(async () => {
    setStarted(await api.signUp(email.trim(), password));
  });

  if (started) {
    return (
      <VerifyStep
        email={email.trim()}
        started={started}
        onVerified={() => onVerified(email.trim())}
        onRestart={() => {
          setStarted(null);
          setPassword('');
          setConfirm('');
        }}
      />
    );
  }

  return (
    <Page title="Create your Vigil cloud account">
      <p>With an account you can see whether your recorders are online and get back into one if you lose its admin password.</p>
      <form onSubmit={submit}>
        <EmailField value={email} onChange={setEmail} />
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
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <a href="#/">Log in</a>
      </p>
    </Page>
  );
}
