import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';
import { timeOfDay } from './day.js';
import type { TimeRange } from './footage.js';
import { ticks } from './ticks.js';
import { msAt, panBy, xOf, zoomBy, type View } from './time-scale.js';

/** A pick this close to a range (in pixels) plays it: a short range is a pixel or two wide. */
const SNAP_PX = 4;
/** Wheel travel for one zoom step: one notch of a mouse wheel; a trackpad gets there in a few events. */
const WHEEL_STEP = 100;
/** A label this close to an end of the bar is aligned to it. */
const EDGE_PX = 30;
/** A pinch this much wider (or narrower) is one zoom step. */
const PINCH_STEP = 1.5;

export interface ExportSelection {
  fromMs: number | null;
  toMs: number | null;
}

interface Props {
  view: View;
  onView: (view: View) => void;
  ranges: readonly TimeRange[];
  /** Motion events, marked above the footage. */
  events?: readonly TimeRange[];
  playheadMs: number | null;
  /** Play from a time (the pointer's, the keyboard's); `snapMs`: how near a range counts as on it. */
  onSeek: (ms: number, snapMs: number) => void;
  selection: ExportSelection;
  /** While set, dragging chooses the export range instead of scrubbing. */
  selecting: boolean;
  onSelect: (selection: { fromMs: number; toMs: number }) => void;
}

type Drag = { kind: 'scrub'; ms: number } | { kind: 'select'; anchorMs: number } | { kind: 'pinch'; distance: number };

/** A pointer's x from the bar's inside left edge (past its border), where the width measured starts. */
const xInside = (element: HTMLElement, clientX: number) => clientX - element.getBoundingClientRect().left - element.clientLeft;

function useWidth(element: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const observer = new ResizeObserver(([entry]) => setWidth(entry!.contentRect.width));
    observer.observe(element.current!);
    return () => observer.disconnect();
  }, [element]);
  return width;
}

/**
 * The recorded ranges of a stretch of time, at their true width, with hour marks: gaps are the
 * empty bar between them. Motion events are marked along the top of the bar. Click or drag to play from the time under the pointer (a click in a gap
 * plays the next footage); the wheel or a pinch zooms around the pointer; the arrow keys move the
 * playhead and + and − zoom.
 */
