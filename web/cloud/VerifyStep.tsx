import { useState } from 'react';
import { ErrorAlert, Notice } from '../shared/ErrorAlert.js';
import { Page } from '../shared/Page.js';
import { api, type SignUpStarted } from './api.js';
import { useFormAction } from './errors.js';
import { sentCode, SentCodeField } from './SentCodeField.js';
import { addressText, type Address } from './address.js';

interface Props {
  address: Address;
  started: SignUpStarted;
  onVerified: () => void;
  /** Back to the form: another address, or a new code. */
  onRestart: () => void;
}

/** The second step of sign-up: the 8-digit code sent to the address. */
export function VerifyStep({ address, started, onVerified, onRestart }: Props) {
  const [code, setCode] = useState('');
  const byMail = 'email' in address;
  const { submit, error, busy } = useFormAction(async () => {
    await api.verifySignUp(started.requestId, sentCode(code));
    onVerified();
  });

  return (
    <Page title={byMail ? 'Check your mail' : 'Check your messages'}>
      <Notice>
        <p>{started.message}</p>
        <p>
          Look for {byMail ? 'a mail' : 'a text message'} from Vigil cloud at <strong className="address">{addressText(address)}</strong>. The code in it
          works once, for 15 minutes.
        </p>
      </Notice>
      <form onSubmit={submit}>
        <SentCodeField label={byMail ? 'Code from the mail' : 'Code from the text message'} value={code} onChange={setCode} />
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
