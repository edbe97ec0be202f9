import { useCallback, useEffect, useState } from 'react';
import type { Timeline as RecordedRanges } from '../../../src/recorder/api/recorded-video.js';
import { api, request, type Camera } from '../api.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { describeError, type ShownError } from '../errors.js';
import { Page } from '../../shared/Page.js';
import { useLoaded } from '../security/useLoaded.js';
import { dayBounds, dayOf } from './day.js';
import { ExportForm } from './ExportForm.js';
import { Player } from './Player.js';
import { Timeline, type TimeRange } from './Timeline.js';

/** Pick a camera and a day, see what was recorded, play from a time, export a range. */
export function PlaybackPage() {
  const loadCameras = useCallback(async () => (await api.listCameras()).filter((c) => c.permissions.includes('playback')), []);
  const { value: cameras, error: camerasError } = useLoaded(loadCameras);
  const [cameraId, setCameraId] = useState<number | null>(null);
  const [day, setDay] = useState(() => dayOf(Date.now()));
  const camera = cameras?.find((c) => c.id === cameraId) ?? cameras?.[0] ?? null;

  return (
    <Page title="Playback">
      <ErrorAlert error={camerasError} />
      {cameras !== null && cameras.length === 0 && <p className="muted">No cameras to play back.</p>}
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
              <input type="date" value={day} required onChange={(e) => e.target.value && setDay(e.target.value)} />
            </label>
          </div>
          <CameraDay key={`${camera.id}/${day}`} camera={camera} day={day} />
        </>
      )}
    </Page>
  );
}

/** One camera's day: its timeline, the player, the export. */
function CameraDay({ camera, day }: { camera: Camera; day: string }) {
  const bounds = dayBounds(day);
  const [ranges, setRanges] = useState<TimeRange[] | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [startMs, setStartMs] = useState<number | null>(null);
  const [playingMs, setPlayingMs] = useState<number | null>(null);

  useEffect(() => {
    const query = `from=${bounds.startMs}&to=${bounds.endMs}`;
    request<RecordedRanges>('GET', `/cameras/${camera.id}/recordings?${query}`).then(
      (r) => setRanges(r.ranges.map((x) => ({ startMs: Date.parse(x.start), endMs: Date.parse(x.end) }))),
      (err: unknown) => setError(describeError(err)),
    );
  }, [camera.id, bounds.startMs, bounds.endMs]);

  return (
    <section aria-label={`${camera.name} on ${day}`}>
      <ErrorAlert error={error} />
      {ranges === null ? (
        !error && <p aria-busy="true">Loading the timeline…</p>
      ) : (
        <>
          <Timeline day={bounds} ranges={ranges} playingMs={playingMs} onPick={setStartMs} />
          {ranges.length === 0 && <p className="muted">Nothing was recorded on this day.</p>}
        </>
      )}
      {startMs !== null && <Player key={startMs} cameraId={camera.id} fromMs={startMs} toMs={bounds.endMs} onTime={setPlayingMs} />}
      {camera.permissions.includes('export') && <ExportForm cameraId={camera.id} day={day} ranges={ranges ?? []} suggestedStartMs={playingMs ?? startMs} />}
    </section>
  );
}
