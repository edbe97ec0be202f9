import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { formatTime } from '../../shared/format-time.js';
import { useLoaded } from '../security/useLoaded.js';
import { useFormAction } from '../useFormAction.js';
import { cancelCloudResetsAsAdmin, cancelCloudResetsFromLan, pendingCloudResets } from './cloud-reset-api.js';

/**
 * Cloud resets waiting for the admin's waiting period, with the way to stop them: an admin from
 * anywhere, anyone from the local network (a cancel only ever stops a reset). Shows nothing when
 * none waits.
 */
export function PendingCloudResetsNotice({ asAdmin = false }: { asAdmin?: boolean }) {
  const { value, error, reload } = useLoaded(pendingCloudResets);
  const cancel = useFormAction(async () => {
    await (asAdmin ? cancelCloudResetsAsAdmin() : cancelCloudResetsFromLan());
    await reload();
  });
  if (!value || value.pending.length === 0) return <ErrorAlert error={error} />;
  return (
    <div className="alert alert-error" role="status" data-pending-cloud-resets={value.pending.length}>
      <p>
        A reset of the admin password through the cloud account is waiting: it takes effect at{' '}
        {value.pending.map((p) => formatTime(p.effectiveAt)).join(', ')}. If nobody you trust asked for it, cancel it now.
      </p>
      <ErrorAlert error={cancel.error} />
      <button type="button" disabled={cancel.busy} onClick={() => void cancel.submit()}>
        Cancel the cloud reset
      </button>
    </div>
  );
}
