import { useCallback, useEffect, useState } from 'react';
import type { ShownError } from './errors.js';

/**
 * The hook for lists a UI loads on arrival, with that UI's way of describing errors: actions on
 * one of the items (revoke, unlock) reload the list after, whatever their outcome, so that it shows
 * what the server really holds.
 */
export function refreshingListHook(describeError: (error: unknown) => ShownError) {
  return function useRefreshingList<T>(load: () => Promise<T>) {
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

    return { data, error, busyWith, act, reload };
  };
}
