import { useId, useState, type ChangeEvent } from 'react';
import { ErrorAlert, Notice } from '../../shared/ErrorAlert.js';
import { useFormAction } from '../useFormAction.js';
import type { RecoveryStepProps } from './types.js';
import { importSupportResponse, requestSupportReset } from './vendor-support-api.js';
import { saveFile } from '../save-file.js';

/**
 * Vendor support: download a request signed by the recorder, send it to support, open their
 * response here. Support can take a while, so opening a response works without a new download.
 */
export function VendorSupportStep({ username, onGrant }: RecoveryStepProps) {
  const id = useId();
  const [savedAs, setSavedAs] = useState<string | null>(null);
  const [response, setResponse] = useState('');

  const download = useFormAction(async () => {
    const request = await requestSupportReset(username);
    const name = `vigil-reset-request-${request.serial}.json`;
    saveFile(name, new Blob([`${JSON.stringify(request, null, 2)}\n`], { type: 'application/json' }));
    setSavedAs(name);
  });
  const use = useFormAction(async () => onGrant(await importSupportResponse(response)));

  async function readPickedFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) setResponse(await file.text());
  }

  return (
    <div className="vendor-support">
      <ol>
        <li>
          Download a reset request for the account <strong>{username}</strong>. The recorder signs it.
        </li>
        <li>Send it to the vendor&apos;s support with your proof of purchase. They check that the recorder is yours and send back a response file.</li>
        <li>Open the response file here, within 48 hours of the request, and choose a new password.</li>
      </ol>

      <form onSubmit={(e) => void download.submit(e)} aria-label="Reset request">
        {savedAs && <Notice>Saved {savedAs} to your downloads. Send it to support; a new download replaces it.</Notice>}
        <ErrorAlert error={download.error} />
        <button type="submit" className={savedAs ? undefined : 'primary'} disabled={download.busy}>
          {download.busy ? 'Preparing…' : 'Download reset request'}
        </button>
      </form>

      <form onSubmit={(e) => void use.submit(e)} aria-label="Response from support">
        <div className="field">
          <label htmlFor={`${id}-file`}>Response file from support</label>
          <input id={`${id}-file`} type="file" accept=".json,application/json" onChange={(e) => void readPickedFile(e)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-text`}>Or paste its content</label>
          <textarea id={`${id}-text`} rows={6} spellCheck={false} value={response} onChange={(e) => setResponse(e.target.value)} />
        </div>
        <ErrorAlert error={use.error} />
        <button type="submit" className="primary" disabled={use.busy || response.trim() === ''}>
          {use.busy ? 'Checking…' : 'Use this response'}
        </button>
      </form>
    </div>
  );
}
