import { useId, useState, type FormEvent } from 'react';
import { api, ApiError, type AllowList } from '../api.js';
import { ErrorAlert, Notice } from '../../shared/ErrorAlert.js';
import { describeError, type ShownError } from '../errors.js';
import { useLoaded } from './useLoaded.js';

export function AllowListSection() {
  const { value: saved, setValue: setSaved, error: loadError } = useLoaded(api.getAllowList);
  return (
    <section className="card" aria-labelledby="allow-list-heading">
      <h2 id="allow-list-heading">Login allow-list</h2>
      <p className="help">
        Accept logins only from these addresses and ranges (for example 192.168.1.0/24 or 2001:db8::/32). The local console
        (loopback) can always log in, whatever the list says.
      </p>
      <ErrorAlert error={loadError} />
      {saved === null ? <p aria-busy="true">Loading…</p> : <AllowListForm key={JSON.stringify(saved)} saved={saved} onSaved={setSaved} />}
    </section>
  );
}

function AllowListForm({ saved, onSaved }: { saved: AllowList; onSaved: (list: AllowList) => void }) {
  const id = useId();
  const [enabled, setEnabled] = useState(saved.enabled);
  const [text, setText] = useState(saved.entries.join('\n'));
  const [needsConfirm, setNeedsConfirm] = useState<string | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const entries = text.split(/[\s,]+/).filter(Boolean);

  async function save(confirm: boolean) {
    setError(null);
    try {
      onSaved(await api.saveAllowList(enabled, entries, confirm));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'confirm_required') setNeedsConfirm(err.message);
      else setError(describeError(err));
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save(false);
  }

  return (
    <form onSubmit={submit} aria-label="Login allow-list">
      <label className="checkbox">
        <input type="checkbox" checked={enabled} onChange={(e) => (setEnabled(e.target.checked), setNeedsConfirm(null))} />
        Only accept logins from the addresses below
      </label>
      <div className="field">
        <label htmlFor={id}>Addresses and ranges, one per line</label>
        <textarea id={id} rows={4} value={text} onChange={(e) => (setText(e.target.value), setNeedsConfirm(null))} />
        <span className="help">You are connected from {saved.yourAddress}.</span>
      </div>
      <ErrorAlert error={error} />
      {needsConfirm ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-message">{needsConfirm}</p>
          <button type="button" className="danger" onClick={() => void save(true)}>
            Save anyway
          </button>
        </div>
      ) : (
        saved.enabled && <Notice>The allow-list is on: {saved.entries.length} entries.</Notice>
      )}
      <button type="submit" className="primary">
        Save allow-list
      </button>
    </form>
  );
}
