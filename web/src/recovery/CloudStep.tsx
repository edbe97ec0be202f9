import { useId, useState } from 'react';
import { ApiError } from '../api.js';
import { ErrorAlert, Notice } from '../../shared/ErrorAlert.js';
import { formatTime } from '../../shared/format-time.js';
import { useLoaded } from '../security/useLoaded.js';
import { useFormAction } from '../useFormAction.js';
import {
  answerCloudChallenge,
  claimCloudReset,
  forgetClaim,
  isWaiting,
  openCloudChallenge,
  rememberClaim,
  rememberedClaim,
  type CloudResetWaiting,
} from './cloud-reset-api.js';
import { CloudClaimForm } from './CloudClaimForm.js';
import { PendingCloudResetsNotice } from './PendingCloudResetsNotice.js';
import type { RecoveryStepProps } from './types.js';

/**
 * The cloud account, without internet on the recorder: the recorder shows a challenge (QR and
 * text), the owner enters it in the cloud on a phone, and types back the response code the cloud
 * shows. With a waiting period set by the admin, the reset takes effect only when it ends; the
 * claim code of one asked online in the cloud is typed below.
 */
export function CloudStep({ username, onGrant }: RecoveryStepProps) {
  const id = useId();
  const { value: challenge, error: loadError, reload } = useLoaded(openCloudChallenge);
  const [code, setCode] = useState('');
  const [waiting, setWaiting] = useState<CloudResetWaiting | null>(rememberedClaim);

  const answer = useFormAction(async () => {
    const answered = await answerCloudChallenge(username, code.trim());
    if (isWaiting(answered)) {
      rememberClaim(answered);
      setWaiting(answered);
    } else onGrant(answered);
  });
  const claim = useFormAction(async () => {
    try {
      const grant = await claimCloudReset(waiting!.claimToken);
      forgetClaim();
      onGrant(grant);
    } catch (error) {
      // Cancelled or used: nothing left to come back for.
      if (error instanceof ApiError && error.code === 'invalid_cloud_claim') forgetClaim();
      throw error;
    }
  });

  if (waiting) {
    return (
      <form onSubmit={(e) => void claim.submit(e)} aria-label="Waiting period">
        <Notice>
          The cloud vouched for you. This recorder&apos;s admin set a waiting period for cloud resets: the reset of <strong>{waiting.username}</strong>{' '}
          takes effect at <strong>{formatTime(waiting.effectiveAt)}</strong>. Every address registered for the account was told, and it can be
          cancelled on the recorder until then. Come back to this page then (this browser remembers it) and continue.
        </Notice>
        <ErrorAlert error={claim.error} />
        <button type="submit" className="primary" disabled={claim.busy}>
          {claim.busy ? 'Checking…' : 'Continue'}
        </button>
      </form>
    );
  }

  return (
    <div className="cloud-reset">
      <PendingCloudResetsNotice />
      <ol>
        <li>On your phone or another computer, log in to your Vigil cloud account and open this recorder under My devices, then “Reset without internet”.</li>
        <li>Scan this code, or type the text below it. It works until {challenge ? formatTime(challenge.expiresAt) : '…'}.</li>
        <li>Type here the response code the cloud shows.</li>
      </ol>
      <ErrorAlert error={loadError} />
      {challenge && (
        <figure>
          <img src={challenge.qrCode} alt="Challenge as a QR code" width={240} height={240} />
          <figcaption>
            <code data-challenge>{challenge.text}</code>
          </figcaption>
        </figure>
      )}
      <form onSubmit={(e) => void answer.submit(e)} aria-label="Response code from the cloud">
        <div className="field">
          <label htmlFor={`${id}-code`}>Response code</label>
          <input
            id={`${id}-code`}
            name="cloud-code"
            type="text"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            placeholder="XXXXX-XXXXX"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </div>
        <ErrorAlert error={answer.error} />
        <button type="submit" className="primary" disabled={answer.busy || code.trim() === '' || !challenge}>
          {answer.busy ? 'Checking…' : 'Continue'}
        </button>{' '}
        <button type="button" onClick={() => void reload()}>
          Show the challenge again
        </button>
      </form>
      <CloudClaimForm onGrant={onGrant} />
    </div>
  );
}
