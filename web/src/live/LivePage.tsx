import { useCallback } from 'react';
import { api } from '../api.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { Page } from '../../shared/Page.js';
import { useLoaded } from '../security/useLoaded.js';
import { LiveTile } from './LiveTile.js';

/** Every camera I may watch, live, in a grid. */
export function LivePage() {
  const load = useCallback(async () => (await api.listCameras()).filter((c) => c.permissions.includes('live') && c.enabled), []);
  const { value: cameras, error } = useLoaded(load);
  return (
    <Page title="Live">
      <ErrorAlert error={error} />
      {cameras === null ? (
        !error && <p aria-busy="true">Loading…</p>
      ) : cameras.length === 0 ? (
        <p className="muted">No cameras to watch.</p>
      ) : (
        <div className="live-grid">
          {cameras.map((camera) => (
            <LiveTile key={camera.id} camera={camera} />
          ))}
        </div>
      )}
    </Page>
  );
}
