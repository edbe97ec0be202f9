import { useState, type FormEvent } from 'react';
import type { ShownError } from './errors.js';

/**
 * The hook a UI's forms use, with that UI's way of describing errors: a form's submit handler
 * around `action`, busy while it runs, and its error in plain words if it fails.
 */
export function formActionHook(describeError: (error: unknown) => ShownError) {
  return function useFormAction(action: () => Promise<void>) {
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
  };
}
