import { useEffect, useId, useState } from 'react';
import { api, type Camera } from '../api.js';
import { CopyButton } from '../../shared/CopyButton.js';
import { ErrorAlert, Notice } from '../../shared/ErrorAlert.js';
import { PasswordField } from '../../shared/PasswordField.js';
import { describeError, type ShownError } from '../errors.js';
import { useFormAction } from '../useFormAction.js';
import { NO_SECOND_FACTOR, secondFactorCode, SecondFactorCodeField } from '../recovery/SecondFactorCodeField.js';
import { revealCameraPassword, type RevealedCameraPassword } from './reveal-api.js';

/** How long the password stays on screen before it is hidden again by itself. */
const SHOWN_FOR_MS = 60_000;

/**
 * "Show the camera's password": for an admin who must log in to the camera itself (its web page).
 * Each reveal takes the admin's password (and second factor) again, is audited and mailed to every
 * admin; the answer is kept only in this component, and gone when it is hidden or closed.
 */
export function RevealCameraPassword({ camera, onClose }: { camera: Camera; onClose: () => void }) {
  const id = useId();
  const [twoFactorOn, setTwoFactorOn] = useState(false);
  const [loadError, setLoadError] = useState<ShownError | null>(null);
  const [password, setPassword] = useState('');
  const [secondFactor, setSecondFactor] = useState(NO_SECOND_FACTOR);
  const [shown, setShown] = useState<RevealedCameraPassword | null>(null);

  useEffect(() => {
    api.getTwoFactor().then(
      (status) => setTwoFactorOn(status.enabled),
      (err: unknown) => setLoadError(describeError(err)),
    );
  }, []);

  useEffect(() => {
    if (!shown) return;
    const timer = setTimeout(() => setShown(null), SHOWN_FOR_MS);
    return () => clearTimeout(timer);
  }, [shown]);

  const { submit, error, busy } = useFormAction(async () => {
    const revealed = await revealCameraPassword(camera.id, password, twoFactorOn ? secondFactorCode(secondFactor) : {});
    setPassword('');
    setSecondFactor(NO_SECOND_FACTOR);
    setShown(revealed);
  });

  return (
    <section className="card" aria-labelledby={`${id}-heading`} data-testid="reveal-camera-password">
      <h2 id={`${id}-heading`}>Password of {camera.name}</h2>
      <p className="help">
        To log in to the camera itself, for example its own web page. Showing it is recorded in the audit log and mailed to
        every admin. To stop using a password someone has seen, change the camera&apos;s password afterwards.
      </p>
      <ErrorAlert error={loadError} />
      {shown ? (
        <div data-testid="revealed-camera-password">
          <dl className="revealed-login">
            <dt>User name</dt>
            <dd>
              <code>{shown.username ?? '(none)'}</code>
            </dd>
            <dt>Password</dt>
            <dd>
              <code data-testid="revealed-camera-password-value">{shown.password}</code>
            </dd>
          </dl>
          <Notice>
            <strong>Shown only now.</strong> It is hidden again after a minute, or when you hide it. Showing it again needs
            your password again.
          </Notice>
          <div className="buttons">
            <CopyButton text={shown.password} label="Copy password" />
            <button type="button" className="primary" onClick={() => setShown(null)}>
              Hide password
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={(e) => void submit(e)} aria-label={`Show the password of ${camera.name}`}>
          <PasswordField label="Your password" name="currentPassword" autoComplete="current-password" value={password} onChange={setPassword} />
          {twoFactorOn && <SecondFactorCodeField value={secondFactor} onChange={setSecondFactor} />}
          <ErrorAlert error={error} />
          <div className="buttons">
            <button type="submit" className="primary" disabled={busy || password === ''}>
              {busy ? 'Checking…' : "Show the camera's password"}
            </button>
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
