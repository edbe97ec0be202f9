import { useEffect, useState } from 'react';
import { describeError, type ShownError } from '../errors.js';
import type { TimeRange } from './footage.js';
import { motionEvents } from './events-api.js';
import { recordedRanges } from './recordings-api.js';
import type { View } from './time-scale.js';

/** While a view is shown, its footage and events are asked for again this often: the latest range grows as the camera records. */
const REFRESH_MS = 20_000;

/** The window asked for around a view: a span either side, aligned so that panning a little asks nothing new. */
export function windowAround(view: View): { fromMs: number; toMs: number } {
  const fromMs = Math.floor(view.startMs / view.spanMs) * view.spanMs - view.spanMs;
  return { fromMs, toMs: fromMs + 4 * view.spanMs };
}

/** The recorded ranges around a view; the previous ones stay shown while new ones load. */
export function useRanges(cameraId: number, view: View): { ranges: TimeRange[] | null; error: ShownError | null } {
  const { items, error } = useAround(recordedRanges, cameraId, view);
  return { ranges: items, error };
}

/** The motion events around a view, as useRanges loads footage. */
export function useEvents(cameraId: number, view: View): { events: TimeRange[] | null; error: ShownError | null } {
  const { items, error } = useAround(motionEvents, cameraId, view);
  return { events: items, error };
}

/** What `load` gives for the window around a view, asked again every REFRESH_MS; the previous answer stays shown while a new one loads. */
function useAround(
  load: (cameraId: number, fromMs: number, toMs: number) => Promise<TimeRange[]>,
  cameraId: number,
  view: View,
): { items: TimeRange[] | null; error: ShownError | null } {
  const [items, setItems] = useState<TimeRange[] | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const { fromMs, toMs } = windowAround(view);
  useEffect(() => {
    let current = true;
    const reload = () =>
      load(cameraId, fromMs, toMs).then(
        (loaded) => {
          if (!current) return;
          setItems(loaded);
          setError(null);
        },
        (err: unknown) => current && setError(describeError(err)),
      );
    void reload();
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [load, cameraId, fromMs, toMs]);
  return { items, error };
}
