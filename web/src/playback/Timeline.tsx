import type { MouseEvent } from 'react';
import { timeOfDay } from './day.js';

export interface TimeRange {
  startMs: number;
  endMs: number;
}

/**
 * A day as a bar: recorded ranges filled, gaps empty. Clicking plays from that time; clicking a
 * range plays from its start if the click falls before it (a short range is narrower than a pixel).
 */
export function Timeline({ day, ranges, playingMs, onPick }: { day: TimeRange; ranges: readonly TimeRange[]; playingMs: number | null; onPick: (ms: number) => void }) {
  const span = day.endMs - day.startMs;
  const percent = (ms: number) => `${(((ms - day.startMs) / span) * 100).toFixed(4)}%`;
  const width = (r: TimeRange) => `max(3px, ${(((r.endMs - r.startMs) / span) * 100).toFixed(4)}%)`;
  const pick = (event: MouseEvent<HTMLDivElement>) => {
    const bar = event.currentTarget.getBoundingClientRect();
    onPick(day.startMs + ((event.clientX - bar.left) / bar.width) * span);
  };
  return (
    <div className="timeline" role="group" aria-label="Recorded ranges of the day; click to play from a time" onClick={pick}>
      {ranges.map((r) => (
        <button
          type="button"
          key={r.startMs}
          className="timeline-range"
          style={{ left: percent(r.startMs), width: width(r) }}
          title={`Recorded ${timeOfDay(r.startMs)} to ${timeOfDay(r.endMs)}`}
          onClick={(event) => {
            event.stopPropagation();
            onPick(r.startMs);
          }}
        >
          <span className="visually-hidden">
            Play from {timeOfDay(r.startMs)} (recorded until {timeOfDay(r.endMs)})
          </span>
        </button>
      ))}
      {playingMs !== null && <span className="timeline-playhead" style={{ left: percent(playingMs) }} aria-hidden="true" />}
    </div>
  );
}
