import { useState } from 'react';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { LabelCodeField } from '../../shared/LabelCodeField.js';
import { useFormAction } from '../useFormAction.js';
import { verifyButtonLabelCode } from './reset-button-api.js';
import type { RecoveryStepProps } from './types.js';

/** Evidence of standing at the recorder: a short press of its reset button, then the label code from its sticker. */
export function ResetButtonStep({ username, onGrant }: RecoveryStepProps) {
  const [labelCode, setLabelCode] = useState('');
  const { submit, error, busy } = useFormAction(async () => onGrant(await verifyButtonLabelCode(username, labelCode.trim())));
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Reset button and label code">
      <ol>
        <li>
          Press the <strong>reset button</strong> on the recorder briefly (a short press; holding it down erases the
          recorder). On the recorder itself you can instead run <code>vigil recorder button --data DIR --press short</code>.
        </li>
        <li>Within 10 minutes, type the label code from the sticker on the recorder.</li>
      </ol>
      <LabelCodeField value={labelCode} onChange={setLabelCode} autoFocus />
      <ErrorAlert error={error} />
      <button type="submit" className="primary" disabled={busy || labelCode.trim() === ''}>
        {busy ? 'Checking…' : 'Continue'}
      </button>
    </form>
  );
}
