import { useCallback, useEffect, useState } from 'react';
import { api, type Camera, type Me, type ProbeOutcome } from '../api.js';
import { ErrorAlert, Notice } from '../../shared/ErrorAlert.js';
import { describeError, type ShownError } from '../errors.js';
import { formatTime } from '../../shared/format-time.js';
import { Page } from '../../shared/Page.js';
import { CameraForm } from './CameraForm.js';
import { FoundCameras } from './FoundCameras.js';
import { LanDevices } from './LanDevices.js';
import { CameraPasswords } from './CameraPasswords.js';
import { SetCameraPassword } from './SetCameraPassword.js';
import { RecordingModeForm } from './RecordingModeForm.js';
import { RevealCameraPassword } from './RevealCameraPassword.js';
import { describeProbe, formatBitrate, STATE_LABELS, unmeasuredReason } from './describe.js';
import { emptyListMessage, PARTIAL_LIST_NOTE } from './camera-list-notes.js';

/** The list refreshes this often, so the status badges follow the cameras. */
const STATUS_REFRESH_MS = 5_000;

type Panel =
  | { kind: 'none' }
  | { kind: 'edit'; camera: Camera }
  | { kind: 'remove'; camera: Camera }
  | { kind: 'password'; camera: Camera }
  | { kind: 'reveal'; camera: Camera };

