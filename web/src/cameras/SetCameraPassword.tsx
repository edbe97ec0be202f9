import { useState } from 'react';
import type { Camera } from '../api.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { PasswordField } from '../../shared/PasswordField.js';
import { useFormAction } from '../useFormAction.js';
import { cameraPasswordApi } from './password-api.js';

/**
 * A camera password of the admin's choosing (to open the camera's own web page, say), set the way a
 * rotation sets one: the camera takes it and a login with it is checked before the recorder keeps
 * it. The admin's own password first, as for every sensitive change.
 */
export function SetCameraPassword({ camera, onDone, onCancel }: { camera: Camera; onDone: (message: string) => Promise<void>; onCancel: () => void }) {
  const [newPassword, setNewPassword] = useState('');
  const [currentPassword, setCurrentPassword] = useState('');
  const saving = useFormAction(async () => {
    const result = await cameraPasswordApi.choose(camera.id, currentPassword, newPassword);
    await onDone(`${camera.name}: ${result.message}`);
  });
  return (
    <form onSubmit={(event) => void saving.submit(event)} aria-labelledby="set-camera-password-heading">
      <h2 id="set-camera-password-heading">Set the password of {camera.name}</h2>
      <p className="help">The camera keeps its current password unless it takes this one and a login with it works.</p>
      <PasswordField label="New camera password" name="camera-password" autoComplete="new-password" value={newPassword} onChange={setNewPassword} />
      <PasswordField label="Your password" name="current-password" autoComplete="current-password" value={currentPassword} onChange={setCurrentPassword} />
      <ErrorAlert error={saving.error} />
      <div className="buttons">
        <button type="submit" className="primary" disabled={saving.busy || newPassword === '' || currentPassword === ''}>
          {saving.busy ? 'Setting…' : 'Set password'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
