import { useId } from 'react';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { useLoaded } from '../security/useLoaded.js';
import { getVendorKey } from './vendor-support-api.js';

/**
 * Whether vendor support can reset this recorder: it can when the vendor's key was installed at
 * manufacture. Nothing to set up here; the fingerprint lets the owner check it is the vendor's.
 */
export function VendorKeyCard() {
  const id = useId();
  const { value, error } = useLoaded(getVendorKey);
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Vendor support</h2>
      <p className="help">
        If you lose the admin password, the vendor&apos;s support can check that the recorder is yours and send a one-time
        response file that lets you choose a new one. The recorder accepts only responses signed with the vendor key installed
        when it was made.
      </p>
      <ErrorAlert error={error} />
      {value?.installed && (
        <p>
          Vendor key installed. Fingerprint: <code>{value.fingerprint}</code>. It should match the one your vendor publishes.
        </p>
      )}
      {value && !value.installed && <p>No vendor key is installed: vendor support cannot reset this recorder. Set up another recovery method.</p>}
    </section>
  );
}
