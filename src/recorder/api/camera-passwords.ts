// Cameras' own passwords: rotation jobs, the schedule, a password an admin chooses, and what the
// camera list tells about each camera's password. No route ever returns a camera's password.
import { isoTime, passwordInput } from './common.js';
import type { Served } from './served.js';

export const PASSWORD_CHANGE_OUTCOME_NAMES = ['changed', 'current_refused', 'new_refused', 'unreachable', 'unconfirmed', 'not_changeable'] as const;

const outcome = { type: 'string', enum: [...PASSWORD_CHANGE_OUTCOME_NAMES] } as const;

/** In the camera view: whether the camera takes the password the recorder holds, and what to do when not. */
export const cameraPasswordView = {
  type: 'object',
  required: ['state', 'changeable', 'changedAt', 'message'],
  properties: {
    state: {
      type: 'string',
      enum: ['ok', 'refused', 'unconfirmed'],
      description: 'refused: the camera refuses the stored password; unconfirmed: a change is undecided, both passwords are kept',
    },
    changeable: { type: 'boolean', description: 'the recorder can rotate this camera (it holds its password and its ONVIF address)' },
    changedAt: isoTime,
    message: { type: ['string', 'null'], description: 'what to do, when something is to be done' },
  },
} as const;

export const rotationJobView = {
  type: 'object',
  required: ['id', 'trigger', 'startedAt', 'finishedAt', 'total', 'done', 'cameras'],
  properties: {
    id: { type: 'string' },
    trigger: { type: 'string', enum: ['admin', 'schedule'] },
    startedAt: isoTime,
    finishedAt: { anyOf: [isoTime, { type: 'null' }] },
    total: { type: 'integer' },
    done: { type: 'integer' },
    cameras: {
      type: 'array',
      items: {
        type: 'object',
        required: ['cameraId', 'name', 'state', 'outcome', 'message'],
        properties: {
          cameraId: { type: 'integer' },
          name: { type: ['string', 'null'], description: 'null once the camera was removed' },
          state: { type: 'string', enum: ['waiting', 'rotating', 'done'] },
          outcome: { anyOf: [outcome, { type: 'null' }] },
          message: { type: ['string', 'null'] },
        },
      },
    },
  },
} as const;

const scheduleView = {
  type: 'object',
  required: ['everyDays', 'nextRotationAt'],
  properties: {
    everyDays: { type: ['integer', 'null'], description: 'null: off (the default)' },
    nextRotationAt: { anyOf: [isoTime, { type: 'null' }] },
  },
} as const;

/** GET /cameras/password-rotation: the latest job and the schedule. */
export const rotationOverviewSchema = {
  type: 'object',
  required: ['job', 'schedule'],
  properties: { job: { anyOf: [rotationJobView, { type: 'null' }] }, schedule: scheduleView },
} as const;

/** POST /cameras/password-rotation: every camera the recorder can change, or those named. */
export const startRotationBody = {
  type: 'object',
  additionalProperties: false,
  properties: { cameraIds: { type: 'array', minItems: 1, maxItems: 1000, uniqueItems: true, items: { type: 'integer', minimum: 1 } } },
} as const;

export const rotationStartedSchema = { type: 'object', required: ['job'], properties: { job: rotationJobView } } as const;

export const JOB_ID_PARAMS = {
  type: 'object',
  required: ['jobId'],
  properties: { jobId: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' } },
} as const;

export const scheduleBody = {
  type: 'object',
  required: ['everyDays'],
  additionalProperties: false,
  properties: { everyDays: { anyOf: [{ type: 'integer', minimum: 1, maximum: 3650 }, { type: 'null' }] } },
} as const;

export const scheduleSchema = { type: 'object', required: ['schedule'], properties: { schedule: scheduleView } } as const;

/** PUT /cameras/:id/password: the admin's own password again, and the camera's new one. */
export const chosenPasswordBody = {
  type: 'object',
  required: ['currentPassword', 'newPassword'],
  additionalProperties: false,
  properties: {
    currentPassword: passwordInput,
    newPassword: { type: 'string', minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f]*$', description: "the camera's new password; never returned" },
  },
} as const;

export const chosenPasswordSchema = { type: 'object', required: ['outcome', 'message'], properties: { outcome, message: { type: 'string' } } } as const;

export type CameraPasswordView = Served<typeof cameraPasswordView>;
export type RotationJobView = Served<typeof rotationJobView>;
export type RotationOverview = Served<typeof rotationOverviewSchema>;
export type ChosenPasswordResult = Served<typeof chosenPasswordSchema>;
