import { useState } from 'react';
import { request, type Camera } from '../api.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { useFormAction } from '../useFormAction.js';

type RecordingMode = Camera['recordingMode'];

/**
 * Continuous recording (the default) or only the footage around motion events, for a camera whose
 * motion events the recorder watches (added by ONVIF or activated by it). The change is audited.
 */
export function RecordingModeForm({ camera, onChanged }: { camera: Camera; onChanged: (mode: RecordingMode) => Promise<void> }) {
  const [mode, setMode] = useState<RecordingMode>(camera.recordingMode);
  const saving = useFormAction(async () => {
    await request('PUT', `/cameras/${camera.id}/recording-mode`, { body: { mode } });
    await onChanged(mode);
  });
  const name = `recording-mode-${camera.id}`;
  return (
    <form onSubmit={(event) => void saving.submit(event)} aria-label="Recording mode">
      <fieldset>
        <legend>What to keep</legend>
        <label>
          <input type="radio" name={name} value="continuous" checked={mode === 'continuous'} onChange={() => setMode('continuous')} /> Everything (continuous)
        </label>
        <label>
          <input type="radio" name={name} value="motion" checked={mode === 'motion'} disabled={!camera.motion.available} onChange={() => setMode('motion')} /> Only
          around motion: a few seconds before each motion event to a few seconds after it
        </label>
        <span className="help">
          {camera.motion.available
            ? camera.motion.watched
              ? "The recorder is watching this camera's motion events."
              : "The recorder cannot reach this camera's motion events now: until it can, it keeps everything."
            : 'Only for a camera added by ONVIF (found on the network) or activated by this recorder: the recorder learns of motion from the camera.'}
        </span>
      </fieldset>
      <ErrorAlert error={saving.error} />
      <div className="buttons">
        <button type="submit" disabled={saving.busy || mode === camera.recordingMode}>
          {saving.busy ? 'Saving…' : 'Save what to keep'}
        </button>
      </div>
    </form>
  );
}
