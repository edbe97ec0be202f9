import { useState, type FormEvent } from 'react';
import { describeError, type ShownError } from './errors.js';

/** A form's submit handler around `action`: busy while it runs, and its error in plain words if it fails. */
export function useFormAction(action: () => Promise<void>) {
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event?: FormEvent<HTMLFormElement>) {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return { submit, error, busy };
}
