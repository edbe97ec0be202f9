import { useId, useState } from 'react';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { PasswordField } from '../../shared/PasswordField.js';
import { useLoaded } from '../security/useLoaded.js';
import { useFormAction } from '../useFormAction.js';
import { getCloudBinding, unbindCloud } from './cloud-binding-api.js';
import type { RecoveryCardProps } from './recovery-card-props.js';

const CONNECTION: Record<string, string> = { online: 'connected', connecting: 'connecting', offline: 'not reachable now' };

/**
 * The cloud account this recorder is bound to: its owner can reset the admin password from there.
 * Binding is done in the cloud with the serial and the label code; unbinding can be done here too.
 */
export function CloudBindingCard({ onChanged }: RecoveryCardProps) {
  const id = useId();
  const { value, error, reload } = useLoaded(getCloudBinding, 10_000);
  const [password, setPassword] = useState('');
  const unbind = useFormAction(async () => {
    await unbindCloud(password);
    setPassword('');
    await reload();
    onChanged();
  });
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Cloud account</h2>
      <ErrorAlert error={error ?? unbind.error} />
      {value?.connection && (
        <p className="help">
          Cloud {value.connection.cloudUrl}: {CONNECTION[value.connection.state]}.
        </p>
      )}
      {value && !value.bound && (
        <p>
          Not bound. {value.connection ? 'Bind it in the cloud with the serial and the label code on the sticker.' : 'Start the recorder with --cloud URL to bind it to an account.'}
        </p>
      )}
      {value?.bound && (
        <form onSubmit={(e) => void unbind.submit(e)} aria-label="Unbind from the cloud account">
          <p>
            Bound to {value.ownerLabel} at {value.cloudUrl} since {new Date(value.since!).toLocaleString()}. That account can reset the admin password.
          </p>
          <PasswordField label="Your password" name="currentPassword" autoComplete="current-password" value={password} onChange={setPassword} />
          <button type="submit" disabled={unbind.busy || password === ''}>
            {unbind.busy ? 'Working…' : 'Unbind'}
          </button>
        </form>
      )}
    </section>
  );
}
