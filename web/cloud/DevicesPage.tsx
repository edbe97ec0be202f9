import { useState } from 'react';
import { ErrorAlert, Notice } from '../shared/ErrorAlert.js';
import { formatTime } from '../shared/format-time.js';
import { LabelCodeField } from '../shared/LabelCodeField.js';
import { NewPasswordFields, passwordsReady } from '../shared/NewPasswordFields.js';
import { Page } from '../shared/Page.js';
import { usePasswordVerdict } from '../shared/usePasswordVerdict.js';
import { devicesApi, type BoundDevice, type RemoteReset } from './devices-api.js';
import { useFormAction, useRefreshingList } from './errors.js';

/** My devices: the recorders bound to this account, whether each is online, binding another, and the online remote reset. */
export function DevicesPage() {
  const devices = useRefreshingList(devicesApi.list);
  const [notice, setNotice] = useState<string | null>(null);
  const [resetting, setResetting] = useState<BoundDevice | null>(null);

  if (resetting) {
    return (
      <RemoteResetPage
        device={resetting}
        onDone={(message) => {
          setResetting(null);
          setNotice(message);
          void devices.reload();
        }}
      />
    );
  }

  return (
    <Page title="My devices">
      {notice && <Notice>{notice}</Notice>}
      <ErrorAlert error={devices.error} />
      {devices.data === null ? (
        !devices.error && <p aria-busy="true">Loading…</p>
      ) : devices.data.length === 0 ? (
        <p className="muted">No recorder is bound to your account yet.</p>
      ) : (
        <ul className="device-list">
          {devices.data.map((device) => (
            <li key={device.serial} className="card" data-testid="device" data-serial={device.serial}>
              <h2>
                {device.model} <span className="serial">{device.serial}</span>
              </h2>
              <p>
                <span className="badge" data-state={device.online ? 'online' : 'offline'}>
                  {device.online ? 'Online' : 'Offline'}
                </span>{' '}
                <span className="help">
                  bound <time dateTime={device.boundAt}>{formatTime(device.boundAt)}</time>
                </span>
              </p>
              {!device.online && <p className="help">The cloud cannot reach it now: it must be on, started with --cloud, and reach the internet.</p>}
              <div className="actions device-actions">
                <button type="button" disabled={!device.online || devices.busyWith !== null} onClick={() => setResetting(device)}>
                  Reset its admin password
                </button>
                <button
                  type="button"
                  className="danger"
                  disabled={devices.busyWith !== null}
                  onClick={() => {
                    if (!window.confirm(`Unbind ${device.serial}? The cloud can then no longer reset it; binding it again needs its label code.`)) return;
                    setNotice(null);
                    void devices.act(device.serial, async () => {
                      await devicesApi.unbind(device.serial);
                      setNotice(`${device.serial} is no longer bound to your account.`);
                    });
                  }}
                >
                  Unbind
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <BindForm
        onBound={(device) => {
          setNotice(`${device.model} ${device.serial} is bound to your account.`);
          void devices.reload();
        }}
      />
    </Page>
  );
}

function BindForm({ onBound }: { onBound: (device: BoundDevice) => void }) {
  const [serial, setSerial] = useState('');
  const [labelCode, setLabelCode] = useState('');
  const { submit, error, busy } = useFormAction(async () => {
    const device = await devicesApi.bind(serial.trim(), labelCode.trim());
    setSerial('');
    setLabelCode('');
    onBound(device);
  });
  return (
    <form onSubmit={submit} aria-labelledby="bind-heading" className="card">
      <h2 id="bind-heading">Bind a recorder</h2>
      <p className="help note">The recorder must be on and started with --cloud, so the cloud can ask it. The serial number and the label code are on its sticker.</p>
      <div className="field">
        <label htmlFor="bind-serial">Serial number</label>
        <input
          id="bind-serial"
          name="serial"
          type="text"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          required
          maxLength={64}
          value={serial}
          onChange={(e) => setSerial(e.target.value)}
        />
      </div>
      <LabelCodeField value={labelCode} onChange={setLabelCode} />
      <ErrorAlert error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Binding…' : 'Bind recorder'}
      </button>
    </form>
  );
}

type Waiting = Extract<RemoteReset, { waiting: unknown }>['waiting'];

/** The online remote reset: the recorder's admin and a new password under the recorder's policy. */
function RemoteResetPage({ device, onDone }: { device: BoundDevice; onDone: (message: string) => void }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [waiting, setWaiting] = useState<Waiting | null>(null);
  const strength = usePasswordVerdict(password, { username, serial: device.serial, model: device.model });
  const { submit, error, busy } = useFormAction(async () => {
    const name = username.trim();
    const answer = await devicesApi.reset(device.serial, name, password);
    if ('waiting' in answer) setWaiting(answer.waiting);
    else onDone(`The password of ${name} on ${device.serial} is set: log in to the recorder with it. Everyone logged in to the recorder as ${name} was logged out.`);
  });
  const title = `Reset the admin of ${device.serial}`;
  if (waiting) return <WaitingPeriod title={title} waiting={waiting} onDone={() => onDone('The reset waits for the recorder’s waiting period.')} />;
  return (
    <Page title={title}>
      <p>
        Set a new password for your recorder's admin, through the cloud. The recorder logs that user out everywhere and records the reset as done from
        the cloud.
      </p>
      <p className="help note">For your safety this works only within 10 minutes of logging in to the cloud.</p>
      <form onSubmit={submit} aria-label="Remote reset">
        <div className="field">
          <label htmlFor="reset-username">Admin username on the recorder</label>
          <input
            id="reset-username"
            name="username"
            type="text"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            required
            maxLength={64}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <NewPasswordFields label="New password" password={password} confirm={confirm} onPasswordChange={setPassword} onConfirmChange={setConfirm} strength={strength} />
        <ErrorAlert error={error} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy || !passwordsReady(strength, password, confirm)}>
            {busy ? 'Resetting…' : 'Reset password'}
          </button>
          <button type="button" onClick={() => onDone('Nothing was changed.')}>
            Cancel
          </button>
        </div>
      </form>
    </Page>
  );
}

/** 202: the recorder's admin asked for a delay on cloud resets, against a stolen cloud account. */
function WaitingPeriod({ title, waiting, onDone }: { title: string; waiting: Waiting; onDone: () => void }) {
  return (
    <Page title={title}>
      <div className="alert alert-info" role="status">
        <p>
          <strong>Nothing has changed yet.</strong> The recorder accepted your reset of <strong>{waiting.username}</strong>, but its admin set a waiting
          period for resets from the cloud: it takes effect at <strong>{formatTime(waiting.effectiveAt)}</strong>.
        </p>
      </div>
      <p>
        Until then the recorder tells every address registered on it, and its admin can cancel the reset there. The new password you chose is not kept.
      </p>
      <p>
        Keep this claim code, privately: once the time has come, it finishes the reset at the recorder, from your local network. On the
        recorder&apos;s login page, choose “Forgot password?”, then “My cloud account”, and type it under “A claim code from the cloud”.
      </p>
      <p className="claim-code">
        <code>{waiting.claimToken}</code>
      </p>
      <button type="button" className="primary" onClick={onDone}>
        Back to my devices
      </button>
    </Page>
  );
}
