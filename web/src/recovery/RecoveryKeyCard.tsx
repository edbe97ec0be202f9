import { useEffect, useId, useState } from 'react';
import { api } from '../api.js';
import { ErrorAlert, Notice } from '../../shared/ErrorAlert.js';
import { describeError, type ShownError } from '../errors.js';
import { formatTime } from '../../shared/format-time.js';
import { PasswordField } from '../../shared/PasswordField.js';
import { useFormAction } from '../useFormAction.js';
import { createMyRecoveryKey, getMyRecoveryKey, type RecoveryKeyStatus } from './questions-and-key-api.js';
import { NO_SECOND_FACTOR, secondFactorCode, SecondFactorCodeField } from './SecondFactorCodeField.js';
import { saveFile } from '../save-file.js';
import type { RecoveryCardProps } from './recovery-card-props.js';

/**
 * My recovery key file: the strong way back in. Offered as soon as an admin has none (right after
 * activation too), since it is the one path that works from anywhere and even without the phone.
 */
export function RecoveryKeyCard({ onChanged }: RecoveryCardProps) {
  const id = useId();
  const [status, setStatus] = useState<RecoveryKeyStatus | null>(null);
  const [twoFactorOn, setTwoFactorOn] = useState(false);
  const [loadError, setLoadError] = useState<ShownError | null>(null);
  const [password, setPassword] = useState('');
  const [secondFactor, setSecondFactor] = useState(NO_SECOND_FACTOR);
  const [savedAs, setSavedAs] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([getMyRecoveryKey(), api.getTwoFactor()]).then(
      ([key, twoFactor]) => {
        setStatus(key);
        setTwoFactorOn(twoFactor.enabled);
      },
      (err: unknown) => setLoadError(describeError(err)),
    );
  }, []);

  const { submit, error, busy } = useFormAction(async () => {
    setSavedAs(null);
    const file = await createMyRecoveryKey(password, twoFactorOn ? secondFactorCode(secondFactor) : {});
    saveFile(file.fileName, new Blob([file.content], { type: 'text/plain;charset=utf-8' }));
    setStatus({ active: true, createdAt: file.createdAt, usedAt: null });
    setPassword('');
    setSecondFactor(NO_SECOND_FACTOR);
    setSavedAs(file.fileName);
    onChanged();
  });

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Recovery key file</h2>
      <p className="help">
        A file that lets you set a new admin password from anywhere, even without your phone. Keep it offline, for example
        on a USB stick in a drawer, not in your mail or a cloud folder: anyone who has it can take over the recorder. It
        works once; after a recovery, download a new one.
      </p>
      <ErrorAlert error={loadError} />
      {status && !status.active && !savedAs && (
        <Notice>
          <strong>Download your recovery key file now.</strong>{' '}
          {status.usedAt ? `Your last file was used on ${formatTime(status.usedAt)} and works no more.` : 'You have none yet.'}
        </Notice>
      )}
      {status?.active && status.createdAt && !savedAs && (
        <p>
          Your current file was made on {formatTime(status.createdAt)}. A new file replaces it: the old one stops working.
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} aria-label="Recovery key file">
        <PasswordField label="Current password" name="currentPassword" autoComplete="current-password" value={password} onChange={setPassword} />
        {twoFactorOn && <SecondFactorCodeField value={secondFactor} onChange={setSecondFactor} />}
        {savedAs && <Notice>Saved as {savedAs}. Move it to a USB stick or print it, and delete it from this computer.</Notice>}
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy || status === null || password === ''}>
          {busy ? 'Making the file…' : status?.active ? 'Download a new recovery key file' : 'Download recovery key file'}
        </button>
      </form>
    </section>
  );
}
