import { ApiError } from '../../shared/http/api-error.js';

export { ApiError };

const throttled = (code: string, message: string, retryAfterSeconds: number) =>
  new ApiError(429, code, message, { retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });

export const tooManyAttempts = (retryAfterSeconds: number) =>
  throttled('too_many_attempts', 'Too many failed attempts from this address. Wait before trying again (see Retry-After).', retryAfterSeconds);

export const tooManyRequests = (retryAfterSeconds: number) =>
  throttled('too_many_requests', 'Too many requests from this address. Wait before trying again (see Retry-After).', retryAfterSeconds);

export const passwordRejected = (reasons: { code: string; message: string }[]) =>
  new ApiError(422, 'password_rejected', `Choose a stronger password: ${reasons.map((r) => r.message).join('; ')}.`, {
    reasons,
  });

export const unauthenticated = () =>
  new ApiError(401, 'unauthenticated', 'You are not logged in, or your session has ended. Log in again.');

export const errorBodySchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: { type: 'object', additionalProperties: true },
      },
    },
  },
} as const;

/** Also for a camera the user may not see: which cameras exist is not told to those who may not see them. */
export const cameraNotFound = () => new ApiError(404, 'camera_not_found', 'No such camera. It may have been removed.');
