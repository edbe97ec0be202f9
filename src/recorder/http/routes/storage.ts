import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { storageHistoryQuerySchema, storageHistorySchema, storageSchema } from '../../api/storage.js';
import { storageHistory } from '../../media/recording/storage-history.js';
import { storageOutlook, WRITE_RATE_WINDOW_MS } from '../../media/recording/storage-outlook.js';

export function storageRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.get(
    '/api/v1/storage',
    {
      // Totals only, nothing per camera: what any signed-in person may see on the home page.
      config: { access: 'session' },
      schema: { summary: 'How full the footage disk is, and how many days of footage fit at the current rate', response: { 200: storageSchema } },
    },
    async () => {
      const { retention, diskSpace } = ctx.footageLimits;
      const disk = await diskSpace();
      const now = ctx.clock.now();
      // The rate of the cameras that record now: a removed or disabled camera's old footage says nothing about tomorrow.
      const recentSegments = ctx.cameras
        .list()
        .filter((camera) => camera.enabled)
        .flatMap((camera) => ctx.recordings.listForCamera(camera.id, now - WRITE_RATE_WINDOW_MS, now));
      const outlook = storageOutlook({ footageBytes: ctx.recordings.totalBytes(), disk, quotaBytes: retention.quotaBytes, recentSegments, now });
      return {
        ...outlook,
        diskTotalBytes: disk.totalBytes,
        diskFreeBytes: disk.freeBytes,
        quotaBytes: retention.quotaBytes ?? null,
        maxAgeDays: retention.maxAgeDays ?? null,
      };
    },
  );

  app.get(
    '/api/v1/storage/history',
    {
      // Per camera, removed ones included: the storage settings page's, for admins.
      config: { access: 'admin' },
      schema: {
        summary: 'What the footage on disk takes per camera and per day it was recorded',
        querystring: storageHistoryQuerySchema,
        response: { 200: storageHistorySchema },
      },
    },
    async (request) => {
      const names = new Map(ctx.cameras.list().map((camera) => [camera.id, camera.name]));
      const rows = ctx.recordings.bytesPerCameraDay(Number(request.query.utcOffsetMinutes ?? 0));
      return { cameras: storageHistory(rows, names) };
    },
  );
}
