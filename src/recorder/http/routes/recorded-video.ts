import { Readable } from 'node:stream';
import { isoTime as toIso } from '../../../shared/clock.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp, MediaTypeProvider } from '../api-app.js';
import { timelineSchema } from '../../api/recorded-video.js';
import { exportMp4 } from '../../media/recording/export.js';
import { playbackStream } from '../../media/recording/playback.js';
import { cameraTimeline } from '../../media/recording/timeline.js';
import type { RouteAccess } from '../access.js';
import { CAMERA_ID_PARAMS } from '../../api/cameras.js';
import { auditCameraAccess } from '../camera-audit.js';
import { ApiError, cameraNotFound, errorBodySchema } from '../errors.js';
import { checkRange, TIME_PATTERN } from '../media-range.js';
import { endWhenAccessEnds } from '../stream-guard.js';

const PLAYBACK: RouteAccess = { cameraPermission: 'playback' };
const EXPORT: RouteAccess = { cameraPermission: 'export' };

const DAY_MS = 86_400_000;
/** A timeline request covers at most a month (the UI asks for a day). */
export const MAX_TIMELINE_MS = 31 * DAY_MS;
/** One playback request streams at most a day; the player asks again further on. */
const MAX_PLAYBACK_MS = DAY_MS;
/** An export is held in one file the browser downloads: an hour (a few GB at high bitrates) at most. */
export const MAX_EXPORT_MS = 3_600_000;

const timeSchema = { type: 'string', maxLength: 40, pattern: TIME_PATTERN, description: 'milliseconds since 1970, or ISO 8601 with a time zone' } as const;
export const rangeQuery = {
  type: 'object',
  required: ['from', 'to'],
  additionalProperties: false,
  properties: { from: timeSchema, to: timeSchema },
} as const;

export function rangeOf(query: { from: string; to: string }, maxLengthMs: number): { fromMs: number; toMs: number } {
  const checked = checkRange(query.from, query.to, maxLengthMs);
  if (!checked.ok) throw new ApiError(400, checked.code, checked.message);
  return checked;
}

const nothingRecorded = () => new ApiError(416, 'nothing_recorded', 'Nothing was recorded in that range. Pick a time the timeline shows as recorded.');

/** `vigil-front-door-20260131-120000Z.mp4`: the camera's name, reduced to what every file system and browser accepts. */
export function exportFileName(cameraName: string, startMs: number): string {
  const slug = cameraName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'camera';
  const stamp = new Date(startMs).toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '').replace('T', '-');
  return `vigil-${slug}-${stamp}.mp4`;
}

export function recordedVideoRoutes(app: ApiApp, ctx: RecorderContext): void {
  const media = app.withTypeProvider<MediaTypeProvider>();
  const segmentsOf = (cameraId: number, fromMs: number, toMs: number) => ctx.recordings.listForCamera(cameraId, fromMs, toMs);

  app.get(
    '/api/v1/cameras/:id/recordings',
    {
      config: { access: PLAYBACK },
      schema: {
        summary: 'The timeline: the ranges recorded without a break between from and to (at most 31 days)',
        params: CAMERA_ID_PARAMS,
        querystring: rangeQuery,
        response: {
          200: timelineSchema,
          400: errorBodySchema,
        },
      },
    },
    async (request) => {
      const { fromMs, toMs } = rangeOf(request.query, MAX_TIMELINE_MS);
      const ranges = cameraTimeline(ctx.recordings, Number(request.params.id), fromMs, toMs);
      return { ranges: ranges.map((r) => ({ start: toIso(r.startMs), end: toIso(r.endMs) })) };
    },
  );

  media.get(
    '/api/v1/cameras/:id/playback',
    {
      exposeHeadRoute: false,
      config: { access: PLAYBACK },
      schema: {
        summary:
          'Recorded video as fragmented MP4 for Media Source Extensions, from the keyframe at or before from; media time 0 is the wall-clock time in the Vigil-Origin-Ms header (at most a day)',
        params: CAMERA_ID_PARAMS,
        querystring: rangeQuery,
        response: { 400: errorBodySchema, 416: errorBodySchema },
      },
    },
    async (request, reply) => {
      const cameraId = Number(request.params.id);
      const { fromMs, toMs } = rangeOf(request.query, MAX_PLAYBACK_MS);
      const stream = playbackStream(ctx.dataPaths.footage, segmentsOf(cameraId, fromMs, toMs), fromMs, toMs);
      if (!stream) throw nothingRecorded();
      endWhenAccessEnds(ctx, request, reply, 'playback');
      auditCameraAccess(ctx, request, cameraId, 'playback', { from: toIso(fromMs), to: toIso(toMs) });
      return reply
        .header('content-type', stream.mimeType)
        .header('vigil-origin-ms', String(stream.originMs))
        .header('cache-control', 'no-store')
        .send(Readable.from(stream.chunks));
    },
  );

  media.get(
    '/api/v1/cameras/:id/export.mp4',
    {
      exposeHeadRoute: false,
      config: { access: EXPORT },
      schema: {
        summary: 'A range as a standard MP4 download, from the keyframe at or before from (at most an hour)',
        params: CAMERA_ID_PARAMS,
        querystring: rangeQuery,
        response: { 400: errorBodySchema, 416: errorBodySchema },
      },
    },
    async (request, reply) => {
      const cameraId = Number(request.params.id);
      const camera = ctx.cameras.get(cameraId);
      if (!camera) throw cameraNotFound();
      const { fromMs, toMs } = rangeOf(request.query, MAX_EXPORT_MS);
      const mp4 = await exportMp4(ctx.dataPaths.footage, segmentsOf(cameraId, fromMs, toMs), fromMs, toMs);
      if (!mp4) throw nothingRecorded();
      const fileName = exportFileName(camera.name, mp4.startMs);
      endWhenAccessEnds(ctx, request, reply, 'export');
      auditCameraAccess(ctx, request, cameraId, 'export', { from: toIso(fromMs), to: toIso(toMs), file: fileName });
      return reply
        .header('content-type', 'video/mp4')
        .header('content-length', String(mp4.byteLength))
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(mp4.chunks));
    },
  );
}
