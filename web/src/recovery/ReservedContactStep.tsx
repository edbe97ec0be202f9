import { useId, useState } from 'react';
import { ApiError } from '../api.js';
import { ErrorAlert, Notice } from '../../shared/ErrorAlert.js';
import { useFormAction } from '../useFormAction.js';
import { reservedContactApi, type ContactChannel } from './reserved-contact-api.js';
import { NO_SECOND_FACTOR, secondFactorCode, SecondFactorCodeField } from './SecondFactorCodeField.js';
import type { RecoveryStepProps } from './types.js';

const TEXT: Record<ContactChannel, { label: string; inputType: string; help: string; where: string }> = {
  email: { label: 'Reserved email address', inputType: 'email', help: 'The address you reserved for recovery.', where: 'address' },
  phone: { label: 'Reserved phone number', inputType: 'tel', help: 'With the country code, e.g. +49 170 1234567.', where: 'number' },
};

/**
 * The reserved email or phone path: the address (the recorder answers the same whether it is the
 * reserved one), the 8-digit code from the message, and the second factor when the account has one.
 */
export function ReservedContactStep({ channel, username, onGrant }: RecoveryStepProps & { channel: ContactChannel }) {
  const id = useId();
  const text = TEXT[channel];
  const [address, setAddress] = useState('');
  const [requestId, setRequestId] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [needsSecondFactor, setNeedsSecondFactor] = useState(false);
  const [secondFactor, setSecondFactor] = useState(NO_SECOND_FACTOR);
  const [notice, setNotice] = useState<string | null>(null);

  const ask = useFormAction(async () => {
    const answer = await reservedContactApi.requestCode(username, channel, address);
    setRequestId(answer.requestId);
    setCode('');
    setNotice(`If this is the reserved ${text.where} of ${username}, a code is on its way. It is valid for 15 minutes.`);
  });

  const hint = useFormAction(async () => {
    const answer = await reservedContactApi.requestHint(username, address);
    setNotice(answer.message);
  });

  const verify = useFormAction(async () => {
    const proof = needsSecondFactor ? secondFactorCode(secondFactor) : {};
    try {
      onGrant(await reservedContactApi.verifyCode({ requestId: requestId!, code: code.replace(/\s/g, ''), ...proof }));
    } catch (error) {
      // The recorder answers the same whether the code or the second factor was wrong (or it was
      // missing), so after a refusal the second factor can be added.
      if (error instanceof ApiError && error.code === 'invalid_code') setNeedsSecondFactor(true);
      setSecondFactor({ ...secondFactor, code: '' });
      throw error;
    }
  });

  if (requestId === null) {
    return (
      <form onSubmit={(e) => void ask.submit(e)} aria-label="Ask for a code">
        <div className="field">
          <label htmlFor={`${id}-address`}>{text.label}</label>
          <input
            id={`${id}-address`}
            name="address"
            type={text.inputType}
            autoComplete={channel === 'email' ? 'email' : 'tel'}
            required
            autoFocus
            value={address}
            onChange={(e) => setAddress(e.target.value)}
          />
          <p className="help">{text.help}</p>
        </div>
        {notice && <Notice>{notice}</Notice>}
        <ErrorAlert error={ask.error ?? hint.error} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={ask.busy || address.trim() === ''}>
            {ask.busy ? 'Sending…' : 'Send me a code'}
          </button>
          {channel === 'email' && (
            <button type="button" disabled={hint.busy || address.trim() === ''} onClick={() => void hint.submit()}>
              Mail me my password hint
            </button>
          )}
        </div>
      </form>
    );
  }

  return (
    <form onSubmit={(e) => void verify.submit(e)} aria-label="Type the code">
      {notice && <Notice>{notice}</Notice>}
      <div className="field">
        <label htmlFor={`${id}-code`}>Code from the message</label>
        <input
          id={`${id}-code`}
          name="code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          autoFocus
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <p className="help">The 8 digits the recorder sent. Each code works once.</p>
      </div>
      {needsSecondFactor && <SecondFactorCodeField value={secondFactor} onChange={setSecondFactor} optional />}
      <ErrorAlert error={verify.error} />
      <div className="buttons">
        <button type="submit" className="primary" disabled={verify.busy || code.trim() === ''}>
          {verify.busy ? 'Checking…' : 'Continue'}
        </button>
        <button type="button" onClick={() => setRequestId(null)}>
          Ask for a new code
        </button>
      </div>
    </form>
  );
}

export const ReservedEmailStep = (props: RecoveryStepProps) => <ReservedContactStep channel="email" {...props} />;
export const ReservedPhoneStep = (props: RecoveryStepProps) => <ReservedContactStep channel="phone" {...props} />;
