import { useId, useState } from 'react';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { useLoaded } from '../security/useLoaded.js';
import { useFormAction } from '../useFormAction.js';
import { getCloudResetSettings, saveCloudResetSettings } from './cloud-reset-api.js';
import { PendingCloudResetsNotice } from './PendingCloudResetsNotice.js';

/**
 * The waiting period for resets through the cloud account: against a stolen cloud account, a reset
 * it asks for waits this long, announced to every registered address, and can be cancelled here.
 */
export function CloudResetCard() {
  const id = useId();
  const { value, setValue, error } = useLoaded(getCloudResetSettings);
  const [hours, setHours] = useState<string | null>(null);
  const shown = hours ?? String(value?.waitHours ?? 0);
  const save = useFormAction(async () => {
    setValue(await saveCloudResetSettings(Number(shown)));
    setHours(null);
  });
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Cloud reset waiting period</h2>
      <p className="help">
        When this recorder is bound to a cloud account, its owner can reset the admin password from the cloud. With a waiting period, such a reset
        takes effect only after it, every registered address is told at once, and it can be cancelled here or from the local network.
      </p>
      <PendingCloudResetsNotice asAdmin />
      <form onSubmit={(e) => void save.submit(e)}>
        <div className="field">
          <label htmlFor={`${id}-hours`}>Hours to wait (0: none)</label>
          <input id={`${id}-hours`} type="number" min={0} max={720} step={1} value={shown} onChange={(e) => setHours(e.target.value)} />
        </div>
        <ErrorAlert error={error ?? save.error} />
        <button type="submit" disabled={save.busy || !value}>
          Save
        </button>
      </form>
    </section>
  );
}
