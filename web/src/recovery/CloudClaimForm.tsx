import { useId, useState } from 'react';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { formatTime } from '../../shared/format-time.js';
import { ApiError } from '../api.js';
import { useFormAction } from '../useFormAction.js';
import { claimCloudReset } from './cloud-reset-api.js';
import type { ResetGrant } from './types.js';

/** What the recorder's claim route allows (its schema's maxLength). */
const MAX_CLAIM_LENGTH = 128;

/** The recorder's refusals in the words of someone who typed the code (the wizard's remembered claim was not typed). */
function typedCodeError(error: ApiError): ApiError {
  const say = (message: string) => new ApiError(error.status, error.code, message);
  if (error.code === 'invalid_cloud_claim') {
    return say('No waiting reset has this claim code. Check that you typed it as the cloud showed it; a reset cancelled on the recorder, or used already, cannot be claimed: reset again from the cloud.');
  }
  // The code is right but early: when, in this browser's time rather than the server's ISO time.
  if (error.code === 'cloud_reset_waiting' && typeof error.details.effectiveAt === 'string') {
    return say(`Not yet: this reset takes effect at ${formatTime(error.details.effectiveAt)}. Come back then and type the same claim code.`);
  }
  return error;
}

/**
 * The claim code of a cloud reset that waits: when this recorder's admin set a waiting period, a
 * reset asked in the cloud (online, from My devices) is answered there with a claim code instead
 * of a new password. Typed here once the wait is over, it gives the reset grant. A browser that
 * started an offline reset remembers its own claim and never needs this.
 */
export function CloudClaimForm({ onGrant }: { onGrant: (grant: ResetGrant) => void }) {
  const id = useId();
  const [code, setCode] = useState('');
  // A code copied from a phone may carry spaces or a line break; the code itself has none.
  const typed = code.replace(/\s+/g, '');
  const claim = useFormAction(async () => {
    try {
      onGrant(await claimCloudReset(typed));
    } catch (error) {
      throw error instanceof ApiError ? typedCodeError(error) : error;
    }
  });

  return (
    <form onSubmit={(e) => void claim.submit(e)} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>A claim code from the cloud</h3>
      <p>
        Did you reset this recorder from your cloud account, and did the cloud show a claim code because the recorder&apos;s admin set a waiting period?
        Once the time it gave has come, type that code here.
      </p>
      <div className="field">
        <label htmlFor={`${id}-claim`}>Claim code</label>
        <input
          id={`${id}-claim`}
          name="cloud-claim"
          type="text"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          maxLength={MAX_CLAIM_LENGTH}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </div>
      <ErrorAlert error={claim.error} />
      <button type="submit" className="primary" disabled={claim.busy || typed === ''}>
        {claim.busy ? 'Checking…' : 'Use the claim code'}
      </button>
    </form>
  );
}
