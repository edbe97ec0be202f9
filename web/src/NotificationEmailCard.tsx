import { useEffect, useId, useState } from 'react';
import { api } from './api.js';
import { ErrorAlert, Notice } from '../shared/ErrorAlert.js';
import { describeError, type ShownError } from './errors.js';
import { PasswordField } from '../shared/PasswordField.js';
import { useFormAction } from './useFormAction.js';

/**
 * Where this user's security mails go. Changing it needs the current password: whoever can change
 * it can silence the warnings a stolen account would send.
 */
export function NotificationEmailCard() {
  const id = useId();
  const [saved, setSaved] = useState<string | null | undefined>(undefined);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [loadError, setLoadError] = useState<ShownError | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    api.getNotificationEmail().then(
      (address) => {
        setSaved(address);
        // The home page loads several things at once: what the person typed meanwhile stays.
        setEmail((typed) => (typed === '' ? (address ?? '') : typed));
      },
      (err: unknown) => setLoadError(describeError(err)),
    );
  }, []);

  const { submit, error, busy } = useFormAction(async () => {
    setDone(false);
    setSaved(await api.setNotificationEmail(email === '' ? null : email, password));
    setPassword('');
    setDone(true);
  });

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Security mail</h2>
      <p className="help">
        Where the recorder tells you about new logins, password changes and lockouts of your account. It is not a recovery
        address. Leave it empty for no mail.
      </p>
      <ErrorAlert error={loadError} />
      <form onSubmit={(e) => void submit(e)} aria-label="Notification address">
        <div className="field">
          <label htmlFor={`${id}-email`}>Notification address</label>
          <input id={`${id}-email`} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value.trim())} />
        </div>
        <PasswordField label="Current password" name="currentPassword" autoComplete="current-password" value={password} onChange={setPassword} />
        {done && <Notice>{saved ? `Security mails go to ${saved}.` : 'No security mails will be sent to you.'}</Notice>}
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy || saved === undefined || password === ''}>
          {busy ? 'Saving…' : 'Save address'}
        </button>
      </form>
    </section>
  );
}
