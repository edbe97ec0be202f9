// The recorder API that shows an admin a camera's own password, once per proof.
import { request } from '../api.js';
import type { RevealedCameraPassword } from '../../../src/recorder/api/camera-password-reveal.js';
import type { SecondFactorCode } from '../recovery/questions-and-key-api.js';

export type { RevealedCameraPassword };

export const revealCameraPassword = (cameraId: number, currentPassword: string, secondFactor: SecondFactorCode) =>
  request<RevealedCameraPassword>('POST', `/cameras/${cameraId}/password/reveal`, { body: { currentPassword, ...secondFactor } });
