import { useEffect, useState } from 'react';
import { describeError, type ShownError } from '../errors.js';
import type { TimeRange } from './footage.js';
import { recordedRanges } from './recordings-api.js';
import type { View } from './time-scale.js';

/** While a view is shown, its footage is asked for again this often: the latest range grows as the camera records. */
const REFRESH_MS = 20_000;

/** The window asked for around a view: a span either side, aligned so that panning a little asks nothing new. */
export function windowAround(view: View): { fromMs: number; toMs: number } {
  const fromMs = Math.floor(view.startMs / view.spanMs) * view.spanMs - view.spanMs;
  return { fromMs, toMs: fromMs + 4 * view.spanMs };
}

/** The recorded ranges around a view; the previous ones stay shown while new ones load. */
export function useRanges(cameraId: number, view: View): { ranges: TimeRange[] | null; error: ShownError | null } {
  const [ranges, setRanges] = useState<TimeRange[] | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const { fromMs, toMs } = windowAround(view);
  useEffect(() => {
    let current = true;
    const load = () =>
      recordedRanges(cameraId, fromMs, toMs).then(
        (loaded) => {
          if (!current) return;
          setRanges(loaded);
          setError(null);
        },
        (err: unknown) => current && setError(describeError(err)),
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [cameraId, fromMs, toMs]);
  return { ranges, error };
}
