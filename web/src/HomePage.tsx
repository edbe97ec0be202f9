import { useEffect, useState } from 'react';
import { api, type Device, type Me } from './api.js';
import { Notice } from '../shared/ErrorAlert.js';
import { formatTime } from '../shared/format-time.js';
import { CamerasOverview } from './home/CamerasOverview.js';
import { StorageOverview } from './home/StorageOverview.js';
import { mayUseCamera, mayUseCameras } from './MainNav.js';
import { NotificationEmailCard } from './NotificationEmailCard.js';
import { Page } from '../shared/Page.js';
import { RecoveryNudge } from './recovery/RecoveryNudge.js';

export function HomePage({ device, me: initial }: { device: Device; me: Me }) {
  const [me, setMe] = useState(initial);

  // Refresh on arrival: the session's expiry slides with activity.
  useEffect(() => {
    let current = true;
    api.refreshMe().then(
      (fresh) => current && setMe(fresh),
      () => {}, // a 401 is handled globally (back to the login page); otherwise keep what we have
    );
    return () => {
      current = false;
    };
  }, []);

  return (
    <Page title="Recorder">
      {me.user.role === 'admin' && <RecoveryNudge />}
      {me.passwordAgeReminder && (
        <Notice>
          Your password is {me.passwordAgeReminder.ageDays} days old; this recorder suggests a new one after{' '}
          {me.passwordAgeReminder.maxDays} days. <a href="#/change-password">Change it</a> when you can.
        </Notice>
      )}
      {/* What people open a recorder for first: are the cameras up and recording, and how long does the disk keep it. */}
      <div className="home-status">
        {mayUseCameras(me) && <CamerasOverview mayWatch={mayUseCamera(me, 'live')} />}
        <StorageOverview />
      </div>
      <section className="card" aria-labelledby="device-heading">
        <h2 id="device-heading">Device</h2>
        <dl className="facts">
          <dt>Model</dt>
          <dd data-testid="device-model">{device.model}</dd>
          <dt>Serial number</dt>
          <dd data-testid="device-serial">{device.serial}</dd>
          <dt>Firmware</dt>
          <dd data-testid="device-firmware">{device.firmwareVersion}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="account-heading">
        <h2 id="account-heading">Your account</h2>
        <dl className="facts">
          <dt>Logged in as</dt>
          <dd data-testid="current-user">{me.user.username}</dd>
          <dt>Role</dt>
          <dd data-testid="current-role">{me.user.role}</dd>
          <dt>Session expires</dt>
          <dd>
            <time data-testid="session-expires" dateTime={me.session.expiresAt}>
              {formatTime(me.session.expiresAt)}
            </time>
            <span className="help">Using the recorder pushes this back, up to a fixed limit after you logged in.</span>
          </dd>
        </dl>
      </section>
      <NotificationEmailCard />
    </Page>
  );
}
