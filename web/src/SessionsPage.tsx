import { api } from './api.js';
import { ErrorAlert } from '../shared/ErrorAlert.js';
import { Page } from '../shared/Page.js';
import { SessionsTable } from '../shared/SessionsTable.js';
import { useRefreshingList } from './useRefreshingList.js';
import { describeUserAgent } from '../../src/shared/user-agent.js';

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
        <SessionsTable
          sessions={sessions.map((s) => ({ ...s, client: describeUserAgent(s.userAgent) }))}
          revoking={revoking}
          onRevoke={(id) => void revoke(id)}
        />
      )}
    </Page>
  );
}
