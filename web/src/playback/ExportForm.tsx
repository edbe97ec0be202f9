import { useState } from 'react';
import { atTimeOfDay, timeOfDay } from './day.js';
import type { TimeRange } from './Timeline.js';

/** The recorder's limit on one export. */
const MAX_EXPORT_MS = 60 * 60_000;
const DEFAULT_LENGTH_MS = 60_000;

/** A range of the day to download as a standard MP4 (the browser downloads it; the recorder names the file). */
export function ExportForm({ cameraId, day, ranges, suggestedStartMs }: { cameraId: number; day: string; ranges: readonly TimeRange[]; suggestedStartMs: number | null }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const fromValue = from || (suggestedStartMs !== null ? timeOfDay(suggestedStartMs) : '');
  const toValue = to || (suggestedStartMs !== null ? timeOfDay(suggestedStartMs + DEFAULT_LENGTH_MS) : '');
  const fromMs = atTimeOfDay(day, fromValue);
  const toMs = atTimeOfDay(day, toValue);
  const problem =
    fromMs === undefined || toMs === undefined
      ? 'Choose a start and an end time.'
      : toMs <= fromMs
        ? 'The end must be after the start.'
        : toMs - fromMs > MAX_EXPORT_MS
          ? 'An export is at most an hour long.'
          : // A link to nothing would download the recorder's error message as a file.
            !ranges.some((r) => r.startMs < toMs && r.endMs > fromMs)
            ? 'Nothing was recorded between these times.'
            : null;

  return (
    <form className="export-form" onSubmit={(e) => e.preventDefault()} aria-label="Export">
      <h2>Export</h2>
      <label>
        From
        <input type="time" step="1" value={fromValue} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        To
        <input type="time" step="1" value={toValue} onChange={(e) => setTo(e.target.value)} />
      </label>
      {problem ? (
        <p className="help">{problem}</p>
      ) : (
        <a className="button" href={`/api/v1/cameras/${cameraId}/export.mp4?from=${fromMs}&to=${toMs}`} download>
          Export MP4
        </a>
      )}
    </form>
  );
}
