import { useState, type FormEvent, type ReactNode } from 'react';
import { api, type Me, type SecondFactorChallenge } from './api.js';
import { ErrorAlert, Notice } from '../shared/ErrorAlert.js';
import { describeError, type ShownError } from './errors.js';
import { PasswordField } from '../shared/PasswordField.js';
import { Page } from '../shared/Page.js';
import { SecondFactorStep } from '../shared/SecondFactorStep.js';

interface Props {
  notice: ReactNode;
  /** Pre-filled username (e.g. "admin" right after activation). */
  initialUsername?: string;
  onLoggedIn: (me: Me) => void;
}

export function LoginPage({ notice: initialNotice, initialUsername = '', onLoggedIn }: Props) {
  const [notice, setNotice] = useState<ReactNode>(initialNotice);
  const [challenge, setChallenge] = useState<SecondFactorChallenge | null>(null);
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await api.login(username.trim(), password);
      if ('secondFactorRequired' in answer) {
        setChallenge(answer);
        setPassword('');
        setBusy(false);
      } else {
        onLoggedIn(answer);
      }
    } catch (err) {
      // "Your new password is set" above "Wrong username or password" would contradict it: the notice was about before.
      setNotice(null);
      setError(describeError(err));
      setPassword('');
      setBusy(false);
    }
  }

  if (challenge) {
    return (
      <SecondFactorStep
        challenge={challenge}
        complete={async (proof) => onLoggedIn(await api.completeSecondFactor(challenge.challenge, proof))}
        describeError={describeError}
        onRestart={(message) => {
          setChallenge(null);
          setNotice(message);
        }}
      />
    );
  }

  return (
    <Page title="Log in">
      {notice && <Notice>{notice}</Notice>}
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="login-username">Username</label>
          <input
            id="login-username"
            name="username"
            type="text"
            autoComplete="username"
            autoCapitalize="off"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <PasswordField
          label="Password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
        />
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p>
        <a href="#/recover">Forgot password?</a>
      </p>
    </Page>
  );
}
