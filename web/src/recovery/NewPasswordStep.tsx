import { useState } from 'react';
import type { Device } from '../api.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { NewPasswordFields, passwordsReady } from '../../shared/NewPasswordFields.js';
import { useFormAction } from '../useFormAction.js';
import { usePasswordVerdict } from '../../shared/usePasswordVerdict.js';
import { recoveryApi } from './recoveryApi.js';
import type { ResetGrant } from './types.js';

/** The last step of every path: a new password under the normal policy. */
export function NewPasswordStep({ device, grant, onDone }: { device: Device; grant: ResetGrant; onDone: (twoFactorCleared: boolean) => void }) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [clearTwoFactor, setClearTwoFactor] = useState(false);
  const strength = usePasswordVerdict(password, { username: grant.username, serial: device.serial, model: device.model });
  const { submit, error, busy } = useFormAction(async () => {
    const result = await recoveryApi.reset(grant.token, password, clearTwoFactor);
    onDone(result.twoFactorCleared);
  });
  return (
    <form onSubmit={submit} aria-label="New password">
      <p>
        Choose a new password for <strong>{grant.username}</strong>. Finish before {new Date(grant.expiresAt).toLocaleTimeString()}; after that,
        start again.
      </p>
      <input type="text" name="username" autoComplete="username" value={grant.username} readOnly hidden />
      <NewPasswordFields
        label="New password"
        password={password}
        confirm={confirm}
        onPasswordChange={setPassword}
        onConfirmChange={setConfirm}
        strength={strength}
      />
      {grant.mayClearTwoFactor && (
        <label className="checkbox">
          <input type="checkbox" checked={clearTwoFactor} onChange={(e) => setClearTwoFactor(e.target.checked)} />
          Also turn off two-step login (I lost my authenticator and my recovery codes)
        </label>
      )}
      <p className="help note">Every session of this account will be logged out. Nobody is logged in by this: you log in afterwards.</p>
      <ErrorAlert error={error} />
      <button type="submit" className="primary" disabled={busy || !passwordsReady(strength, password, confirm)}>
        {busy ? 'Saving…' : 'Set the new password'}
      </button>
    </form>
  );
}
