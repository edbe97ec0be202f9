import { useCallback, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { api, type Camera } from '../api.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { describeError } from '../errors.js';
import { Page } from '../../shared/Page.js';
import { useLoaded } from '../security/useLoaded.js';
import { notSharedFor } from '../cameras/camera-list-notes.js';
import { dayBounds, dayOf, timeOfDay } from './day.js';
import { formatDuration } from './duration.js';
import { ExportForm } from './ExportForm.js';
import { landingFor, rangeAt, type TimeRange } from './footage.js';
import { Player } from './Player.js';
import { footageAfter, footageBefore } from './recordings-api.js';
import { eventAfter, eventBefore } from './events-api.js';
import { Timeline, type ExportSelection } from './Timeline.js';
import { panBy, showing, zoomAround, zoomIndexOf, ZOOMS, type View } from './time-scale.js';
import { useEvents, useRanges } from './useRanges.js';
import '../video-controls.css';
import './playback.css';

const DAY_MS = 86_400_000;
/** Footage listed under the timeline as buttons, at most (the rest is on the timeline). */
const LISTED_RANGES = 8;

const dayView = (day: string): View => {
  const { startMs, endMs } = dayBounds(day);
  return { startMs, spanMs: endMs - startMs };
};

/** Pick a camera and a day, see what was recorded, play from a time, export a range. */
export function PlaybackPage() {
  const loadCameras = useCallback(async () => {
    const list = await api.cameraList();
    return { cameras: list.cameras.filter((c) => c.permissions.includes('playback')), notShared: notSharedFor(list, 'playback', 'playback') };
  }, []);
  const { value: loaded, error: camerasError } = useLoaded(loadCameras);
  const cameras = loaded?.cameras ?? null;
  const [cameraId, setCameraId] = useState<number | null>(null);
  const [view, setView] = useState<View>(() => dayView(dayOf(Date.now())));
  const [speed, setSpeed] = useState(1);
  const camera = cameras?.find((c) => c.id === cameraId) ?? cameras?.[0] ?? null;

  return (
    <Page title="Playback">
      <ErrorAlert error={camerasError} />
      {cameras === null && !camerasError && <p aria-busy="true">Loading…</p>}
      {cameras !== null && cameras.length === 0 && (
        <p className="muted" data-testid="playback-empty">
          {loaded?.notShared ?? 'No cameras to play back.'}
        </p>
      )}
      {camera && (
        <>
          <div className="playback-pickers">
            {/* Labelled by id: a wrapping label would take the options' text into its name. */}
            <div>
              <label htmlFor="playback-camera">Camera</label>
              <select id="playback-camera" value={camera.id} onChange={(e) => setCameraId(Number(e.target.value))}>
                {cameras!.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <label>
              Day
              <input type="date" value={dayOf(view.startMs + view.spanMs / 2)} required onChange={(e) => e.target.value && setView(dayView(e.target.value))} />
            </label>
          </div>
          <CameraPlayback key={camera.id} camera={camera} view={view} setView={setView} speed={speed} onSpeed={setSpeed} />
        </>
      )}
    </Page>
  );
}

/** A time as a sentence says it: the date too when it is not on the day shown. */
function clockText(ms: number, view: View): string {
  const sameDay = dayOf(ms) === dayOf(view.startMs + view.spanMs / 2);
  return sameDay ? timeOfDay(ms) : `${new Date(ms).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' })} ${timeOfDay(ms)}`;
}

interface Playing {
  fromMs: number;
  toMs: number;
}

/** One camera: its timeline, the player, the export. */
function CameraPlayback({ camera, view, setView, speed, onSpeed }: { camera: Camera; view: View; setView: Dispatch<SetStateAction<View>>; speed: number; onSpeed: (speed: number) => void }) {
  const { ranges, error } = useRanges(camera.id, view);
  const { events } = useEvents(camera.id, view);
  const [playing, setPlaying] = useState<Playing | null>(null);
  const [playheadMs, setPlayheadMs] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [selection, setSelection] = useState<ExportSelection>({ fromMs: null, toMs: null });
  const [selecting, setSelecting] = useState(false);
  /** Searches answer out of order: only the latest one acts. */
  const search = useRef(0);

  const start = (fromMs: number, range: TimeRange) => {
    setPlaying({ fromMs, toMs: Math.min(range.endMs, fromMs + DAY_MS - 1) });
    setPlayheadMs(fromMs);
    setView((v) => showing(v, fromMs));
  };

  /**
   * Plays the first footage after `ms`, however far ahead, saying why (`why`) and how far it is.
   * With none, the player goes (a picture from another time under the playhead would mislead),
   * unless it `stays` at the end of the last footage.
   */
  const playNextAfter = async (ms: number, why: string, stays = false) => {
    const id = ++search.current;
    setNotice(`${why} Looking for the next footage…`);
    try {
      const found = await footageAfter(camera.id, ms);
      if (id !== search.current) return;
      if (!found) {
        if (!stays) {
          setPlaying(null);
          setPlayheadMs(null);
        }
        setNotice(`${why} Nothing was recorded after it.`);
        return;
      }
      const at = Math.max(ms, found.startMs);
      start(at, found);
      setNotice(at - ms < 1000 ? null : `${why} Playing the next footage, from ${clockText(at, view)} (${formatDuration(at - ms)} later).`);
    } catch (err) {
      if (id === search.current) setNotice(describeError(err).message);
    }
  };

  const seek = (ms: number, snapMs: number) => {
    search.current++;
    const landing = landingFor(ranges ?? [], ms, snapMs);
    if (landing.kind === 'footage') {
      start(landing.ms, rangeAt(ranges ?? [], landing.ms)!);
      setNotice(null);
    } else void playNextAfter(ms, `Nothing was recorded at ${clockText(ms, view)}.`);
  };

  const here = playheadMs ?? view.startMs + view.spanMs / 2;
  const next = () => {
    const current = rangeAt(ranges ?? [], here);
    void playNextAfter(current ? current.endMs : here, current ? `This footage ends at ${clockText(current.endMs, view)}.` : '', true);
  };
  const previous = async () => {
    const id = ++search.current;
    const before = rangeAt(ranges ?? [], here)?.startMs ?? here;
    try {
      const found = await footageBefore(camera.id, before);
      if (id !== search.current) return;
      if (found) {
        start(found.startMs, found);
        setNotice(null);
      } else setNotice(`Nothing was recorded before ${clockText(before, view)}.`);
    } catch (err) {
      if (id === search.current) setNotice(describeError(err).message);
    }
  };
  /**
   * Plays from the start of the motion event after (or before) the playhead, however far: from
   * those the timeline holds, else asked of the recorder. Each press goes on to the next one.
   */
  const jumpToEvent = async (direction: 'next' | 'previous') => {
    const id = ++search.current;
    const loaded = events ?? [];
    // With nothing playing, the first (or last) event shown; while playing, the one after the
    // playhead, or before it (a second into an event, "previous" starts it again, as players do).
    const from = playheadMs === null ? (direction === 'next' ? view.startMs : view.startMs + view.spanMs) : direction === 'next' ? playheadMs : playheadMs - 1000;
    try {
      const found =
        direction === 'next'
          ? (loaded.find((e) => e.startMs > from) ?? (await eventAfter(camera.id, from)))
          : (loaded.filter((e) => e.startMs < from).at(-1) ?? (await eventBefore(camera.id, from)));
      if (id !== search.current) return;
      if (!found) {
        setNotice(direction === 'next' ? `No motion after ${clockText(from, view)}.` : `No motion before ${clockText(from, view)}.`);
        return;
      }
      seek(found.startMs, 0);
      setNotice(`Motion at ${clockText(found.startMs, view)}, for ${formatDuration(Math.max(1000, found.endMs - found.startMs))}.`);
    } catch (err) {
      if (id === search.current) setNotice(describeError(err).message);
    }
  };
  const onTime = (ms: number) => {
    setPlayheadMs(ms);
    // The playhead running off the right edge turns the page; a view the user moved elsewhere stays.
    setView((v) => (playheadMs !== null && playheadMs <= v.startMs + v.spanMs && ms > v.startMs + v.spanMs ? showing(v, ms) : v));
  };
  const onEnded = (ms: number) => void playNextAfter(ms, `The footage stops at ${clockText(ms, view)}.`, true);

  const zoomIndex = zoomIndexOf(view.spanMs);
  const visible = (ranges ?? []).filter((r) => r.endMs > view.startMs && r.startMs < view.startMs + view.spanMs);
  return (
    <section aria-label={`${camera.name} playback`} className="camera-playback">
      <ErrorAlert error={error} />
      <div className="timeline-controls">
        <div role="group" aria-label="Zoom" className="segmented">
          {ZOOMS.map((zoom, i) => (
            <button key={zoom.label} type="button" aria-pressed={i === zoomIndex} onClick={() => setView((v) => zoomAround(v, zoom.spanMs, playheadMs ?? v.startMs + v.spanMs / 2))}>
              {zoom.label}
            </button>
          ))}
        </div>
        <div className="timeline-events-nav" role="group" aria-label="Motion events">
          <button type="button" onClick={() => void jumpToEvent('previous')}>
            ‹ Previous event
          </button>
          <button type="button" onClick={() => void jumpToEvent('next')}>
            Next event ›
          </button>
        </div>
        <div className="timeline-pan">
          <button type="button" onClick={() => setView((v) => panBy(v, -0.5))} aria-label="Earlier">
            ‹ Earlier
          </button>
          <button type="button" onClick={() => setView((v) => panBy(v, 0.5))} aria-label="Later">
            Later ›
          </button>
        </div>
      </div>
      <Timeline view={view} onView={setView} ranges={ranges ?? []} events={events ?? []} playheadMs={playheadMs} onSeek={seek} selection={selection} selecting={selecting} onSelect={setSelection} />
      {ranges !== null && (
        <div className="footage-list">
          {visible.length === 0 ? (
            <p className="muted">Nothing was recorded in this stretch of time.</p>
          ) : (
            <>
              <span className="muted">Footage:</span>
              {visible.slice(0, LISTED_RANGES).map((r) => (
                <button key={r.startMs} type="button" className="footage-chip" onClick={() => seek(r.startMs, 0)} aria-label={`Play from ${timeOfDay(r.startMs)}, recorded until ${timeOfDay(r.endMs)}`}>
                  {timeOfDay(r.startMs)}–{timeOfDay(r.endMs)}
                </button>
              ))}
              {visible.length > LISTED_RANGES && <span className="muted">and {visible.length - LISTED_RANGES} more on the timeline</span>}
            </>
          )}
        </div>
      )}
      {notice && (
        <p className="playback-notice" role="status">
          {notice}
        </p>
      )}
      {playing ? (
        <Player
          cameraId={camera.id}
          cameraName={camera.name}
          fromMs={playing.fromMs}
          toMs={playing.toMs}
          speed={speed}
          onSpeed={onSpeed}
          onTime={onTime}
          onEnded={onEnded}
          onPrevious={() => void previous()}
          onNext={next}
        />
      ) : (
        <p className="player-placeholder">Click the timeline to play from that time; a click where nothing was recorded plays the next footage.</p>
      )}
      {camera.permissions.includes('export') && (
        <ExportForm
          cameraId={camera.id}
          day={dayOf(here)}
          ranges={ranges ?? []}
          selection={selection}
          onSelection={setSelection}
          playheadMs={playheadMs}
          selecting={selecting}
          onSelecting={setSelecting}
        />
      )}
    </section>
  );
}
