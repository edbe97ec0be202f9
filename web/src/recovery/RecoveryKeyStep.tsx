import { useId, useState } from 'react';
import { RECOVERY_KEY_FILE_MAX_LENGTH } from '../../../src/recorder/api/recovery-key-file.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { useFormAction } from '../useFormAction.js';
import { importRecoveryKey } from './questions-and-key-api.js';
import type { RecoveryStepProps } from './types.js';

/** The wizard's recovery-key step: open the saved file (or paste its text). The file names its account. */
export function RecoveryKeyStep({ onGrant }: RecoveryStepProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [tooBig, setTooBig] = useState(false);

  const { submit, error, busy } = useFormAction(async () => onGrant(await importRecoveryKey(text)));

  async function readFile(file: File | undefined) {
    if (!file) return;
    // A recovery key file is a few hundred bytes: anything much bigger is another file.
    setTooBig(file.size > RECOVERY_KEY_FILE_MAX_LENGTH);
    setText(file.size > RECOVERY_KEY_FILE_MAX_LENGTH ? '' : await file.text());
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Import your recovery key file">
      <div className="field">
        <label htmlFor={`${id}-file`}>Recovery key file</label>
        <input id={`${id}-file`} type="file" accept=".txt,text/plain" onChange={(e) => void readFile(e.target.files?.[0])} />
        <p className="help">The file you downloaded, named like vigil-recovery-key-….txt. Each file works once.</p>
        {tooBig && (
          <p className="field-error" role="alert">
            This file is too big to be a recovery key file. Choose the vigil-recovery-key-….txt file.
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>Or paste its text</label>
        <textarea id={`${id}-text`} rows={6} spellCheck={false} maxLength={RECOVERY_KEY_FILE_MAX_LENGTH} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <ErrorAlert error={error} />
      <button type="submit" className="primary" disabled={busy || text.trim() === ''}>
        {busy ? 'Checking…' : 'Continue'}
      </button>
    </form>
  );
}
