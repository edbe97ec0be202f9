import { PassThrough } from 'node:stream';
import type { RecorderContext } from '../../context.js';
import type { ApiApp, MediaTypeProvider } from '../api-app.js';
import { snapshotJpeg } from '../../media/live/snapshot.js';
import { requireAuth, type RouteAccess } from '../access.js';
import { CAMERA_ID_PARAMS } from '../../api/cameras.js';
import { auditCameraAccess } from '../camera-audit.js';
import { ApiError, errorBodySchema, tooManyRequests } from '../errors.js';
import { endWhenAccessEnds } from '../stream-guard.js';

/** A snapshot is a still of the live view: the same permission. */
const WATCH_LIVE: RouteAccess = { cameraPermission: 'live' };

const noVideo = () => new ApiError(409, 'no_live_video', 'The camera is not sending video right now (it may be connecting or offline). Try again in a moment.');

export function liveViewRoutes(app: ApiApp, ctx: RecorderContext): void {
  const media = app.withTypeProvider<MediaTypeProvider>();
  media.get(
    '/api/v1/cameras/:id/live',
    {
      // A HEAD would subscribe to a stream that never ends.
      exposeHeadRoute: false,
      config: { access: WATCH_LIVE },
      schema: {
        summary:
          'Live video as fragmented MP4 for Media Source Extensions (Content-Type names the codec); the stream ends when the camera is lost, and within a second of the session ending or the right to watch being lost',
        params: CAMERA_ID_PARAMS,
        response: { 409: errorBodySchema },
      },
    },
    async (request, reply) => {
      const cameraId = Number(request.params.id);
      const stream = new PassThrough();
      const subscription = ctx.live.feed(cameraId)?.subscribe({
        write: (chunk) => stream.write(chunk),
        backlogBytes: () => stream.writableLength + stream.readableLength,
        end: () => stream.end(),
      });
      if (!subscription) throw noVideo();
      reply.raw.on('close', () => {
        subscription.unsubscribe();
        stream.destroy();
      });
      endWhenAccessEnds(ctx, request, reply, 'live');
      auditCameraAccess(ctx, request, cameraId, 'live');
      return reply.header('content-type', subscription.mimeType).header('cache-control', 'no-store').send(stream);
    },
  );

  media.get(
    '/api/v1/cameras/:id/snapshot.jpg',
    {
      exposeHeadRoute: false,
      config: { access: WATCH_LIVE },
      schema: {
        summary: "A JPEG of the camera's latest keyframe (decoded by a short ffmpeg process; rate-limited per user)",
        params: CAMERA_ID_PARAMS,
        response: { 409: errorBodySchema, 429: errorBodySchema },
      },
    },
    async (request, reply) => {
      const cameraId = Number(request.params.id);
      const budget = `user:${requireAuth(request).user.id}`;
      const throttle = ctx.snapshotThrottle.check(budget);
      if (!throttle.allowed) throw tooManyRequests(throttle.retryAfterSeconds);
      const keyframe = ctx.live.feed(cameraId)?.latestKeyframe();
      if (!keyframe) throw noVideo();
      ctx.snapshotThrottle.record(budget);
      const jpeg = await snapshotJpeg(keyframe.init, keyframe.fragment);
      auditCameraAccess(ctx, request, cameraId, 'snapshot');
      return reply.header('content-type', 'image/jpeg').header('cache-control', 'no-store').send(jpeg);
    },
  );
}
