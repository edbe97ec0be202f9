import { useCallback, useEffect, useState } from 'react';
import { describeError, type ShownError } from '../errors.js';

/** Loads something once on arrival (and again on `reload`), keeping the error to show if it fails. */
export function useLoaded<T>(load: () => Promise<T>) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const reload = useCallback(async () => {
    try {
      setValue(await load());
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { value, setValue, error, reload };
}
