import { useState } from 'react';
import { ErrorAlert, Notice } from '../shared/ErrorAlert.js';
import { NewPasswordFields, passwordsReady } from '../shared/NewPasswordFields.js';
import { Page } from '../shared/Page.js';
import { usePasswordVerdict } from '../shared/usePasswordVerdict.js';
import { addressOf, addressText, policyUsername } from './address.js';
import { AddressField } from './AddressField.js';
import { forgotApi, type ResetCodeSent } from './forgot-api.js';
import { useFormAction } from './errors.js';
import { sentCode, SentCodeField } from './SentCodeField.js';

type Step = { kind: 'address' } | { kind: 'code'; sent: ResetCodeSent } | { kind: 'password'; grant: string };

/**
 * Forgot password: the address, then the code mailed there (the same answer whether or not it has
 * an account), then a new password. Two-step login stays on: the next login still asks for it.
 */
export function ForgotPasswordPage({ onReset }: { onReset: (address: string) => void }) {
  const [step, setStep] = useState<Step>({ kind: 'address' });
  const [typed, setTyped] = useState('');
  const address = addressOf(typed);
  const byMail = 'email' in address;
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const strength = usePasswordVerdict(password, { username: policyUsername(address) });
  const action = useFormAction(async () => {
    if (step.kind === 'address') {
      setStep({ kind: 'code', sent: await forgotApi.sendCode(address) });
    } else if (step.kind === 'code') {
      const { grant } = await forgotApi.verifyCode(step.sent.requestId, sentCode(code));
      setStep({ kind: 'password', grant });
    } else {
      await forgotApi.resetPassword(step.grant, password);
      onReset(addressText(address));
    }
  });
  const startAgain = () => {
    setCode('');
    setStep({ kind: 'address' });
  };

  return (
    <Page title="Forgot your password?">
      {step.kind === 'address' && (
        <>
          <p>Type the email address or the phone number of your account: a code to set a new password goes there.</p>
          <form onSubmit={action.submit}>
            <AddressField kind="either" value={typed} onChange={setTyped} autoFocus />
            <ErrorAlert error={action.error} />
            <button type="submit" className="primary" disabled={action.busy}>
              {action.busy ? 'Sending…' : 'Send me a code'}
            </button>
          </form>
        </>
      )}
      {step.kind === 'code' && (
        <>
          <Notice>
            <p>{step.sent.message}</p>
            <p>
              Look for {byMail ? 'a mail' : 'a text message'} from Vigil cloud at <strong className="address">{addressText(address)}</strong>. The code in
              it works once, for 15 minutes.
            </p>
          </Notice>
          <form onSubmit={action.submit}>
            <SentCodeField label={byMail ? 'Code from the mail' : 'Code from the text message'} value={code} onChange={setCode} />
            <ErrorAlert error={action.error} />
            <div className="buttons">
              <button type="submit" className="primary" disabled={action.busy}>
                {action.busy ? 'Checking…' : 'Continue'}
              </button>
              <button type="button" onClick={startAgain}>
                Start again
              </button>
            </div>
          </form>
        </>
      )}
      {step.kind === 'password' && (
        <>
          <p>Choose your new password. Every browser logged in to your account is logged out, and a notice goes to your addresses. Two-step login stays on.</p>
          <form onSubmit={action.submit} aria-label="New password">
            <input type="text" name="username" autoComplete="username" value={addressText(address)} readOnly hidden />
            <NewPasswordFields
              label="New password"
              password={password}
              confirm={confirm}
              onPasswordChange={setPassword}
              onConfirmChange={setConfirm}
              strength={strength}
            />
            <ErrorAlert error={action.error} />
            <button type="submit" className="primary" disabled={action.busy || !passwordsReady(strength, password, confirm)}>
              {action.busy ? 'Saving…' : 'Set new password'}
            </button>
          </form>
        </>
      )}
      <p>
        <a href="#/">Back to the login</a>
      </p>
    </Page>
  );
}
