import { useState } from 'react';
import { ErrorAlert } from '../shared/ErrorAlert.js';
import { NewPasswordFields, passwordsReady } from '../shared/NewPasswordFields.js';
import { Page } from '../shared/Page.js';
import { usePasswordVerdict } from '../shared/usePasswordVerdict.js';
import { phoneOf, policyUsername, type Address } from './address.js';
import { AddressField } from './AddressField.js';
import { api, type SignUpStarted } from './api.js';
import { useFormAction } from './errors.js';
import { VerifyStep } from './VerifyStep.js';

/**
 * Sign-up: an email address or a phone number and a password, then the code sent there, without
 * which the account cannot be used.
 */
export function SignUpPage({ onVerified }: { onVerified: (address: Address) => void }) {
  const [by, setBy] = useState<'email' | 'phone'>('email');
  const [typed, setTyped] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [started, setStarted] = useState<{ address: Address; answer: SignUpStarted } | null>(null);
  const address: Address = by === 'email' ? { email: typed.trim() } : { phone: phoneOf(typed) };
  // The cloud judges the password against the address (an email's local part): so does the meter.
  const strength = usePasswordVerdict(password, { username: policyUsername(address) });
  const { submit, error, busy } = useFormAction(async () => {
    setStarted({ address, answer: await api.signUp(address, password) });
  });

  if (started) {
    return (
      <VerifyStep
        address={started.address}
        started={started.answer}
        onVerified={() => onVerified(started.address)}
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
        <fieldset>
          <legend>Sign up with</legend>
          <label className="checkbox">
            <input type="radio" name="by" checked={by === 'email'} onChange={() => setBy('email')} /> An email address
          </label>
          <label className="checkbox">
            <input type="radio" name="by" checked={by === 'phone'} onChange={() => setBy('phone')} /> A phone number (a text message)
          </label>
        </fieldset>
        <AddressField key={by} kind={by} value={typed} onChange={setTyped} />
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
