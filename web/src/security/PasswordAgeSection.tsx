import { useId, useState } from 'react';
import { api } from '../api.js';
import { ErrorAlert, Notice } from '../../shared/ErrorAlert.js';
import { useFormAction } from '../useFormAction.js';
import { useLoaded } from './useLoaded.js';

export function PasswordAgeSection() {
  const id = useId();
  const { value: saved, setValue: setSaved, error: loadError } = useLoaded(api.getPasswordAge);
  const [days, setDays] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const shown = days ?? (saved === null ? '' : String(saved));
  const { submit, error, busy } = useFormAction(async () => {
    setDone(false);
    setSaved(await api.savePasswordAge(shown === '' ? null : Number(shown)));
    setDays(null);
    setDone(true);
  });

  return (
    <section className="card" aria-labelledby="password-age-heading">
      <h2 id="password-age-heading">Password age reminder</h2>
      <p className="help">
        Off by default: forced, regular changes make people pick weaker passwords. When set, users whose password is older are
        reminded to change it; nobody is forced.
      </p>
      <ErrorAlert error={loadError} />
      <form onSubmit={(e) => void submit(e)} aria-label="Password age reminder">
        <div className="field">
          <label htmlFor={id}>Remind after (days; empty for never)</label>
          <input id={id} type="number" min={1} max={3650} value={shown} onChange={(e) => setDays(e.target.value)} />
        </div>
        {done && <Notice>{saved === null ? 'No password age reminder.' : `Users are reminded after ${saved} days.`}</Notice>}
        <ErrorAlert error={error} />
        <button type="submit" disabled={busy}>
          Save reminder
        </button>
      </form>
    </section>
  );
}
