import { useState } from 'react';
import { api, type Device, type Me } from './api.js';
import { ChangePasswordForm } from '../shared/ChangePasswordForm.js';
import { Notice } from '../shared/ErrorAlert.js';
import { describeError } from './errors.js';
import { Page } from '../shared/Page.js';

interface Props {
  device: Device;
  me: Me;
  /** Set right after a login with a one-time password: the user must choose their own before anything else. */
  forced?: { onChanged: () => void };
}

export function ChangePasswordPage({ device, me, forced }: Props) {
  const [revoked, setRevoked] = useState<number | null>(null);
  const username = me.user.username;

  async function change(currentPassword: string, newPassword: string) {
    setRevoked(null);
    const { revokedSessions } = await api.changePassword(currentPassword, newPassword);
    if (forced) return forced.onChanged();
    setRevoked(revokedSessions);
  }

  return (
    <Page title={forced ? 'Choose a new password' : 'Change password'}>
      {forced && (
        <Notice>
          You logged in with a one-time password from an admin. Choose your own password now: the admin will not know
          it, and the one-time password stops working.
        </Notice>
      )}
      {revoked !== null && (
        <Notice>
          Your password was changed.{' '}
          {revoked === 0
            ? 'You were not logged in anywhere else.'
            : `${revoked} other ${revoked === 1 ? 'session was' : 'sessions were'} signed out.`}
        </Notice>
      )}
      <ChangePasswordForm
        username={username}
        context={{ username, serial: device.serial, model: device.model }}
        currentLabel={forced ? 'One-time password' : 'Current password'}
        submitLabel={forced ? 'Set my password' : 'Change password'}
        note={forced ? undefined : 'Changing your password signs you out everywhere else.'}
        change={change}
        describeError={describeError}
      />
    </Page>
  );
}
