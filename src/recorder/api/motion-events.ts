// Motion events and motion-only recording: the schemas of these routes, and the types clients read them by.
import { isoTime } from './common.js';
import type { Served } from './served.js';

export const RECORDING_MODES = ['continuous', 'motion'] as const;

/** GET /cameras/:id/events: a camera's motion events that overlap the range, oldest first. */
export const motionEventsSchema = {
  type: 'object',
  required: ['events', 'truncated'],
  properties: {
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['start', 'end'],
        properties: { start: isoTime, end: { anyOf: [isoTime, { type: 'null' }], description: 'null while the motion goes on' } },
      },
    },
    truncated: { type: 'boolean', description: 'more events overlap the range than one answer holds: ask again from the last one' },
  },
} as const;

export type MotionEvents = Served<typeof motionEventsSchema>;

/** PUT /cameras/:id/recording-mode */
export const recordingModeBody = {
  type: 'object',
  required: ['mode'],
  additionalProperties: false,
  properties: {
    mode: {
      type: 'string',
      enum: [...RECORDING_MODES],
      description: 'continuous: everything (the default); motion: only the footage around motion events, for a camera whose motion events the recorder watches',
    },
  },
} as const;

export const recordingModeSchema = {
  type: 'object',
  required: ['mode', 'changed'],
  properties: { mode: { type: 'string', enum: [...RECORDING_MODES] }, changed: { type: 'boolean' } },
} as const;

/** What a camera's view says of its motion events (in GET /cameras). */
export const motionView = {
  type: 'object',
  required: ['available', 'watched'],
  properties: {
    available: { type: 'boolean', description: 'the camera was added by ONVIF with a login the recorder holds: its motion events can be watched' },
    watched: { type: 'boolean', description: 'a subscription to its motion events is up now' },
  },
} as const;
