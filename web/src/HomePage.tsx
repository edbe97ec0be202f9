import type { Device, Me } from './api.js';
import { formatTime } from './format.js';
import { Page } from './Page.js';

export function HomePage({ device, me }: { device: Device; me: Me }) {
  return (
    <Page title="Recorder">
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
          <dt>Session ends at the latest</dt>
          <dd>
            <time dateTime={me.session.expiresAt}>{formatTime(me.session.expiresAt)}</time>
            <span className="muted"> (or after 30 minutes without activity)</span>
          </dd>
        </dl>
      </section>
    </Page>
  );
}
