import { useState } from 'react';
import { ErrorAlert } from '../shared/ErrorAlert.js';
import { formatTime } from '../shared/format-time.js';
import { Page } from '../shared/Page.js';
import { call } from './api.js';
import { useFormAction } from './errors.js';

interface ResponseCode {
  serial: string;
  code: string;
  expiresAt: string;
}

/**
 * The offline remote reset: the recorder (no internet) shows a challenge; the owner types it here
 * and types the response code back into the recorder.
 */
export function OfflineResetPage() {
  const [challenge, setChallenge] = useState('');
  const [answer, setAnswer] = useState<ResponseCode | null>(null);
  const { submit, error, busy } = useFormAction(async () => {
    setAnswer(null);
    setAnswer(await call<ResponseCode>('POST', '/offline-reset/code', { challenge: challenge.trim() }));
  });
  return (
    <Page title="Reset a recorder that is offline">
      <p>
        On the recorder, choose "Forgot password?", then the cloud. It shows a challenge: type it here (or paste what its QR code says), then type the response
        code into the recorder.
      </p>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="offline-challenge">Challenge shown by the recorder</label>
          <textarea
            id="offline-challenge"
            name="challenge"
            rows={3}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            required
            maxLength={200}
            value={challenge}
            onChange={(e) => setChallenge(e.target.value)}
          />
        </div>
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Get the response code'}
        </button>
      </form>
      {answer && (
        <section className="card" aria-labelledby="response-heading" data-testid="response-code">
          <h2 id="response-heading">Response code for {answer.serial}</h2>
          <p className="response-code">
            <code>{answer.code}</code>
          </p>
          <p className="help">
            Type it into the recorder before <time dateTime={answer.expiresAt}>{formatTime(answer.expiresAt)}</time>. It works once, for this challenge only.
          </p>
        </section>
      )}
    </Page>
  );
}
