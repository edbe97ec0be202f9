import { useState } from 'react';
import { api, type FoundCamera, type LanDevice } from '../api.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { useFormAction } from '../useFormAction.js';
import { ActivateFoundCamera, AddFoundCamera } from './FoundCameras.js';

const RECOVERY_NAMES: Record<string, string> = {
  email: 'email',
  phone: 'phone',
  securityQuestions: 'security questions',
  recoveryKey: 'recovery key',
  resetButton: 'reset button',
  vendorSupport: 'vendor support',
  cloud: 'cloud',
};

/** What the recorder's checks of an answer say, in words: the ones not signed by their device's key are warnings. */
const ANSWER_WORDS: Record<LanDevice['status'], string> = {
  verified: 'Signed by its device key',
  key_mismatch: 'Forged: the key is not the one it names',
  bad_signature: 'Forged: not signed by its key',
  serial_conflict: 'Two keys answer for this serial: one is not this device',
};

/** A Vigil camera's answer as the forms of the WS-Discovery list take it: they add or activate by its ONVIF device service. */
function asFoundCamera(device: LanDevice & { url: string }): FoundCamera {
  return {
    endpoint: `vigil:${device.serial}`,
    address: new URL(device.url).host,
    deviceUrl: device.url,
    model: device.model,
    manufacturer: 'Vigil',
    serialNumber: device.serial,
    firmwareVersion: device.firmwareVersion,
    activation: device.activated ? 'active' : 'inactive',
  };
}

/**
 * "Vigil devices on the network": the recorders and cameras that answer Vigil's own discovery, as
 * `vigil discover` lists them, each answer checked against its device key. A camera is added or
 * activated here as from the WS-Discovery list; a recorder is opened at its own address. A forged
 * answer is shown, flagged, with nothing to do.
 */
export function LanDevices({ onAdded }: { onAdded: (name: string, message: string) => Promise<void> }) {
  const [found, setFound] = useState<LanDevice[] | null>(null);
  const [adding, setAdding] = useState<FoundCamera | null>(null);
  const scanning = useFormAction(async () => {
    setAdding(null);
    setFound((await api.findLanDevices()).devices);
  });
  const added = async (name: string, message: string) => {
    setAdding(null);
    await onAdded(name, message);
  };

  return (
    <section aria-labelledby="lan-devices-heading" className="found-cameras">
      <h2 id="lan-devices-heading">Vigil devices on the network</h2>
      <p className="help">
        Recorders and Vigil cameras answer the recorder with their model, serial and state, signed by the key they were made with. An answer that is not
        signed by its key is marked as forged.
      </p>
      <ErrorAlert error={scanning.error} />
      <div className="buttons">
        <button type="button" disabled={scanning.busy} onClick={() => void scanning.submit()}>
          {scanning.busy ? 'Looking…' : 'Find Vigil devices'}
        </button>
      </div>
      {found !== null && found.length === 0 && <p className="muted">No Vigil device answered, not even this recorder: it has no multicast route to the LAN.</p>}
      {found !== null && found.length > 0 && (
        <div className="table-wrap">
          <table className="sessions cameras stacked lan-devices" data-testid="lan-devices">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Address</th>
                <th scope="col">State</th>
                <th scope="col">Recovery</th>
                <th scope="col">Device key</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {found.map((device) => (
                <LanDeviceRow key={`${device.serial} ${device.keyFingerprint} ${device.from}`} device={device} onAdd={setAdding} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {adding?.activation === 'inactive' && <ActivateFoundCamera key={adding.endpoint} camera={adding} onCancel={() => setAdding(null)} onAdded={added} />}
      {adding && adding.activation !== 'inactive' && <AddFoundCamera key={adding.endpoint} camera={adding} onCancel={() => setAdding(null)} onAdded={added} />}
    </section>
  );
}

function LanDeviceRow({ device, onAdd }: { device: LanDevice; onAdd: (camera: FoundCamera) => void }) {
  const recovery = Object.entries(device.recoveryMethods)
    .filter(([, on]) => on)
    .map(([name]) => RECOVERY_NAMES[name] ?? name);
  const url = device.url;
  return (
    <tr data-testid="lan-device" data-serial={device.serial} data-status={device.status} data-from={device.from}>
      <td>
        <span className="username">
          {device.type === 'recorder' ? 'Recorder' : 'Camera'} {device.model}
        </span>
        <span className="help">Serial {device.serial}</span>
        <span className="help">Firmware {device.firmwareVersion}</span>
      </td>
      <td data-label="Address">
        {device.address}
        {!device.address.startsWith(`${device.from}:`) && <span className="help">answered from {device.from}</span>}
      </td>
      <td>
        {device.self && <span className="badge">This recorder</span>}
        <span className="badge" data-state={device.activated ? 'online' : 'disabled'}>
          {device.activated ? 'Activated' : 'Waits for activation'}
        </span>
        {device.cloudBound && <span className="help">Bound to a cloud account</span>}
      </td>
      <td data-label="Recovery">{recovery.length > 0 ? recovery.join(', ') : 'none set up'}</td>
      <td>
        <span className="badge" data-state={device.status === 'verified' ? 'online' : 'offline'}>
          {ANSWER_WORDS[device.status]}
        </span>
        <span className="help key-fingerprint">{device.keyFingerprint}</span>
      </td>
      <td>
        <div className="actions">
          {url !== null && device.type === 'camera' && (
            <button type="button" onClick={() => onAdd(asFoundCamera({ ...device, url }))}>
              {device.activated ? 'Add' : 'Activate'}
            </button>
          )}
          {url !== null && device.type === 'recorder' && !device.self && (
            <a className="button" href={url} target="_blank" rel="noopener noreferrer">
              {device.activated ? 'Open' : 'Open to activate'}
            </a>
          )}
        </div>
      </td>
    </tr>
  );
}
