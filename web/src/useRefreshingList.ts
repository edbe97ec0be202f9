import { useCallback, useEffect, useState } from 'react';
import { describeError, type ShownError } from './errors.js';

/**
 * Data loaded on arrival, and actions on one of its items (revoke, unlock) that reload it after,
 * whatever their outcome: the list then shows what the recorder really holds.
 */
export function useRefreshingList<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [busyWith, setBusyWith] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setData(await load());
    } catch (err) {
      setError(describeError(err));
    }
  }, [load]);

  useEffect(() => {
    void reload();
  }, [reload]);

  async function act(id: string, action: () => Promise<void>) {
    setBusyWith(id);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(describeError(err));
    }
    await reload();
    setBusyWith(null);
  }

  return { data, error, busyWith, act };
}
