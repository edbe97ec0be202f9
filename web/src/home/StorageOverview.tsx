import { api, type StorageStatus } from '../api.js';
import { formatBitrate } from '../cameras/describe.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { formatBytes, formatDays } from '../format.js';
import { useLoaded } from '../security/useLoaded.js';

const REFRESH_MS = 30_000;

/** The home page's disk card: how full, what limits the footage, and how many days fit at today's rate. */
export function StorageOverview() {
  const { value: storage, error } = useLoaded(api.getStorage, REFRESH_MS);
  return (
    <section className="card" aria-labelledby="storage-heading">
      <h2 id="storage-heading">Storage</h2>
      <ErrorAlert error={error} />
      {storage === null ? !error && <p aria-busy="true">Loading…</p> : <StorageFacts storage={storage} />}
    </section>
  );
}

/** `limits`: the quota and the age limit too; the storage page shows them with the rest of retention instead. */
export function StorageFacts({ storage, limits = true }: { storage: StorageStatus; limits?: boolean }) {
  const used = storage.diskTotalBytes - storage.diskFreeBytes;
  const share = storage.limitBytes > 0 ? Math.min(1, storage.footageBytes / storage.limitBytes) : 1;
  return (
    <>
      <p className="days-that-fit" data-testid="days-that-fit">
        {daysSentence(storage)}
      </p>
      <div
        className="usage-bar"
        role="meter"
        aria-label="Footage against its limit"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(share * 100)}
        aria-valuetext={`${formatBytes(storage.footageBytes)} of ${formatBytes(storage.limitBytes)}`}
      >
        <span style={{ width: `${share * 100}%` }} />
      </div>
      <dl className="facts">
        <dt>Footage</dt>
        <dd data-testid="storage-footage">
          {formatBytes(storage.footageBytes)} of {formatBytes(storage.limitBytes)}
          <span className="help">
            {storage.quotaBytes !== null && storage.quotaBytes <= storage.limitBytes
              ? 'The limit is the footage quota set for this recorder.'
              : 'The limit is the disk, less a reserve kept free for the recorder itself.'}{' '}
            Past it the oldest footage is deleted.
          </span>
        </dd>
        <dt>Disk</dt>
        <dd data-testid="storage-disk">
          {formatBytes(used)} used, {formatBytes(storage.diskFreeBytes)} free of {formatBytes(storage.diskTotalBytes)}
        </dd>
        {limits && (
          <>
            <dt>Quota</dt>
            <dd data-testid="storage-quota">{storage.quotaBytes === null ? 'None' : formatBytes(storage.quotaBytes)}</dd>
          </>
        )}
        {limits && storage.maxAgeDays !== null && (
          <>
            <dt>Kept for</dt>
            <dd>at most {formatDays(storage.maxAgeDays)}</dd>
          </>
        )}
      </dl>
    </>
  );
}

/** "About 6.2 days of footage fit at the current rate (0.8 Mbit/s)", bounded by the age limit when there is one. */
function daysSentence(storage: StorageStatus): string {
  if (storage.daysThatFit === null || storage.writeBytesPerSecond === null) return 'Nothing was recorded in the last hour, so there is no rate to tell how long footage lasts.';
  const rate = formatBitrate(storage.writeBytesPerSecond * 8);
  const fit = `About ${formatDays(storage.daysThatFit)} of footage fit at the current rate (${rate})`;
  if (storage.maxAgeDays !== null && storage.maxAgeDays < storage.daysThatFit) {
    return `${fit}; footage older than ${formatDays(storage.maxAgeDays)} is deleted first.`;
  }
  return `${fit}.`;
}
