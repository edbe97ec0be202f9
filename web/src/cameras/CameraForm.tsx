import { useState } from 'react';
import { api, type Camera, type CameraInput, type CameraTransport, type ProbeOutcome } from '../api.js';
import { ErrorAlert, Notice } from '../../shared/ErrorAlert.js';
import { useFormAction } from '../useFormAction.js';
import { describeProbe } from './describe.js';

interface Props {
  /** The camera being edited; absent when adding one. */
  camera?: Camera;
  submitLabel: string;
  onSubmit: (input: CameraInput) => Promise<void>;
  onCancel?: () => void;
}

/**
 * The camera's address, login and transport, for adding and for editing. The password field is
 * write-only: when editing, empty keeps the stored one (the recorder drops it if the camera moves
 * to another host), and "Remove the stored password" clears it.
 */
export function CameraForm({ camera, submitLabel, onSubmit, onCancel }: Props) {
  const prefix = camera ? `camera-${camera.id}` : 'new-camera';
  const [name, setName] = useState(camera?.name ?? '');
  const [url, setUrl] = useState(camera?.url ?? '');
  const [username, setUsername] = useState(camera?.username ?? '');
  const [password, setPassword] = useState('');
  const [removePassword, setRemovePassword] = useState(false);
  const [transport, setTransport] = useState<CameraTransport>(camera?.transport ?? 'tcp');
  const [enabled, setEnabled] = useState(camera?.enabled ?? true);
  const [probe, setProbe] = useState<ProbeOutcome | null>(null);

  /** Omitted keeps the stored password; null removes it. */
  const passwordChange = (): string | null | undefined => (password !== '' ? password : removePassword ? null : undefined);

  const probing = useFormAction(async () => {
    setProbe(null);
    const pw = passwordChange();
    const reach = { url: url.trim(), username: username === '' ? null : username, transport };
    // Editing: the recorder fills in the stored password unless it is changed or would be dropped.
    setProbe(
      camera
        ? await api.probeCameraEdit(camera.id, { ...reach, ...(pw !== undefined ? { password: pw } : {}) })
        : await api.probeCamera({ ...reach, ...(pw ? { password: pw } : {}) }),
    );
  });
  const saving = useFormAction(async () => {
    const pw = passwordChange();
    await onSubmit({ name: name.trim(), url: url.trim(), username: username === '' ? null : username, transport, enabled, ...(pw !== undefined ? { password: pw } : {}) });
  });

  return (
    <form onSubmit={(event) => void saving.submit(event)} aria-label={submitLabel}>
      <div className="field">
        <label htmlFor={`${prefix}-name`}>Name</label>
        <input id={`${prefix}-name`} type="text" required maxLength={64} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-url`}>RTSP address</label>
        <input
          id={`${prefix}-url`}
          type="text"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          required
          maxLength={2048}
          placeholder="rtsp://192.168.1.64:554/stream1"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <p className="help">A user name and password typed into the address are moved to the fields below.</p>
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-username`}>Camera user name</label>
        <input id={`${prefix}-username`} type="text" autoComplete="off" maxLength={128} value={username} onChange={(e) => setUsername(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-password`}>Camera password</label>
        <input
          id={`${prefix}-password`}
          type="password"
          autoComplete="new-password"
          maxLength={256}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <p className="help">
          {camera?.passwordSet
            ? 'A password is stored and never shown. Leave this empty to keep it; it is removed if you move the camera to another host.'
            : 'Stored encrypted on the recorder and never shown again.'}
        </p>
        {camera?.passwordSet && (
          <label>
            <input type="checkbox" checked={removePassword} disabled={password !== ''} onChange={(e) => setRemovePassword(e.target.checked)} /> Remove
            the stored password
          </label>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-transport`}>Transport</label>
        <select id={`${prefix}-transport`} value={transport} onChange={(e) => setTransport(e.target.value as CameraTransport)}>
          <option value="tcp">TCP (through the RTSP connection; works through most firewalls)</option>
          <option value="udp">UDP (less delay; needs UDP between camera and recorder)</option>
        </select>
      </div>
      <div className="field">
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Record and watch this camera
        </label>
      </div>
      {probe?.result && (
        <Notice>
          <span data-testid="probe-result">Camera found: {describeProbe(probe.result)}</span>
        </Notice>
      )}
      {probe?.message !== undefined && <ErrorAlert error={{ id: 0, message: probe.message }} />}
      <ErrorAlert error={probing.error ?? saving.error} />
      <div className="buttons">
        <button type="button" disabled={probing.busy || url.trim() === ''} onClick={() => void probing.submit()}>
          {probing.busy ? 'Probing…' : 'Probe'}
        </button>
        <button type="submit" className="primary" disabled={saving.busy || name.trim() === '' || url.trim() === ''}>
          {saving.busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
