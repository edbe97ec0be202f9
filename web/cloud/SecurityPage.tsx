import { useState } from 'react';
import { ChangePasswordForm } from '../shared/ChangePasswordForm.js';
import { ErrorAlert, Notice } from '../shared/ErrorAlert.js';
import { Page } from '../shared/Page.js';
import { SessionsTable } from '../shared/SessionsTable.js';
import { api, type Account } from './api.js';
import { describeError, useRefreshingList } from './errors.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** My security: the password, two-step login, and where the account is logged in. */
export function SecurityPage({ account }: { account: Account }) {
  const sessions = useRefreshingList(api.listSessions);
  const [notice, setNotice] = useState<string | null>(null);
  const login = account.email ?? account.phone ?? '';

  async function changePassword(currentPassword: string, newPassword: string) {
    setNotice(null);
    const { endedSessions } = await api.changePassword(currentPassword, newPassword);
    setNotice(`Your password was changed. ${endedSessions === 0 ? 'You were not logged in anywhere else.' : `${plural(endedSessions, 'other session was', 'other sessions were')} signed out.`}`);
    await sessions.reload();
  }

  async function endOthers() {
    setNotice(null);
    await sessions.act('others', async () => {
      const ended = await api.endOtherSessions();
      setNotice(ended === 0 ? 'You were not logged in anywhere else.' : `${plural(ended, 'other session was', 'other sessions were')} signed out.`);
    });
  }

  const others = sessions.data?.filter((s) => !s.current).length ?? 0;
  return (
    <Page title="My security">
      <p>
        Your account: <strong className="address">{login}</strong>
      </p>
      {notice && <Notice>{notice}</Notice>}
      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <ChangePasswordForm
          username={login}
          context={{ username: login.split('@')[0] }}
          currentLabel="Current password"
          submitLabel="Change password"
          note="Changing your password signs you out everywhere else, and a notice goes to your address."
          change={changePassword}
          describeError={describeError}
        />
      </section>
      <TwoFactorStatus account={account} />
      <section className="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Where you are logged in</h2>
        <p className="help note">The browsers and apps logged in to your account. End any you do not recognise, then change your password.</p>
        <ErrorAlert error={sessions.error} />
        {sessions.data === null ? (
          <p aria-busy="true">Loading…</p>
        ) : (
          <>
            <SessionsTable
              sessions={sessions.data.map((s) => ({ ...s, ip: s.lastSeenIp }))}
              revoking={sessions.busyWith}
              onRevoke={(id) => void sessions.act(id, () => api.endSession(id))}
            />
            {others > 0 && (
              <p>
                <button type="button" className="danger" disabled={sessions.busyWith !== null} onClick={() => void endOthers()}>
                  Log out everywhere else
                </button>
              </p>
            )}
          </>
        )}
      </section>
    </Page>
  );
}

function TwoFactorStatus({ account }: { account: Account }) {
  const { totp, passkeys, recoveryCodesRemaining } = account.twoFactor;
  const on = totp === 'on' || passkeys > 0;
  const ways = [totp === 'on' && 'an authenticator app', passkeys > 0 && plural(passkeys, 'passkey', 'passkeys')].filter(Boolean).join(' and ');
  return (
    <section className="card" aria-labelledby="two-factor-heading">
      <h2 id="two-factor-heading">Two-step login</h2>
      {on ? (
        <p>
          <strong>On</strong>: a login needs your password and {ways}. {plural(recoveryCodesRemaining, 'recovery code is', 'recovery codes are')} left for when you
          have neither. <a href="#/two-factor">Manage two-step login</a>
        </p>
      ) : (
        <p>
          <strong>Off</strong>: your password alone opens your account. <a href="#/two-factor">Set up two-step login</a>
        </p>
      )}
    </section>
  );
}
