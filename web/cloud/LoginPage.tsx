import { useState, type ReactNode } from 'react';
import { ErrorAlert, Notice } from '../shared/ErrorAlert.js';
import { Page } from '../shared/Page.js';
import { PasswordField } from '../shared/PasswordField.js';
import { api } from './api.js';
import { EmailField } from './EmailField.js';
import { useFormAction } from './errors.js';

interface Props {
  notice: ReactNode;
  initialEmail?: string;
  onLoggedIn: (email: string) => void;
}

export function LoginPage({ notice: initialNotice, initialEmail = '', onLoggedIn }: Props) {
  const [notice, setNotice] = useState<ReactNode>(initialNotice);
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const { submit, error, busy } = useFormAction(async () => {
    try {
      await api.logIn(email.trim(), password);
    } catch (err) {
      // "Your account is ready" above "The password is wrong" would contradict it: the notice was about before.
      setNotice(null);
      setPassword('');
      throw err;
    }
    onLoggedIn(email.trim());
  });

  return (
    <Page title="Log in to Vigil cloud">
      {notice && <Notice>{notice}</Notice>}
      <form onSubmit={submit}>
        <EmailField value={email} onChange={setEmail} />
        <PasswordField label="Password" name="password" autoComplete="current-password" value={password} onChange={setPassword} />
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p>
        New here? <a href="#/signup">Create an account</a>
      </p>
    </Page>
  );
}
