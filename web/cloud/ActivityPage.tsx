import { useEffect, useState } from 'react';
import { describeEvent, describeOutcome } from '../shared/audit-events.js';
import { ErrorAlert } from '../shared/ErrorAlert.js';
import { formatTime } from '../shared/format-time.js';
import { Page } from '../shared/Page.js';
import { listActivity, type ActivityPage as Loaded } from './activity-api.js';
import { describeError, type ShownError } from './errors.js';

/** Account activity: the security events of this account, newest first (from the cloud's audit chain). */
export function ActivityPage() {
  // The `before` of each page read, newest first: "Newer" goes back one.
  const [starts, setStarts] = useState<(number | null)[]>([null]);
  const [page, setPage] = useState<Loaded | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const before = starts[starts.length - 1]!;

  useEffect(() => {
    let stale = false;
    setPage(null);
    listActivity(before).then(
      (loaded) => !stale && setPage(loaded),
      (err: unknown) => !stale && setError(describeError(err)),
    );
    return () => {
      stale = true;
    };
  }, [before]);

  return (
    <Page title="Account activity">
      <p>Logins, password and two-step login changes, and what was done with your recorders. Something you did not do? Change your password, then end your other sessions.</p>
      <ErrorAlert error={error} />
      {page === null ? (
        !error && <p aria-busy="true">Loading…</p>
      ) : (
        <div className="table-wrap">
          <table className="sessions stacked">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">Outcome</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {page.events.map((event) => (
                <tr key={event.seq} data-testid="activity-row" data-type={event.type}>
                  <td>
                    <time dateTime={event.at}>{formatTime(event.at)}</time>
                  </td>
                  <td>
                    <strong>{describeEvent(event.type)}</strong>
                  </td>
                  <td data-label="Outcome">{describeOutcome(event.outcome)}</td>
                  <td data-label="From">{event.sourceIp ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="buttons pager">
        <button type="button" disabled={starts.length === 1} onClick={() => setStarts(starts.slice(0, -1))}>
          Newer
        </button>
        <button type="button" disabled={page?.next == null} onClick={() => page?.next != null && setStarts([...starts, page.next])}>
          Older
        </button>
      </div>
    </Page>
  );
}
