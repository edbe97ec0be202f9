import { useEffect, useId, useState } from 'react';
import { ErrorAlert, Notice } from '../../shared/ErrorAlert.js';
import { describeError, type ShownError } from '../errors.js';
import { useFormAction } from '../useFormAction.js';
import { reservedContactApi, type SmsGatewaySettings } from './reserved-contact-api.js';

/** Where the recorder posts texts for reserved phone numbers: JSON {to, text} to a URL of the owner's gateway. */
export function SmsGatewayCard() {
  const id = useId();
  const [saved, setSaved] = useState<SmsGatewaySettings | null>(null);
  const [enabled, setEnabled] = useState(false);
  const [url, setUrl] = useState('');
  const [authorization, setAuthorization] = useState('');
  const [loadError, setLoadError] = useState<ShownError | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    reservedContactApi.smsGateway().then(
      (settings) => {
        setSaved(settings);
        setEnabled(settings.enabled);
        setUrl(settings.url);
      },
      (err: unknown) => setLoadError(describeError(err)),
    );
  }, []);

  const { submit, error, busy } = useFormAction(async () => {
    setDone(false);
    setSaved(await reservedContactApi.saveSmsGateway({ enabled, url: url.trim(), ...(authorization ? { authorization } : {}) }));
    setAuthorization('');
    setDone(true);
  });

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>SMS gateway</h2>
      <p className="help">
        For codes to a reserved phone number: the recorder sends a POST with JSON <code>{'{ "to", "text" }'}</code> to this address.
      </p>
      <ErrorAlert error={loadError} />
      <form onSubmit={(e) => void submit(e)} aria-label="SMS gateway">
        <label className="checkbox">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Send texts through this gateway
        </label>
        <div className="field">
          <label htmlFor={`${id}-url`}>Gateway URL</label>
          <input id={`${id}-url`} type="url" placeholder="https://sms.example.net/send" value={url} onChange={(e) => setUrl(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-auth`}>Authorization header {saved?.authSet ? '(one is saved; type a new one to replace it)' : '(optional)'}</label>
          <input id={`${id}-auth`} type="password" autoComplete="off" value={authorization} onChange={(e) => setAuthorization(e.target.value)} />
        </div>
        {done && <Notice>SMS gateway saved.</Notice>}
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy || saved === null}>
          {busy ? 'Saving…' : 'Save gateway'}
        </button>
      </form>
    </section>
  );
}