export function Timeline({ view, onView, ranges, events = [], playheadMs, onSeek, selection, selecting, onSelect }: Props) {
  const bar = useRef<HTMLDivElement>(null);
  const width = useWidth(bar);
  const [hoverX, setHoverX] = useState<number | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const pointers = useRef(new Map<number, number>());
  const latest = useRef({ view, onView, width });
  latest.current = { view, onView, width };

  // A wheel listener that may cancel the page's scroll: React's onWheel is passive.
  useEffect(() => {
    const element = bar.current!;
    let travel = 0;
    const wheel = (event: WheelEvent) => {
      event.preventDefault();
      const { view, onView, width } = latest.current;
      if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        onView(panBy(view, (event.deltaX || event.deltaY) / Math.max(1, width)));
        return;
      }
      travel += event.deltaY;
      if (Math.abs(travel) < WHEEL_STEP) return;
      const x = xInside(element, event.clientX);
      onView(zoomBy(view, travel < 0 ? 1 : -1, msAt(x, view, width)));
      travel = 0;
    };
    element.addEventListener('wheel', wheel, { passive: false });
    return () => element.removeEventListener('wheel', wheel);
  }, []);

  const xIn = (event: PointerEvent) => xInside(bar.current!, event.clientX);
  const timeAt = (x: number) => msAt(Math.min(Math.max(0, x), width), view, width);
  const pinchDistance = () => {
    const [a, b] = [...pointers.current.values()];
    return Math.abs(a! - b!);
  };

  const down = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    pointers.current.set(event.pointerId, xIn(event));
    if (pointers.current.size === 2) return setDrag({ kind: 'pinch', distance: pinchDistance() });
    const ms = timeAt(xIn(event));
    if (selecting) {
      onSelect({ fromMs: ms, toMs: ms });
      setDrag({ kind: 'select', anchorMs: ms });
    } else setDrag({ kind: 'scrub', ms });
  };
  const move = (event: PointerEvent<HTMLDivElement>) => {
    const x = xIn(event);
    setHoverX(event.pointerType === 'touch' && !drag ? null : x);
    if (!pointers.current.has(event.pointerId)) return;
    pointers.current.set(event.pointerId, x);
    if (drag?.kind === 'pinch' && pointers.current.size === 2) {
      const ratio = pinchDistance() / Math.max(1, drag.distance);
      if (ratio > PINCH_STEP || ratio < 1 / PINCH_STEP) {
        const middle = [...pointers.current.values()].reduce((a, b) => a + b) / 2;
        onView(zoomBy(view, ratio > 1 ? 1 : -1, timeAt(middle)));
        setDrag({ kind: 'pinch', distance: pinchDistance() });
      }
    } else if (drag?.kind === 'scrub') setDrag({ kind: 'scrub', ms: timeAt(x) });
    else if (drag?.kind === 'select') {
      const ms = timeAt(x);
      onSelect({ fromMs: Math.min(ms, drag.anchorMs), toMs: Math.max(ms, drag.anchorMs) });
    }
  };
  const up = (event: PointerEvent<HTMLDivElement>) => {
    pointers.current.delete(event.pointerId);
    if (drag?.kind === 'scrub') onSeek(timeAt(xIn(event)), (SNAP_PX / Math.max(1, width)) * view.spanMs);
    if (pointers.current.size === 0) setDrag(null);
  };
  const cancel = (event: PointerEvent<HTMLDivElement>) => {
    pointers.current.delete(event.pointerId);
    setDrag(null);
  };

  const key = (event: KeyboardEvent<HTMLDivElement>) => {
    const from = playheadMs ?? view.startMs + view.spanMs / 2;
    const step = view.spanMs / 60;
    const actions: Record<string, () => void> = {
      ArrowLeft: () => onSeek(from - step, 0),
      ArrowRight: () => onSeek(from + step, 0),
      '+': () => onView(zoomBy(view, 1, from)),
      '=': () => onView(zoomBy(view, 1, from)),
      '-': () => onView(zoomBy(view, -1, from)),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  const shownPlayhead = drag?.kind === 'scrub' ? drag.ms : playheadMs;
  const left = (ms: number) => xOf(ms, view, width);
  const endMs = view.startMs + view.spanMs;
  const inView = (r: TimeRange) => r.endMs >= view.startMs && r.startMs < endMs;
  const visible = ranges.filter(inView);
  const { fromMs, toMs } = selection;
  return (
    <div
      ref={bar}
      className="timeline"
      data-selecting={selecting || undefined}
      data-view-start={view.startMs}
      data-view-span={view.spanMs}
      role="slider"
      tabIndex={0}
      aria-label="Timeline: arrow keys move the playhead, + and − zoom"
      aria-valuemin={view.startMs}
      aria-valuemax={endMs}
      aria-valuenow={Math.round(shownPlayhead ?? view.startMs)}
      aria-valuetext={shownPlayhead === null ? 'Nothing playing' : `Playing ${timeOfDay(shownPlayhead)}`}
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={cancel}
      onPointerLeave={() => setHoverX(null)}
      onKeyDown={key}
    >
      <div className="timeline-track" aria-hidden="true">
        {width > 0 &&
          visible.map((r) => {
            const x0 = Math.max(0, left(r.startMs));
            const x1 = Math.min(width, left(r.endMs));
            return <span key={r.startMs} className="timeline-range" style={{ left: x0, width: Math.max(1, x1 - x0) }} />;
          })}
        {width > 0 &&
          events.filter(inView).map((e) => {
            // At least a few pixels: an event of seconds is a tick at a day's zoom, still to be seen.
            const x0 = Math.max(0, left(e.startMs));
            const x1 = Math.min(width, left(e.endMs));
            return <span key={e.startMs} className="timeline-event" data-start={e.startMs} style={{ left: x0, width: Math.max(3, x1 - x0) }} />;
          })}
        {fromMs !== null && toMs !== null && width > 0 && (
          <span className="timeline-selection" style={{ left: left(fromMs), width: Math.max(2, left(toMs) - left(fromMs)) }} />
        )}
      </div>
      <div className="timeline-axis" aria-hidden="true">
        {width > 0 &&
          ticks(view, width).map((tick) => {
            const x = left(tick.ms);
            // Labels at the ends stand inside the bar instead of being cut in half.
            const edge = x < EDGE_PX ? 'start' : x > width - EDGE_PX ? 'end' : undefined;
            return (
              <span key={tick.ms} className={tick.label ? 'timeline-tick major' : 'timeline-tick'} style={{ left: x }}>
                {tick.label && (
                  <span className="timeline-tick-label" data-edge={edge}>
                    {tick.label}
                  </span>
                )}
              </span>
            );
          })}
      </div>
      {shownPlayhead !== null && width > 0 && left(shownPlayhead) >= 0 && left(shownPlayhead) <= width && (
        <span className="timeline-playhead" style={{ left: left(shownPlayhead) }} aria-hidden="true" />
      )}
      {hoverX !== null && width > 0 && (
        <span className="timeline-hover" style={{ left: hoverX }} aria-hidden="true">
          <span className="timeline-hover-label" data-testid="timeline-hover" data-edge={hoverX < 2 * EDGE_PX ? 'start' : hoverX > width - 2 * EDGE_PX ? 'end' : undefined}>
            {timeOfDay(timeAt(hoverX))}
          </span>
        </span>
      )}
    </div>
  );
}
