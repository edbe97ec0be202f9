import { useEffect, useId, useState } from 'react';
import { ErrorAlert, Notice } from '../../shared/ErrorAlert.js';
import { describeError, type ShownError } from '../errors.js';
import { PasswordField } from '../../shared/PasswordField.js';
import { useFormAction } from '../useFormAction.js';
import { reservedContactApi, type ChannelStatus, type ContactChannel, type ContactStatus } from './reserved-contact-api.js';
import type { RecoveryCardProps } from './recovery-card-props.js';

const CHANNEL_TEXT: Record<ContactChannel, { name: string; label: string; inputType: string; example: string; unavailable: string }> = {
  email: {
    name: 'Reserved email',
    label: 'Reserved email address',
    inputType: 'email',
    example: 'An address only you can read, other than the one you log in with elsewhere.',
    unavailable: 'Set up and turn on outgoing mail (Security page) before you reserve an address.',
  },
  phone: {
    name: 'Reserved phone',
    label: 'Reserved phone number',
    inputType: 'tel',
    example: 'With the country code, e.g. +49 170 1234567.',
    unavailable: 'Set up and turn on the SMS gateway (below) before you reserve a number.',
  },
};

/**
 * The reserved email, the reserved phone and the password hint of the logged-in admin: each new
 * address counts once the 8-digit code sent there is typed back. Changes need the current password.
 */
export function ReservedContactCard({ onChanged }: RecoveryCardProps) {
  const id = useId();
  const [status, setStatus] = useState<ContactStatus | null>(null);
  const [loadError, setLoadError] = useState<ShownError | null>(null);
  const [password, setPassword] = useState('');

  useEffect(() => {
    reservedContactApi.status().then(setStatus, (err: unknown) => setLoadError(describeError(err)));
  }, []);

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Reserved email and phone</h2>
      <p className="help">
        If you forget your password, the recorder can send a code to these. Anyone who can read that mailbox or phone could use
        it, so this path works only from your local network and never replaces two-step login.
      </p>
      <ErrorAlert error={loadError} />
      <PasswordField label="Current password (needed for changes)" name="currentPassword" autoComplete="current-password" value={password} onChange={setPassword} />
      {status && (
        <>
          <ChannelSection channel="email" status={status.email} password={password} onStatus={setStatus} onChanged={onChanged} />
          <ChannelSection channel="phone" status={status.phone} password={password} onStatus={setStatus} onChanged={onChanged} />
          <HintSection hintSet={status.hintSet} password={password} onStatus={setStatus} />
        </>
      )}
    </section>
  );
}

interface SectionProps {
  password: string;
  onStatus: (status: ContactStatus) => void;
}

function ChannelSection({ channel, status, password, onStatus, onChanged }: SectionProps & { channel: ContactChannel; status: ChannelStatus; onChanged: () => void }) {
  const id = useId();
  const text = CHANNEL_TEXT[channel];
  const [address, setAddress] = useState('');
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState<string | null>(null);

  const send = useFormAction(async () => {
    setNotice(null);
    onStatus(await reservedContactApi.startSetup(channel, address, password));
    setNotice(`A code is on its way to ${address}. Type it below within 15 minutes.`);
  });
  const confirm = useFormAction(async () => {
    onStatus(await reservedContactApi.confirmSetup(channel, code.replace(/\s/g, '')));
    setCode('');
    setAddress('');
    setNotice(`${text.name} confirmed: it can be used for recovery now.`);
    onChanged();
  });
  const remove = useFormAction(async () => {
    onStatus(await reservedContactApi.remove(channel, password));
    setNotice(`${text.name} removed.`);
    onChanged();
  });

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{text.name}</h3>
      <p>{status.verified ? `In use: ${status.verified}` : 'None set.'}</p>
      {!status.available && <p className="help note">{text.unavailable}</p>}
      <form onSubmit={(e) => void send.submit(e)} aria-label={`${text.name}: new address`}>
        <div className="field">
          <label htmlFor={`${id}-address`}>{text.label}</label>
          <input id={`${id}-address`} type={text.inputType} autoComplete={channel === 'email' ? 'email' : 'tel'} value={address} onChange={(e) => setAddress(e.target.value)} />
          <p className="help">{text.example}</p>
        </div>
        <ErrorAlert error={send.error} />
        <button type="submit" disabled={send.busy || !status.available || address.trim() === '' || password === ''}>
          {send.busy ? 'Sending…' : 'Send code'}
        </button>
      </form>
      {status.pending && (
        <form onSubmit={(e) => void confirm.submit(e)} aria-label={`${text.name}: confirm`}>
          <div className="field">
            <label htmlFor={`${id}-code`}>Code sent to {status.pending}</label>
            <input id={`${id}-code`} inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />
          </div>
          <ErrorAlert error={confirm.error} />
          <button type="submit" className="primary" disabled={confirm.busy || code.trim() === ''}>
            Confirm
          </button>
        </form>
      )}
      {status.verified && (
        <form onSubmit={(e) => void remove.submit(e)} aria-label={`${text.name}: remove`}>
          <ErrorAlert error={remove.error} />
          <button type="submit" className="danger" disabled={remove.busy || password === ''}>
            Remove {text.name.toLowerCase()}
          </button>
        </form>
      )}
      {notice && <Notice>{notice}</Notice>}
    </section>
  );
}

function HintSection({ hintSet, password, onStatus }: SectionProps & { hintSet: boolean }) {
  const id = useId();
  const [hint, setHint] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const save = useFormAction(async () => {
    setNotice(null);
    const cleared = hint.trim() === '';
    onStatus(await reservedContactApi.setHint(cleared ? null : hint, password));
    setHint('');
    setNotice(cleared ? 'Password hint removed.' : 'Password hint saved. It is never shown: ask for it from the login page and it is mailed to your reserved email.');
  });
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Password hint</h3>
      <p>{hintSet ? 'A hint is set (it is never shown here).' : 'No hint set.'}</p>
      <form onSubmit={(e) => void save.submit(e)} aria-label="Password hint">
        <div className="field">
          <label htmlFor={`${id}-hint`}>New hint (leave empty to remove it)</label>
          <input id={`${id}-hint`} type="text" autoComplete="off" maxLength={100} value={hint} onChange={(e) => setHint(e.target.value)} />
          <p className="help">Something that reminds you of the password without giving it away. It is only ever mailed to your reserved email.</p>
        </div>
        <ErrorAlert error={save.error} />
        <button type="submit" disabled={save.busy || password === '' || (hint.trim() === '' && !hintSet)}>
          {hint.trim() === '' ? 'Remove hint' : 'Save hint'}
        </button>
      </form>
      {notice && <Notice>{notice}</Notice>}
    </section>
  );
}
