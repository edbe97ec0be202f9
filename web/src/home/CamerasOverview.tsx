import { api } from '../api.js';
import { formatBitrate, RECORDING_LABELS, recordingState, STATE_LABELS } from '../cameras/describe.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { useLoaded } from '../security/useLoaded.js';
import { emptyListMessage } from '../cameras/camera-list-notes.js';

/** Often enough that a camera dropping out shows while the page is open. */
const REFRESH_MS = 5_000;

/** The home page's first card: every camera this person may see, whether it is online and recording, and at what bitrate. */
export function CamerasOverview({ mayWatch }: { mayWatch: boolean }) {
  const { value: list, error } = useLoaded(api.cameraList, REFRESH_MS);
  const cameras = list?.cameras ?? null;
  return (
    <section className="card" aria-labelledby="cameras-heading">
      <h2 id="cameras-heading">Cameras</h2>
      <ErrorAlert error={error} />
      {cameras === null ? (
        !error && <p aria-busy="true">Loading…</p>
      ) : cameras.length === 0 ? (
        <p className="muted" data-testid="home-cameras-empty">
          {list?.othersHidden ? emptyListMessage({ othersHidden: true, mayAdd: false }) : 'No cameras to show.'}
        </p>
      ) : (
        <ul className="camera-overview">
          {cameras.map((camera) => {
            const recording = recordingState(camera);
            return (
              <li key={camera.id} data-testid="home-camera" data-name={camera.name}>
                <span className="camera-name">{camera.name}</span>
                <span className="badge" data-state={camera.status.state} data-testid="home-camera-state">
                  {STATE_LABELS[camera.status.state]}
                </span>
                <span className="recording" data-recording={recording} data-testid="home-camera-recording">
                  {RECORDING_LABELS[recording]}
                </span>
                <span className="muted" data-testid="home-camera-bitrate">
                  {camera.status.bitrate !== null ? formatBitrate(camera.status.bitrate) : '—'}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {mayWatch && cameras !== null && cameras.length > 0 && (
        <p className="card-links">
          <a href="#/live">Watch live</a> · <a href="#/playback">Play back</a>
        </p>
      )}
    </section>
  );
}
