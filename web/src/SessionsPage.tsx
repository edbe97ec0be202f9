import { api } from './api.js';
import { ErrorAlert } from '../shared/ErrorAlert.js';
import { formatTime } from './format.js';
import { Page } from '../shared/Page.js';
import { useRefreshingList } from './useRefreshingList.js';
import { describeUserAgent } from './user-agent.js';

export function SessionsPage() {
  const { data: sessions, error, busyWith: revoking, act } = useRefreshingList(api.listSessions);
  const revoke = (id: string) => act(id, () => api.revokeSession(id));

  return (
    <Page title="My sessions">
      <p>These are the browsers and apps where you are logged in. Revoke any you do not recognise.</p>
      <ErrorAlert error={error} />
      {sessions === null ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <div className="table-wrap">
          <table className="sessions stacked">
            <thead>
              <tr>
                <th scope="col">Browser or app</th>
                <th scope="col">IP address</th>
                <th scope="col">Created</th>
                <th scope="col">Last seen</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((session) => (
                <tr key={session.id} data-testid="session-row" data-current={session.current ? 'true' : 'false'}>
                  <td>
                    {session.current && <span className="badge">This device</span>}
                    {/* The raw header stays at hand (hover, or a screen reader's description) for the rare one the name hides. */}
                    <span className="browser-name" title={session.userAgent} data-testid="session-browser">
                      {describeUserAgent(session.userAgent)}
                    </span>
                  </td>
                  <td data-label="IP address">{session.ip}</td>
                  <td data-label="Created">
                    <time dateTime={session.createdAt}>{formatTime(session.createdAt)}</time>
                  </td>
                  <td data-label="Last seen">
                    <time dateTime={session.lastSeenAt}>{formatTime(session.lastSeenAt)}</time>
                  </td>
                  <td>
                    {!session.current && (
                      <button
                        type="button"
                        className="danger"
                        disabled={revoking !== null}
                        onClick={() => void revoke(session.id)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
