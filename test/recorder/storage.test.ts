// GET /api/v1/storage against a real recorder whose disk is made up: the index's footage, the
// disk, the limits and the days that fit at the rate the recording cameras wrote.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { StorageStatus } from '../../src/recorder/api/storage.js';
import { activate, ApiClient, loggedInAdmin } from '../helpers/client.js';
import { startTestRecorder, type TestRecorder } from '../helpers/recorder.js';
import { indexSegment } from '../helpers/recordings.js';

const GIB = 1024 ** 3;
const HOUR = 3_600_000;

let rec: TestRecorder;
beforeEach(async () => {
  rec = await startTestRecorder({
    retention: { quotaBytes: 50 * GIB, maxAgeDays: 30 },
    diskSpace: async () => ({ freeBytes: 100 * GIB, totalBytes: 200 * GIB }),
  });
  await activate(rec);
});
afterEach(() => rec.close());

const recorded = (cameraId: number, startMs: number, endMs: number, bytes: number) => indexSegment(rec, cameraId, startMs, endMs, bytes);

it('answers a signed-in user with the footage, the disk, the limits and the days that fit at the current rate', async () => {
  const admin = await loggedInAdmin(rec);
  // Nowhere to connect to: the camera is enabled (so it counts as recording) but offline.
  const added = await admin.post('/api/v1/cameras', { name: 'Yard', url: 'rtsp://127.0.0.1:9/none', transport: 'tcp' });
  expect(added.status).toBe(201);
  const now = rec.clock.now();
  recorded(added.body.camera.id, now - 2 * HOUR, now - HOUR, 3_600_000_000);
  recorded(added.body.camera.id, now - HOUR, now, 360_000_000); // 100,000 bytes a second in the last hour
  const gone = 999; // footage of a camera since removed: on the disk, but not in today's rate
  recorded(gone, now - HOUR, now, 36_000_000_000);

  const res = await admin.get<StorageStatus>('/api/v1/storage');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    footageBytes: 39_960_000_000,
    diskTotalBytes: 200 * GIB,
    diskFreeBytes: 100 * GIB,
    quotaBytes: 50 * GIB,
    limitBytes: 50 * GIB,
    maxAgeDays: 30,
    writeBytesPerSecond: 100_000,
    daysThatFit: (50 * GIB) / (100_000 * 86_400),
  });

  expect((await new ApiClient(rec.url).get('/api/v1/storage')).status).toBe(401);
});

it("answers an admin with each camera's footage per day it was recorded, in the day of the offset asked for", async () => {
  const admin = await loggedInAdmin(rec);
  const yard = (await admin.post('/api/v1/cameras', { name: 'Yard', url: 'rtsp://127.0.0.1:9/yard', transport: 'tcp' })).body.camera.id as number;
  const door = (await admin.post('/api/v1/cameras', { name: 'Door', url: 'rtsp://127.0.0.1:9/door', transport: 'tcp' })).body.camera.id as number;
  const removed = 999;
  const day = (iso: string) => Date.parse(iso);
  recorded(yard, day('2026-12-06T10:00:00Z'), day('2026-12-06T11:00:00Z'), 1_000);
  recorded(yard, day('2026-12-06T23:30:00Z'), day('2026-12-06T23:40:00Z'), 200); // the 7th an hour east of UTC
  recorded(yard, day('2026-12-07T08:00:00Z'), day('2026-12-07T09:00:00Z'), 3_000);
  recorded(door, day('2026-12-07T08:00:00Z'), day('2026-12-07T09:00:00Z'), 500);
  recorded(removed, day('2026-12-05T08:00:00Z'), day('2026-12-05T09:00:00Z'), 400);

  const utc = await admin.get('/api/v1/storage/history');
  expect(utc.status).toBe(200);
  expect(utc.body).toEqual({
    cameras: [
      {
        cameraId: yard,
        name: 'Yard',
        footageBytes: 4_200,
        days: [
          { date: '2026-12-06', bytes: 1_200 },
          { date: '2026-12-07', bytes: 3_000 },
        ],
      },
      { cameraId: door, name: 'Door', footageBytes: 500, days: [{ date: '2026-12-07', bytes: 500 }] },
      { cameraId: removed, name: null, footageBytes: 400, days: [{ date: '2026-12-05', bytes: 400 }] },
    ],
  });

  const paris = await admin.get('/api/v1/storage/history?utcOffsetMinutes=60');
  expect(paris.body.cameras[0].days).toEqual([
    { date: '2026-12-06', bytes: 1_000 },
    { date: '2026-12-07', bytes: 3_200 },
  ]);
  expect((await admin.get('/api/v1/storage/history?utcOffsetMinutes=900')).status).toBe(400);
  expect((await new ApiClient(rec.url).get('/api/v1/storage/history')).status).toBe(401);
});
