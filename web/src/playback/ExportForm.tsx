import { useEffect, useRef, useState } from 'react';
import { formatBytes } from '../format.js';
import { atTimeOfDay, dayOf, timeOfDay } from './day.js';
import { formatDuration } from './duration.js';
import { downloadExport, type ExportProgress } from './export-download.js';
import type { TimeRange } from './footage.js';
import type { ExportSelection } from './Timeline.js';

/** The recorder's limit on one export. */
const MAX_EXPORT_MS = 60 * 60_000;

type Run = { kind: 'idle' } | { kind: 'running'; progress: ExportProgress } | { kind: 'saved'; name: string } | { kind: 'failed'; message: string };

interface Props {
  cameraId: number;
  /** The day the time fields are on, when nothing is chosen yet. */
  day: string;
  ranges: readonly TimeRange[];
  selection: ExportSelection;
  onSelection: (selection: ExportSelection) => void;
  playheadMs: number | null;
  selecting: boolean;
  onSelecting: (selecting: boolean) => void;
}

function problemWith(fromMs: number | null, toMs: number | null, ranges: readonly TimeRange[]): string | null {
  if (fromMs === null || toMs === null) return 'Choose a start and an end: type them, take the playhead, or drag on the timeline.';
  if (toMs <= fromMs) return 'The end must be after the start.';
  if (toMs - fromMs > MAX_EXPORT_MS) return 'An export is at most an hour long.';
  // The ranges are the timeline's: a range it does not show is left to the recorder to answer.
  return ranges.some((r) => r.startMs < toMs && r.endMs > fromMs) ? null : 'The timeline shows nothing recorded between these times.';
}

function progressText(progress: ExportProgress): string {
  if (progress.totalBytes === null) return 'Preparing the file…';
  const percent = Math.floor((progress.receivedBytes / progress.totalBytes) * 100);
  return `Downloading: ${percent} % (${formatBytes(progress.receivedBytes)} of ${formatBytes(progress.totalBytes)})`;
}

/**
 * A range to download as a standard MP4. The range is what was chosen (typed, taken from the
 * playhead once, or dragged on the timeline) and stays so while the video plays.
 */
export function ExportForm({ cameraId, day, ranges, selection, onSelection, playheadMs, selecting, onSelecting }: Props) {
  const { fromMs, toMs } = selection;
  const [run, setRun] = useState<Run>({ kind: 'idle' });
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  const fieldDay = fromMs !== null ? dayOf(fromMs) : day;
  const problem = problemWith(fromMs, toMs, ranges);

  const typed = (which: keyof ExportSelection) => (value: string) => {
    const ms = atTimeOfDay(which === 'toMs' && fromMs !== null ? dayOf(fromMs) : fieldDay, value);
    onSelection({ ...selection, [which]: ms ?? null });
  };
  const start = async () => {
    abort.current?.abort();
    abort.current = new AbortController();
    setRun({ kind: 'running', progress: { receivedBytes: 0, totalBytes: null } });
    try {
      const url = `/api/v1/cameras/${cameraId}/export.mp4?from=${Math.floor(fromMs!)}&to=${Math.ceil(toMs!)}`;
      const name = await downloadExport(url, (progress) => setRun({ kind: 'running', progress }), abort.current.signal);
      setRun({ kind: 'saved', name });
    } catch (err) {
      if (!abort.current.signal.aborted) setRun({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <form className="export-form" onSubmit={(e) => e.preventDefault()} aria-label="Export">
      <h2>Export</h2>
      <div className="export-fields">
        <TimeField label="From" ms={fromMs} onTyped={typed('fromMs')} onTake={playheadMs === null ? undefined : () => onSelection({ ...selection, fromMs: Math.floor(playheadMs) })} />
        <TimeField label="To" ms={toMs} onTyped={typed('toMs')} onTake={playheadMs === null ? undefined : () => onSelection({ ...selection, toMs: Math.ceil(playheadMs) })} />
        <button type="button" aria-pressed={selecting} onClick={() => onSelecting(!selecting)}>
          {selecting ? 'Done choosing' : 'Choose on the timeline'}
        </button>
      </div>
      {selecting && <p className="help">Drag across the timeline from the start to the end of what to export.</p>}
      {problem ? (
        <p className="help">{problem}</p>
      ) : (
        <p className="export-length" data-testid="export-length">
          Length: {formatDuration(toMs! - fromMs!)} ({timeOfDay(fromMs!)} to {timeOfDay(toMs!)})
        </p>
      )}
      <div className="export-actions">
        <button type="button" className="primary" disabled={problem !== null || run.kind === 'running'} onClick={() => void start()}>
          Export MP4
        </button>
        <span role="status" className="export-status">
          {run.kind === 'running' && progressText(run.progress)}
          {run.kind === 'saved' && (
            <>
              Saved as <code>{run.name}</code> in your downloads.
            </>
          )}
          {run.kind === 'failed' && `Export failed: ${run.message}`}
        </span>
      </div>
      {run.kind === 'running' && run.progress.totalBytes !== null && <progress max={run.progress.totalBytes} value={run.progress.receivedBytes} aria-label="Export progress" />}
    </form>
  );
}

/** A time field of the export, with a button that sets it to the playhead's time, once. */
function TimeField({ label, ms, onTyped, onTake }: { label: string; ms: number | null; onTyped: (value: string) => void; onTake: (() => void) | undefined }) {
  return (
    <div className="export-field">
      <label>
        {label}
        <input type="time" step="1" value={ms === null ? '' : timeOfDay(ms)} onChange={(e) => onTyped(e.target.value)} />
      </label>
      <button type="button" disabled={!onTake} onClick={onTake} aria-label={`Set ${label} to the playhead`} title="The time playing now">
        Playhead
      </button>
    </div>
  );
}
