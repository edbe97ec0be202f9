import { useState } from 'react';
import { ErrorAlert, Notice } from '../shared/ErrorAlert.js';
import { Page } from '../shared/Page.js';
import { api, type SignUpStarted } from './api.js';
import { useFormAction } from './errors.js';
import { mailedCode, MailedCodeField } from './MailedCodeField.js';

interface Props {
  email: string;
  started: SignUpStarted;
  onVerified: () => void;
  /** Back to the form: another address, or a new code. */
  onRestart: () => void;
}

/** The second step of sign-up: the 8-digit code mailed to the address. */
export function VerifyStep({ email, started, onVerified, onRestart }: Props) {
  const [code, setCode] = useState('');
  const { submit, error, busy } = useFormAction(async () => {
    await api.verifySignUp(started.requestId, mailedCode(code));
    onVerified();
  });

  return (
    <Page title="Check your mail">
      <Notice>
        <p>{started.message}</p>
        <p>
          Look for a mail from Vigil cloud at <strong className="address">{email}</strong>. The code in it works once, for 15 minutes.
        </p>
      </Notice>
      <form onSubmit={submit}>
        <MailedCodeField value={code} onChange={setCode} />
        <ErrorAlert error={error} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Checking…' : 'Verify'}
          </button>
          <button type="button" onClick={onRestart}>
            Start again
          </button>
        </div>
      </form>
    </Page>
  );
}
