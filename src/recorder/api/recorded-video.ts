// Recorded video: the schema of the timeline, and the type clients read it by.
import { isoTime } from './common.js';
import type { Served } from './served.js';

/** GET /cameras/:id/recordings: the recorded ranges. */
export const timelineSchema = {
  type: 'object',
  required: ['ranges'],
  properties: { ranges: { type: 'array', items: { type: 'object', required: ['start', 'end'], properties: { start: isoTime, end: isoTime } } } },
} as const;

export type Timeline = Served<typeof timelineSchema>;
