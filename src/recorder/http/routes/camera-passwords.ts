import { isoTime } from '../../../shared/clock.js';
import { reauthenticate } from '../../accounts/reauthenticate.js';
import { CAMERA_ID_PARAMS } from '../../api/cameras.js';
import {
  JOB_ID_PARAMS,
  chosenPasswordBody,
  chosenPasswordSchema,
  rotationOverviewSchema,
  rotationStartedSchema,
  scheduleBody,
  scheduleSchema,
  startRotationBody,
} from '../../api/camera-passwords.js';
import type { RecorderContext } from '../../context.js';
import type { CameraRecord } from '../../db/camera-store.js';
import { isChangeable } from '../../media/cameras/password-change.js';
import { describePasswordChange, nextRotationAt, passwordStatus } from '../../media/cameras/password-change-policy.js';
import type { RotationJob } from '../../media/cameras/password-rotation-jobs.js';
import { scheduledCameras } from '../../media/cameras/password-upkeep.js';
import { requireAuth } from '../access.js';
import type { ApiApp } from '../api-app.js';
import { ApiError, cameraNotFound, tooManyAttempts } from '../errors.js';

const rotationBusy = () => new ApiError(409, 'rotation_under_way', 'A camera password change is under way. Wait for it to finish, then try again.');

/** A camera's password as the camera list shows it (never the password itself). */
export function cameraPasswordViewOf(ctx: RecorderContext, camera: CameraRecord) {
  const state = ctx.cameraPasswords.get(camera.id);
  const changeable = isChangeable(camera);
  const status = passwordStatus({
    pending: state?.pendingSealed != null,
    loginRefused: ctx.cameraSupervisors.status(camera.id).problem === 'unauthorized',
    changeable,
  });
  return { ...status, changeable, changedAt: isoTime(state?.changedAt ?? camera.createdAt) };
}

function jobView(ctx: RecorderContext, job: RotationJob) {
  return {
    id: job.id,
    trigger: job.trigger,
    startedAt: isoTime(job.startedAt),
    finishedAt: job.finishedAt === null ? null : isoTime(job.finishedAt),
    total: job.cameras.length,
    done: job.cameras.filter((c) => c.state === 'done').length,
    cameras: job.cameras.map((c) => ({
      cameraId: c.cameraId,
      name: ctx.cameras.get(c.cameraId)?.name ?? null,
      state: c.state,
      outcome: c.outcome,
      message: c.outcome === null ? null : describePasswordChange(c.outcome),
    })),
  };
}

function scheduleView(ctx: RecorderContext) {
  const everyDays = ctx.cameraPasswords.scheduleDays();
  const next = nextRotationAt(scheduledCameras({ cameras: ctx.cameras, passwords: ctx.cameraPasswords }), everyDays);
  return { everyDays, nextRotationAt: next === null ? null : isoTime(next) };
}

/**
 * Cameras' own passwords, for the admin: rotate one, some or all (a job the page polls), the
 * rotation schedule, and a password of the admin's choosing after re-authentication. Answers carry
 * outcomes, never a password.
 */
export function cameraPasswordRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.get(
    '/api/v1/cameras/password-rotation',
    { config: { access: 'admin' }, schema: { summary: "The latest rotation of cameras' passwords and the rotation schedule", response: { 200: rotationOverviewSchema } } },
    async () => {
      const job = ctx.cameraRotations.latest();
      return { job: job ? jobView(ctx, job) : null, schedule: scheduleView(ctx) };
    },
  );

  app.post(
    '/api/v1/cameras/password-rotation',
    {
      config: { access: 'admin' },
      schema: {
        summary: "Give cameras new random passwords (two phases: set, verify a login, then keep); all the recorder can change, or those named. Poll the job for progress",
        body: startRotationBody,
        response: { 202: rotationStartedSchema },
      },
    },
    async (request, reply) => {
      const changeable = ctx.cameras.list().filter(isChangeable);
      const named = request.body.cameraIds;
      if (named?.some((id) => !ctx.cameras.get(id))) throw cameraNotFound();
      const ids = named ?? changeable.map((c) => c.id);
      if (ids.length === 0) throw new ApiError(422, 'no_changeable_cameras', 'No camera here has a password the recorder can change (cameras added by ONVIF or activated by the recorder).');
      const { user } = requireAuth(request);
      const job = ctx.cameraRotations.start(ids, { actor: { id: user.id, username: user.username }, sourceIp: request.ip, trigger: 'admin' });
      if (!job) throw rotationBusy();
      return reply.code(202).send({ job: jobView(ctx, job) });
    },
  );

  app.get(
    '/api/v1/cameras/password-rotation/jobs/:jobId',
    { config: { access: 'admin' }, schema: { summary: 'One rotation: n of N cameras done, and each camera’s outcome', params: JOB_ID_PARAMS, response: { 200: rotationStartedSchema } } },
    async (request) => {
      const job = ctx.cameraRotations.get(request.params.jobId);
      if (!job) throw new ApiError(404, 'rotation_not_found', 'No such rotation; only the last few are kept.');
      return { job: jobView(ctx, job) };
    },
  );

  app.put(
    '/api/v1/cameras/password-rotation/schedule',
    { config: { access: 'admin' }, schema: { summary: "Rotate cameras' passwords every so many days, or never (null, the default)", body: scheduleBody, response: { 200: scheduleSchema } } },
    async (request) => {
      const { everyDays } = request.body;
      ctx.cameraPasswords.setScheduleDays(everyDays, ctx.clock.now());
      const { user } = requireAuth(request);
      ctx.audit.append({
        type: 'camera.password_schedule_changed',
        outcome: 'success',
        actor: { id: user.id, username: user.username },
        sourceIp: request.ip,
        target: 'device',
        details: { schedule: everyDays },
      });
      return { schedule: scheduleView(ctx) };
    },
  );

  app.put(
    '/api/v1/cameras/:id/password',
    {
      config: { access: 'admin' },
      schema: {
        summary: "Set a camera's own password to one the admin chose (your password again); two phases, as a rotation. The password is never returned",
        params: CAMERA_ID_PARAMS,
        body: chosenPasswordBody,
        response: { 200: chosenPasswordSchema },
      },
    },
    async (request) => {
      const cameraId = Number(request.params.id);
      const auth = requireAuth(request);
      const actor = { id: auth.user.id, username: auth.user.username };
      const proof = await reauthenticate(ctx, auth, request.body.currentPassword, request.ip);
      if (!proof.ok) {
        if (proof.reason === 'throttled') throw tooManyAttempts(proof.retryAfterSeconds);
        ctx.audit.append({ type: 'camera.password_set', outcome: 'failure', actor, sourceIp: request.ip, target: `camera:${cameraId}`, details: { reason: proof.reason } });
        throw new ApiError(403, 'invalid_current_password', 'Your current password is not right. Nothing was changed.');
      }
      const camera = ctx.cameras.get(cameraId);
      if (!camera) throw cameraNotFound();
      const outcome = await ctx.cameraRotations.changeTo(cameraId, request.body.newPassword, { actor, sourceIp: request.ip, trigger: 'admin' });
      if (outcome === undefined) throw rotationBusy();
      return { outcome, message: describePasswordChange(outcome) };
    },
  );
}
