import { useId, useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { ErrorAlert, Notice } from '../ErrorAlert.js';
import { describeError, type ShownError } from '../errors.js';
import { useLoaded } from './useLoaded.js';

export function PasswordAgeSection() {
  const id = useId();
  const { value: saved, setValue: setSaved, error: loadError } = useLoaded(api.getPasswordAge);
  const [days, setDays] = useState<string | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [done, setDone] = useState(false);
  const shown = days ?? (saved === null ? '' : String(saved));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setDone(false);
    try {
      setSaved(await api.savePasswordAge(shown === '' ? null : Number(shown)));
      setDays(null);
      setDone(true);
    } catch (err) {
      setError(describeError(err));
    }
  }

  return (
    <section className="card" aria-labelledby="password-age-heading">
      <h2 id="password-age-heading">Password age reminder</h2>
      <p className="help">
        Off by default: forced, regular changes make people pick weaker passwords. When set, users whose password is older are
        reminded to change it; nobody is forced.
      </p>
      <ErrorAlert error={loadError} />
      <form onSubmit={submit} aria-label="Password age reminder">
        <div className="field">
          <label htmlFor={id}>Remind after (days; empty for never)</label>
          <input id={id} type="number" min={1} max={3650} value={shown} onChange={(e) => setDays(e.target.value)} />
        </div>
        {done && <Notice>{saved === null ? 'No password age reminder.' : `Users are reminded after ${saved} days.`}</Notice>}
        <ErrorAlert error={error} />
        <button type="submit">Save reminder</button>
      </form>
    </section>
  );
}
