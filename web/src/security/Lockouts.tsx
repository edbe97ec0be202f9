import { api, type Lockout } from '../api.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { formatTime } from '../../shared/format-time.js';
import { useRefreshingList } from '../useRefreshingList.js';

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function clientLabel(lock: Lockout): string {
  switch (lock.clientKind) {
    case 'address':
      return `Address ${lock.client}`;
    case 'device':
      return `Known browser ${lock.client}…`;
    case 'unknown_clients':
      return 'Every new browser or address';
  }
}

/** Clients locked out of an account after failed logins, with Unlock, and the policy that locked them. */
export function Lockouts() {
  const { data, error, busyWith: unlocking, act } = useRefreshingList(api.listLockouts);
  const unlock = (id: string) => act(id, () => api.unlock(id));

  const policy = data?.policy;
  return (
    <section className="card" aria-labelledby="lockouts-heading">
      <h2 id="lockouts-heading">Locked-out logins</h2>
      {policy && (
        <p data-testid="lockout-policy">
          After {policy.userThreshold} failed logins in a row
          {policy.adminThreshold !== policy.userThreshold && ` (${policy.adminThreshold} for admins)`}, a browser or address is
          locked out of that account for {duration(policy.baseBlockSeconds)}, doubling with each further failure up to{' '}
          {duration(policy.maxBlockSeconds)}. New browsers and addresses together get at most{' '}
          {policy.unknownClientGuessesPerHour} tries an hour per account. Browsers that logged in before are not affected by
          others' lockouts.
        </p>
      )}
      <ErrorAlert error={error} />
      {data === null ? (
        <p aria-busy="true">Loading…</p>
      ) : data.lockouts.length === 0 ? (
        <p className="muted">Nobody is locked out.</p>
      ) : (
        <div className="table-wrap">
          <table className="sessions">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Locked out</th>
                <th scope="col">Failures</th>
                <th scope="col">Until</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.lockouts.map((lock) => (
                <tr key={lock.id} data-testid="lockout-row">
                  <td>
                    {lock.account.username}
                    {lock.account.userId === null && <span className="help">no such account</span>}
                  </td>
                  <td>{clientLabel(lock)}</td>
                  <td>{lock.failures}</td>
                  <td>
                    <time dateTime={lock.lockedUntil}>{formatTime(lock.lockedUntil)}</time>
                  </td>
                  <td>
                    <button type="button" className="danger" disabled={unlocking !== null} onClick={() => void unlock(lock.id)}>
                      Unlock
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
