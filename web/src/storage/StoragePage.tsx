import { lazy, Suspense, useMemo } from 'react';
import { api, type StorageHistory, type StorageStatus } from '../api.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { Page } from '../../shared/Page.js';
import { formatBytes, formatDays } from '../format.js';
import { StorageFacts } from '../home/StorageOverview.js';
import { useLoaded } from '../security/useLoaded.js';
import { cameraLabel, usageSeries } from './usage-series.js';

// uPlot is for this page alone: the other pages do not load it.
const UsageChart = lazy(() => import('./UsageChart.js'));

const REFRESH_MS = 60_000;

/** The storage settings page: how full the disk is, what retention keeps, and what each camera takes, day by day. */
export function StoragePage() {
  const storage = useLoaded(api.getStorage, REFRESH_MS);
  const history = useLoaded(api.getStorageHistory, REFRESH_MS);
  return (
    <Page title="Storage">
      <section className="card" aria-labelledby="disk-heading">
        <h2 id="disk-heading">Disk</h2>
        <ErrorAlert error={storage.error} />
        {storage.value === null ? !storage.error && <p aria-busy="true">Loading…</p> : <StorageFacts storage={storage.value} limits={false} />}
      </section>
      <section className="card" aria-labelledby="retention-heading">
        <h2 id="retention-heading">Retention</h2>
        {storage.value !== null && <RetentionRules storage={storage.value} oldest={oldestDate(history.value)} />}
      </section>
      <ErrorAlert error={history.error} />
      {history.value === null ? !history.error && <p aria-busy="true">Loading…</p> : <CameraUse history={history.value} />}
    </Page>
  );
}

function RetentionRules({ storage, oldest }: { storage: StorageStatus; oldest: string | null }) {
  return (
    <>
      <p>
        {storage.maxAgeDays === null
          ? 'Footage is kept as long as it fits: when the footage reaches its limit, the oldest is deleted first.'
          : `Footage older than ${formatDays(storage.maxAgeDays)} is deleted, and the oldest goes first whenever the footage reaches its limit.`}
      </p>
      <dl className="facts">
        <dt>Age limit</dt>
        <dd data-testid="retention-age">{storage.maxAgeDays === null ? 'None' : formatDays(storage.maxAgeDays)}</dd>
        <dt>Quota</dt>
        <dd data-testid="retention-quota">
          {storage.quotaBytes === null ? 'None' : formatBytes(storage.quotaBytes)}
          {storage.quotaBytes === null && <span className="help">The footage may take the disk, less a reserve kept free for the recorder itself.</span>}
        </dd>
        <dt>Oldest footage</dt>
        <dd data-testid="retention-oldest">{oldest === null ? 'None yet' : `Recorded on ${formatDate(oldest)}`}</dd>
      </dl>
      <p className="help">
        These limits are set when the recorder starts: <code>--retention-days</code> for the age limit, <code>--footage-quota</code> for the quota (see{' '}
        <code>vigil recorder --help</code>).
      </p>
    </>
  );
}

function CameraUse({ history }: { history: StorageHistory }) {
  const series = useMemo(() => usageSeries(history), [history]);
  const total = history.cameras.reduce((sum, camera) => sum + camera.footageBytes, 0);
  return (
    <>
      <section className="card" aria-labelledby="per-camera-heading">
        <h2 id="per-camera-heading">Use per camera</h2>
        {history.cameras.length === 0 ? (
          <p className="muted">Nothing is recorded yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="sessions stacked">
              <thead>
                <tr>
                  <th scope="col">Camera</th>
                  <th scope="col">Footage</th>
                  <th scope="col">Share</th>
                  <th scope="col">Days recorded</th>
                </tr>
              </thead>
              <tbody>
                {history.cameras.map((camera) => (
                  <tr key={camera.cameraId} data-testid="camera-use" data-name={cameraLabel(camera)}>
                    <td>
                      <span className="username">{cameraLabel(camera)}</span>
                    </td>
                    <td data-label="Footage" data-testid="camera-use-bytes">
                      {formatBytes(camera.footageBytes)}
                    </td>
                    <td data-label="Share">{Math.round((camera.footageBytes / total) * 100)}%</td>
                    <td data-label="Days recorded">{camera.days.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {series.days.length > 0 && (
        <section className="card" aria-labelledby="over-time-heading">
          <h2 id="over-time-heading">Use over time</h2>
          <p className="help" id="over-time-help">
            Footage kept on the disk, per camera and per day it was recorded. Days before retention deleted their footage are not shown.
          </p>
          <Suspense fallback={<p aria-busy="true">Loading the chart…</p>}>
            <UsageChart series={series} />
          </Suspense>
        </section>
      )}
    </>
  );
}

function oldestDate(history: StorageHistory | null): string | null {
  const dates = history?.cameras.flatMap((camera) => camera.days.map((day) => day.date)) ?? [];
  return dates.length === 0 ? null : dates.reduce((a, b) => (a < b ? a : b));
}

/** "2026-12-06" → "6 December 2026", read as a calendar day (not a UTC instant). */
const formatDate = (date: string) => new Date(`${date}T00:00:00`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
