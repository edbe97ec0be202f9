// The recorder's routes for cameras' own passwords: rotation jobs, the schedule, a chosen password.
import type { ChosenPasswordResult, RotationJobView, RotationOverview } from '../../../src/recorder/api/camera-passwords.js';
import { request } from '../api.js';

export type { RotationJobView };

export const cameraPasswordApi = {
  overview: () => request<RotationOverview>('GET', '/cameras/password-rotation'),
  /** Every camera the recorder can change, or those named; answers at once with the job to poll. */
  rotate: (cameraIds?: number[]) => request<{ job: RotationJobView }>('POST', '/cameras/password-rotation', { body: cameraIds ? { cameraIds } : {} }),
  job: (id: string) => request<{ job: RotationJobView }>('GET', `/cameras/password-rotation/jobs/${id}`),
  setSchedule: (everyDays: number | null) => request<{ schedule: RotationOverview['schedule'] }>('PUT', '/cameras/password-rotation/schedule', { body: { everyDays } }),
  choose: (cameraId: number, currentPassword: string, newPassword: string) =>
    request<ChosenPasswordResult>('PUT', `/cameras/${cameraId}/password`, { body: { currentPassword, newPassword } }),
};
