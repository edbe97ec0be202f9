import { useState, type ReactNode } from 'react';
import { ErrorAlert, Notice } from '../shared/ErrorAlert.js';
import { Page } from '../shared/Page.js';
import { PasswordField } from '../shared/PasswordField.js';
import { SecondFactorStep, type SecondFactorChallenge } from '../shared/SecondFactorStep.js';
import { api } from './api.js';
import { addressOf } from './address.js';
import { AddressField } from './AddressField.js';
import { describeError, useFormAction } from './errors.js';

interface Props {
  notice: ReactNode;
  /** The address to fill in: the one just verified, or the one whose session ended. */
  initialAddress?: string;
  /** The session cookie is set: the App reads the account. */
  onLoggedIn: () => void;
}

export function LoginPage({ notice: initialNotice, initialAddress = '', onLoggedIn }: Props) {
  const [notice, setNotice] = useState<ReactNode>(initialNotice);
  const [address, setAddress] = useState(initialAddress);
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<SecondFactorChallenge | null>(null);
  const { submit, error, busy } = useFormAction(async () => {
    let answer;
    try {
      answer = await api.logIn(addressOf(address), password);
    } catch (err) {
      // "Your account is ready" above "The password is wrong" would contradict it: the notice was about before.
      setNotice(null);
      setPassword('');
      throw err;
    }
    setPassword('');
    if ('secondFactorRequired' in answer) setChallenge(answer);
    else onLoggedIn();
  });

  if (challenge) {
    return (
      <SecondFactorStep
        challenge={challenge}
        complete={async (proof) => {
          await api.completeSecondFactor(challenge.challenge, proof);
          onLoggedIn();
        }}
        onRestart={(message) => {
          setChallenge(null);
          setNotice(message);
        }}
        describeError={describeError}
      />
    );
  }

  return (
    <Page title="Log in to Vigil cloud">
      {notice && <Notice>{notice}</Notice>}
      <form onSubmit={submit}>
        <AddressField kind="either" value={address} onChange={setAddress} />
        <PasswordField label="Password" name="password" autoComplete="current-password" value={password} onChange={setPassword} />
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p>
        <a href="#/forgot">Forgot password?</a>
      </p>
      <p>
        New here? <a href="#/signup">Create an account</a>
      </p>
    </Page>
  );
}
