// The storage answer: how full the footage's disk is and how long footage lasts at today's rate.
import type { Served } from './served.js';

/** GET /storage. */
export const storageSchema = {
  type: 'object',
  required: ['footageBytes', 'diskTotalBytes', 'diskFreeBytes', 'quotaBytes', 'limitBytes', 'maxAgeDays', 'writeBytesPerSecond', 'daysThatFit'],
  properties: {
    footageBytes: { type: 'integer', description: 'what all recordings take' },
    diskTotalBytes: { type: 'integer', description: "the size of the footage's filesystem" },
    diskFreeBytes: { type: 'integer', description: 'what the recorder may still write on it' },
    quotaBytes: { type: ['integer', 'null'], description: 'the configured footage quota, or null for none' },
    limitBytes: {
      type: 'integer',
      description: 'what footage may take before retention deletes the oldest: the quota or the disk less a reserve, whichever is smaller',
    },
    maxAgeDays: { type: ['number', 'null'], description: 'footage older than this is deleted; null keeps what fits' },
    writeBytesPerSecond: { type: ['number', 'null'], description: 'what the recording cameras wrote over the last hour; null before any recording' },
    daysThatFit: { type: ['number', 'null'], description: 'days of footage the limit holds at that rate' },
  },
} as const;

export type StorageStatus = Served<typeof storageSchema>;

/** GET /storage/history: the days are counted in the browser's time zone, so a bar is a day as the person reads it. */
export const storageHistoryQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    utcOffsetMinutes: {
      type: 'string',
      pattern: '^-?(?:[0-9]|[1-9][0-9]|[1-7][0-9]{2}|8[0-3][0-9]|840)$',
      description: 'minutes east of UTC where a day starts (-840 to 840; default 0, UTC days)',
    },
  },
} as const;

/** GET /storage/history: what the footage on disk takes, per camera and per day it was recorded. */
export const storageHistorySchema = {
  type: 'object',
  required: ['cameras'],
  properties: {
    cameras: {
      type: 'array',
      description: 'every camera with footage on disk, the biggest first; a removed camera keeps its id, without a name',
      items: {
        type: 'object',
        required: ['cameraId', 'name', 'footageBytes', 'days'],
        properties: {
          cameraId: { type: 'integer' },
          name: { type: ['string', 'null'], description: 'null for a camera removed since (its footage stays until retention deletes it)' },
          footageBytes: { type: 'integer' },
          days: {
            type: 'array',
            description: 'oldest first, only the days with footage',
            items: {
              type: 'object',
              required: ['date', 'bytes'],
              properties: { date: { type: 'string', format: 'date', description: 'YYYY-MM-DD at the offset asked for' }, bytes: { type: 'integer' } },
            },
          },
        },
      },
    },
  },
} as const;

export type StorageHistory = Served<typeof storageHistorySchema>;
