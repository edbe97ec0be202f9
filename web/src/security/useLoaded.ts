import { useCallback, useEffect, useState } from 'react';
import { describeError, type ShownError } from '../errors.js';

/**
 * Loads something on arrival (and again on `reload`, and every `refreshMs` if given, so a status
 * follows what it shows), keeping the error to show if it fails.
 */
export function useLoaded<T>(load: () => Promise<T>, refreshMs?: number) {
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
    if (refreshMs === undefined) return;
    const timer = setInterval(() => void reload(), refreshMs);
    return () => clearInterval(timer);
  }, [reload, refreshMs]);
  return { value, setValue, error, reload };
}
