import { useState } from 'react';
import { api, type FoundCamera } from '../api.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { useFormAction } from '../useFormAction.js';

const ACTIVATION_LABELS: Record<FoundCamera['activation'], string> = {
  active: 'Active',
  inactive: 'Waits for activation',
  unknown: 'Ready',
};

/**
 * "Find cameras on the network": a WS-Discovery scan of the LAN by the recorder, each camera with
 * an Add button (its own login only: the recorder asks the camera for its stream's address over
 * ONVIF), or Activate for a Vigil camera that waits for its label code.
 */
export function FoundCameras({ onAdded }: { onAdded: (name: string, message: string) => Promise<void> }) {
  const [found, setFound] = useState<FoundCamera[] | null>(null);
  const [adding, setAdding] = useState<FoundCamera | null>(null);
  const added = async (name: string, message: string) => {
    setAdding(null);
    await onAdded(name, message);
  };
  const scanning = useFormAction(async () => {
    setAdding(null);
    setFound((await api.findCameras()).cameras);
  });

  return (
    <section aria-labelledby="find-cameras-heading" className="found-cameras">
      <h2 id="find-cameras-heading">Cameras on the network</h2>
      <p className="help">The recorder asks the local network for ONVIF cameras (WS-Discovery). It takes a few seconds.</p>
      <ErrorAlert error={scanning.error} />
      <div className="buttons">
        <button type="button" disabled={scanning.busy} onClick={() => void scanning.submit()}>
          {scanning.busy ? 'Looking…' : 'Find cameras on the network'}
        </button>
      </div>
      {found !== null && found.length === 0 && <p className="muted">No camera answered. Cameras on another network, or with ONVIF turned off, do not.</p>}
      {found !== null && found.length > 0 && (
        <div className="table-wrap">
          <table className="sessions cameras stacked" data-testid="found-cameras">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Address</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {found.map((camera) => (
                <tr key={camera.endpoint} data-testid="found-camera" data-endpoint={camera.endpoint}>
                  <td>
                    <span className="username">{camera.model ?? 'Unknown model'}</span>
                    {camera.manufacturer && <span className="help">{camera.manufacturer}</span>}
                  </td>
                  <td>{camera.address}</td>
                  <td>
                    <span className="badge" data-state={camera.activation === 'inactive' ? 'disabled' : 'online'}>
                      {ACTIVATION_LABELS[camera.activation]}
                    </span>
                    {camera.activation === 'inactive' && <span className="help">Activate it with the label code on the camera.</span>}
                  </td>
                  <td>
                    <div className="actions">
                      <button type="button" onClick={() => setAdding(camera)}>
                        {camera.activation === 'inactive' ? 'Activate' : 'Add'}
                      </button>
                    </div>
                  </td>
                </tr>
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

/** What the probe after adding found, in words for the notice. */
const streamOutcome = (probe: { ok: boolean; message?: string }) => (probe.ok ? 'its stream was found' : `its stream could not be read yet (${probe.message ?? 'no answer'})`);

/** The end of both forms: what went wrong, the submit button and Cancel. */
function FormEnd(props: { action: ReturnType<typeof useFormAction>; ready: boolean; label: string; busyLabel: string; onCancel: () => void }) {
  return (
    <>
      <ErrorAlert error={props.action.error} />
      <div className="buttons">
        <button type="submit" className="primary" disabled={props.action.busy || !props.ready}>
          {props.action.busy ? props.busyLabel : props.label}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

interface FoundCameraFormProps {
  camera: FoundCamera;
  onAdded: (name: string, message: string) => Promise<void>;
  onCancel: () => void;
}

export function ActivateFoundCamera({ camera, onAdded, onCancel }: FoundCameraFormProps) {
  const [name, setName] = useState(camera.model ?? camera.address);
  const [labelCode, setLabelCode] = useState('');
  const saving = useFormAction(async () => {
    const { camera: added, probe } = await api.activateCamera({ name: name.trim(), deviceUrl: camera.deviceUrl, labelCode: labelCode.trim() });
    await onAdded(added.name, `activated with a password of the recorder's own, and ${streamOutcome(probe)}`);
  });
  return (
    <form onSubmit={(event) => void saving.submit(event)} aria-label={`Activate ${camera.address}`}>
      <h3>Activate the camera at {camera.address}</h3>
      <p className="help">
        The recorder gives the camera a long random password of its own, keeps it encrypted and uses it. Nobody types it, and it is not the same on any
        other camera.
      </p>
      <div className="field">
        <label htmlFor="found-camera-name">Name</label>
        <input id="found-camera-name" type="text" required maxLength={64} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="found-camera-label-code">Label code</label>
        <input
          id="found-camera-label-code"
          type="text"
          required
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          placeholder="XXXX-XXXX-XXXX-XXXX"
          value={labelCode}
          onChange={(e) => setLabelCode(e.target.value)}
        />
        <p className="help">Printed on the camera's label and in its box.</p>
      </div>
      <FormEnd action={saving} ready={name.trim() !== '' && labelCode.trim() !== ''} label="Activate and add" busyLabel="Activating…" onCancel={onCancel} />
    </form>
  );
}

export function AddFoundCamera({ camera, onAdded, onCancel }: FoundCameraFormProps) {
  const [name, setName] = useState(camera.model ?? camera.address);
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const saving = useFormAction(async () => {
    const { camera: added, probe } = await api.addOnvifCamera({ name: name.trim(), deviceUrl: camera.deviceUrl, username, password });
    await onAdded(added.name, streamOutcome(probe));
  });
  return (
    <form onSubmit={(event) => void saving.submit(event)} aria-label={`Add ${camera.address}`}>
      <h3>Add the camera at {camera.address}</h3>
      <p className="help">Only the camera's own login: the recorder asks the camera for its stream. The password is stored encrypted and never shown.</p>
      <div className="field">
        <label htmlFor="found-camera-name">Name</label>
        <input id="found-camera-name" type="text" required maxLength={64} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="found-camera-username">Camera user name</label>
        <input id="found-camera-username" type="text" required autoComplete="off" maxLength={128} value={username} onChange={(e) => setUsername(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="found-camera-password">Camera password</label>
        <input id="found-camera-password" type="password" required autoComplete="off" maxLength={256} value={password} onChange={(e) => setPassword(e.target.value)} />
      </div>
      <FormEnd action={saving} ready={name.trim() !== '' && username !== '' && password !== ''} label="Add camera" busyLabel="Adding…" onCancel={onCancel} />
    </form>
  );
}
