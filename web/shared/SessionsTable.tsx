import { formatTime } from './format-time.js';

/** One session as the table shows it. */
export interface SessionRow {
  id: string;
  /** The session of this very browser: it cannot be revoked from here (logging out ends it). */
  current: boolean;
  /** The browser or app, in a few words. */
  client: string;
  /** The raw User-Agent header, at hand (hover, or a screen reader's description) for the rare one the name hides. */
  userAgent?: string;
  ip: string;
  createdAt: string;
  lastSeenAt: string;
}

/** The browsers and apps logged in to an account; a table on a wide screen, a list of cards on a phone. */
export function SessionsTable({ sessions, revoking, onRevoke }: { sessions: SessionRow[]; revoking: string | null; onRevoke: (id: string) => void }) {
  return (
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
                <span className="browser-name" title={session.userAgent} data-testid="session-browser">
                  {session.client}
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
                  <button type="button" className="danger" disabled={revoking !== null} onClick={() => onRevoke(session.id)}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