/** Adding cameras needs the device's settings permission; editing and removing, configure on the camera. */
export function CamerasPage({ me }: { me: Me }) {
  const [cameras, setCameras] = useState<Camera[] | null>(null);
  /** Some cameras are left out of the list: this user may do nothing with them. */
  const [othersHidden, setOthersHidden] = useState(false);
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });
  const [error, setError] = useState<ShownError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** Changes after each add: the add form starts afresh, and a pasted address with a password does not linger. */
  const [added, setAdded] = useState(0);
  const mayAdd = me.permissions.device.includes('settings');
  const isAdmin = me.user.role === 'admin';
  /** A row's Rotate button: the job and its progress show in the Camera passwords section. */
  const [rotateRequest, setRotateRequest] = useState<{ cameraId: number; seq: number } | null>(null);

  const load = useCallback(async () => {
    try {
      const list = await api.cameraList();
      setCameras(list.cameras);
      setOthersHidden(list.othersHidden);
    } catch (err) {
      setError(describeError(err));
    }
  }, []);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), STATUS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  /** What the probe after a save found, in a sentence. */
  const probeNotice = (name: string, probe: ProbeOutcome | undefined) =>
    probe === undefined ? `${name} is saved.` : probe.result ? `${name} is saved: ${describeProbe(probe.result)}.` : `${name} is saved, but: ${probe.message}`;

  /** A camera added from a list of the devices found on the network. */
  const foundAdded = async (name: string, outcome: string) => {
    setNotice(`${name} is added: ${outcome}.`);
    await load();
  };

  async function remove(camera: Camera) {
    setError(null);
    try {
      const answer = await api.removeCamera(camera.id);
      setNotice(answer.message);
      setPanel({ kind: 'none' });
    } catch (err) {
      setError(describeError(err));
    }
    await load();
  }

  return (
    <Page title="Cameras">
      <ErrorAlert error={error} />
      {notice && (
        <Notice>
          <span data-testid="cameras-notice">{notice}</span>
        </Notice>
      )}
      {cameras !== null && cameras.length > 0 && othersHidden && <p className="help note">{PARTIAL_LIST_NOTE}</p>}
      {cameras === null ? (
        <p aria-busy="true">Loading…</p>
      ) : cameras.length === 0 ? (
        <p className="muted" data-testid="cameras-empty">
          {emptyListMessage({ othersHidden, mayAdd })}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="sessions cameras stacked">
            <thead>
              <tr>
                <th scope="col">Camera</th>
                <th scope="col">Status</th>
                <th scope="col">Stream</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {cameras.map((camera) => (
                <tr key={camera.id} data-testid="camera-row" data-name={camera.name}>
                  <td>
                    <span className="username">{camera.name}</span>
                    {camera.url !== undefined && <span className="help">{camera.url}</span>}
                  </td>
                  <td>
                    <span className="badge" data-state={camera.status.state} data-testid="camera-state">
                      {STATE_LABELS[camera.status.state]}
                    </span>
                    {camera.status.lastFrameAt && (
                      <span className="help">
                        Last frame <time dateTime={camera.status.lastFrameAt}>{formatTime(camera.status.lastFrameAt)}</time>
                      </span>
                    )}
                    {camera.status.problemMessage && <span className="help">{camera.status.problemMessage}</span>}
                    {camera.password.state !== 'ok' && (
                      <span className="help" data-testid="camera-password-state" data-state={camera.password.state}>
                        <strong>{camera.password.state === 'refused' ? 'Password refused. ' : 'Password change undecided. '}</strong>
                        {camera.password.message}
                      </span>
                    )}
                    {camera.status.recording.droppedFrames > 0 && (
                      <span className="help" data-testid="camera-recording-loss">
                        {camera.status.recording.droppingSince ? 'The disk is behind: video is being dropped. ' : ''}
                        {camera.status.recording.droppedFrames} frames not recorded (the disk was too slow)
                      </span>
                    )}
                  </td>
                  <td>
                    {camera.probe ? (
                      <span data-testid="camera-probe">{describeProbe(camera.probe)}</span>
                    ) : (
                      <span className="muted">{unmeasuredReason(camera)}</span>
                    )}
                    {camera.status.bitrate !== null && <span className="help">Now {formatBitrate(camera.status.bitrate)}</span>}
                    <span className="help">{camera.transport.toUpperCase()}</span>
                    {camera.recordingMode === 'motion' && <span className="help">Keeps only the footage around motion</span>}
                  </td>
                  <td>
                    {camera.permissions.includes('configure') && (
                      <div className="actions">
                        <button type="button" onClick={() => setPanel({ kind: 'edit', camera })}>
                          Edit
                        </button>
                        <button type="button" className="danger" onClick={() => setPanel({ kind: 'remove', camera })}>
                          Remove
                        </button>
                        {isAdmin && camera.password.changeable && (
                          <>
                            <button type="button" onClick={() => setRotateRequest((r) => ({ cameraId: camera.id, seq: (r?.seq ?? 0) + 1 }))}>
                              Rotate password
                            </button>
                            <button type="button" onClick={() => setPanel({ kind: 'password', camera })}>
                              Set password
                            </button>
                          </>
                        )}
                        {isAdmin && camera.passwordSet && (
                          <button type="button" onClick={() => setPanel({ kind: 'reveal', camera })}>
                            Show password
                          </button>
                        )}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {panel.kind === 'edit' && (
        <section aria-labelledby="edit-camera-heading">
          <h2 id="edit-camera-heading">Edit {panel.camera.name}</h2>
          <CameraForm
            key={panel.camera.id}
            camera={panel.camera}
            submitLabel="Save camera"
            onSubmit={async (input) => {
              const { camera, probe } = await api.updateCamera(panel.camera.id, input);
              setNotice(probeNotice(camera.name, probe));
              setPanel({ kind: 'none' });
              await load();
            }}
            onCancel={() => setPanel({ kind: 'none' })}
          />
          <RecordingModeForm
            key={`mode-${panel.camera.id}`}
            camera={panel.camera}
            onChanged={async (mode) => {
              setNotice(mode === 'motion' ? `${panel.camera.name} now keeps only the footage around motion.` : `${panel.camera.name} now records everything.`);
              setPanel({ kind: 'none' });
              await load();
            }}
          />
        </section>
      )}
      {panel.kind === 'remove' && (
        <section aria-labelledby="remove-camera-heading">
          <h2 id="remove-camera-heading">Remove {panel.camera.name}</h2>
          <p>
            The recorder stops recording {panel.camera.name} and it leaves this list. <strong>Its footage is kept</strong>: recordings
            made so far stay until retention deletes them, and can still be played back and exported.
          </p>
          <div className="buttons">
            <button type="button" className="danger" onClick={() => void remove(panel.camera)}>
              Remove {panel.camera.name}
            </button>
            <button type="button" onClick={() => setPanel({ kind: 'none' })}>
              Cancel
            </button>
          </div>
        </section>
      )}
      {panel.kind === 'password' && (
        <SetCameraPassword
          key={panel.camera.id}
          camera={panel.camera}
          onDone={async (message) => {
            setNotice(message);
            setPanel({ kind: 'none' });
            await load();
          }}
          onCancel={() => setPanel({ kind: 'none' })}
        />
      )}
      {isAdmin && cameras !== null && cameras.some((c) => c.password.changeable) && <CameraPasswords rotateRequest={rotateRequest} onChanged={load} />}
      {panel.kind === 'reveal' && <RevealCameraPassword key={panel.camera.id} camera={panel.camera} onClose={() => setPanel({ kind: 'none' })} />}
      {me.user.role === 'admin' && panel.kind === 'none' && (
        <>
          <FoundCameras onAdded={foundAdded} />
          <LanDevices onAdded={foundAdded} />
        </>
      )}
      {mayAdd && panel.kind === 'none' && (
        <section aria-labelledby="add-camera-heading">
          <h2 id="add-camera-heading">Add a camera by its RTSP address</h2>
          <CameraForm
            key={added}
            submitLabel="Add camera"
            onSubmit={async (input) => {
              const { camera, probe } = await api.addCamera(input);
              setNotice(probeNotice(camera.name, probe));
              setAdded((n) => n + 1);
              await load();
            }}
          />
        </section>
      )}
    </Page>
  );
}
