import { isoTime as toIso } from '../../../shared/clock.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { CAMERA_ID_PARAMS } from '../../api/cameras.js';
import { motionEventsSchema, recordingModeBody, recordingModeSchema } from '../../api/motion-events.js';
import { requireAuth, type RouteAccess } from '../access.js';
import { ApiError, cameraNotFound, errorBodySchema } from '../errors.js';
import { MAX_TIMELINE_MS, rangeOf, rangeQuery } from './recorded-video.js';

/** Events are part of what was recorded: who may play a camera back may see when it saw motion. */
const PLAYBACK: RouteAccess = { cameraPermission: 'playback' };
const CONFIGURE_CAMERA: RouteAccess = { cameraPermission: 'configure' };

/** Events in one answer, at most: a camera that reports motion every few seconds fills a day with thousands. */
const MAX_EVENTS = 5000;

const noMotionEvents = () =>
  new ApiError(
    409,
    'camera_without_motion_events',
    'The recorder does not watch this camera\'s motion events: only cameras added by ONVIF (or activated by the recorder) with their login have them. Motion-only recording would keep nothing, so the camera stays continuous.',
  );

export function motionEventRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.get(
    '/api/v1/cameras/:id/events',
    {
      config: { access: PLAYBACK },
      schema: {
        summary: "A camera's motion events that overlap from..to (at most 31 days), oldest first; an event still going on has no end",
        params: CAMERA_ID_PARAMS,
        querystring: rangeQuery,
        response: { 200: motionEventsSchema, 400: errorBodySchema },
      },
    },
    async (request) => {
      const { fromMs, toMs } = rangeOf(request.query, MAX_TIMELINE_MS);
      const found = ctx.motionEvents.listForCamera(Number(request.params.id), fromMs, toMs, MAX_EVENTS + 1);
      return {
        events: found.slice(0, MAX_EVENTS).map((e) => ({ start: toIso(e.startMs), end: e.endMs === null ? null : toIso(e.endMs) })),
        truncated: found.length > MAX_EVENTS,
      };
    },
  );

  app.put(
    '/api/v1/cameras/:id/recording-mode',
    {
      config: { access: CONFIGURE_CAMERA },
      schema: {
        summary: 'Record the camera continuously (the default) or keep only the footage around its motion events; audited',
        params: CAMERA_ID_PARAMS,
        body: recordingModeBody,
        response: { 200: recordingModeSchema, 409: errorBodySchema },
      },
    },
    async (request) => {
      const id = Number(request.params.id);
      const { mode } = request.body;
      const { user } = requireAuth(request);
      return ctx.store.transaction(() => {
        const camera = ctx.cameras.get(id);
        if (!camera) throw cameraNotFound();
        if (camera.recordingMode === mode) return { mode, changed: false };
        if (mode === 'motion' && (camera.deviceUrl === null || camera.passwordSealed === null)) throw noMotionEvents();
        ctx.cameras.setRecordingMode(id, mode, ctx.clock.now());
        ctx.audit.append({
          type: 'camera.recording_mode_changed',
          outcome: 'success',
          actor: { id: user.id, username: user.username },
          sourceIp: request.ip,
          target: `camera:${id}`,
          details: { name: camera.name, from: camera.recordingMode, to: mode },
        });
        return { mode, changed: true };
      });
    },
  );
}
