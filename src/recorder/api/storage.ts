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
