import { useCallback, useEffect, useState } from 'react';
import { api, type Me, type TwoFactorStatus } from './api.js';
import { ErrorAlert, Notice } from '../shared/ErrorAlert.js';
import { describeError, type ShownError } from './errors.js';
import { Page } from '../shared/Page.js';
import { ReauthForm, TwoFactorSettings, type TwoFactorApi } from '../shared/TwoFactorSettings.js';

interface Props {
  me: Me;
  /** Two-factor is on and its recovery codes were put away: ends an enrolment the admin required. */
  onEnabled?: () => void;
}

const RECORDER_TWO_FACTOR: TwoFactorApi = api;

/** My two-step login: the authenticator app, recovery codes, and (admins) the policy. */
export function TwoFactorPage({ me, onEnabled }: Props) {
  const [status, setStatus] = useState<TwoFactorStatus | null>(null);
  const [error, setError] = useState<ShownError | null>(null);

  const load = useCallback(async () => {
    try {
      setStatus(await api.getTwoFactor());
    } catch (err) {
      setError(describeError(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  if (status === null) {
    return (
      <Page title="Two-step login">
        <ErrorAlert error={error} />
        <p aria-busy="true">Loading…</p>
      </Page>
    );
  }

  return (
    <Page title="Two-step login">
      {status.enrolmentRequired && (
        <Notice>This recorder requires two-step login for everyone. Set it up to continue.</Notice>
      )}
      <TwoFactorSettings
        api={RECORDER_TWO_FACTOR}
        status={status}
        reload={load}
        username={me.user.username}
        passkeyHelp="Passkeys work only when you open the recorder by its name (such as https://recorder.local), not by its IP address."
        describeError={describeError}
        onEnabled={onEnabled}
      >
        {me.user.role === 'admin' && <RequireForEveryone status={status} onChanged={load} />}
      </TwoFactorSettings>
    </Page>
  );
}

function RequireForEveryone({ status, onChanged }: { status: TwoFactorStatus; onChanged: () => Promise<void> }) {
  const [required, setRequired] = useState(status.requiredForEveryone);
  return (
    <ReauthForm
      heading="Require two-step login for everyone"
      explanation="Users without two-step login can then only set it up after logging in. Set it up for yourself first."
      action="Save"
      onSubmit={async (password) => {
        await api.setTwoFactorPolicy(required, password);
        await onChanged();
      }}
    >
      <div className="field">
        <label>
          <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} /> Require two-step login
          for every user
        </label>
      </div>
    </ReauthForm>
  );
}
