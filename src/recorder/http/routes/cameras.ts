import type { FastifyRequest } from 'fastify';
import { isoTime as toIso } from '../../../shared/clock.js';
import { cameraPermissions, canSeeCamera, type Subject } from '../../accounts/permissions.js';
import { permissionSubject } from '../../accounts/users.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import {
  CAMERA_ID_PARAMS,
  activateCameraBody,
  cameraAddedSchema,
  cameraChangeBody,
  cameraDiscoveryBody,
  cameraDiscoverySchema,
  cameraChangedSchema,
  cameraListSchema,
  cameraRemovedSchema,
  cameraView,
  newCameraBody,
  onvifCameraBody,
  probeBody,
  probeEditBody,
  probeOutcomeView,
} from '../../api/cameras.js';
import type { CameraRecord, ProbeResult } from '../../db/camera-store.js';
import { addCamera, removeCamera, updateCamera, type CameraFields, type CameraRefusal } from '../../media/cameras/camera-admin.js';
import { openCameraPassword, rtspSource, sourceOf } from '../../media/cameras/camera-secrets.js';
import { planEdit } from '../../media/cameras/camera-edit.js';
import { credentialsOf, parseCameraUrl } from '../../media/cameras/camera-url.js';
import { describeConnectFailure } from '../../media/cameras/connect-failure.js';
import { probeCamera, type ProbeOutcome } from '../../media/cameras/probe.js';
import { findCameras } from '../../media/cameras/camera-discovery.js';
import { activateWithOwnPassword, VIGIL_CAMERA_ADMIN, type CameraActivationOutcome } from '../../media/cameras/camera-activation.js';
import { scanForOnvifCameras } from '../../../media/onvif/discovery-scan.js';
import { OnvifClient, OnvifError } from '../../../media/onvif/onvif-client.js';
import type { CameraProblem } from '../../media/cameras/supervisor-policy.js';
import { requireAuth, type RouteAccess } from '../access.js';
import { spendProbe as spendUserProbe } from '../probe-budget.js';
import { cameraPasswordViewOf } from './camera-passwords.js';
import { ApiError, cameraNotFound, tooManyAttempts } from '../errors.js';
import { passActivation } from '../../media/cameras/activation-guard.js';

/** How long a scan listens for answers: cameras answer within a second; some wait a random while first, as WS-Discovery allows. */
const SCAN_LISTEN_MS = 3000;
/** How long one ONVIF call may take before the camera counts as unreachable. */
const ONVIF_TIMEOUT_MS = 5000;
/**
 * How long a camera may take to accept its first password: it hashes the password and the label
 * code and judges the password first (seconds on a small or busy camera). Given up too early, the
 * camera would keep a password the recorder did not record.
 */
const ACTIVATION_TIMEOUT_MS = 30_000;

const ONVIF_REFUSALS: Record<OnvifError['kind'], ApiError> = {
  unauthorized: new ApiError(422, 'camera_login_refused', 'The camera refused this user name and password. Nothing was added; check them and try again.'),
  unreachable: new ApiError(422, 'camera_unreachable', 'The camera could not be reached at this address. Nothing was added.'),
  timeout: new ApiError(422, 'camera_unreachable', 'The camera did not answer in time. Nothing was added.'),
  protocol: new ApiError(422, 'camera_not_onvif', 'The camera did not answer as an ONVIF camera with a stream. Nothing was added.'),
};

const ACTIVATION_REFUSALS: Record<Exclude<CameraActivationOutcome, 'activated'>, ApiError> = {
  wrong_label_code: new ApiError(403, 'wrong_label_code', "The camera refused this label code. Check the code on the camera's label; nothing was changed."),
  already_active: new ApiError(409, 'camera_already_active', 'The camera is already active: add it with its user name and password.'),
  throttled: new ApiError(429, 'camera_activation_throttled', 'The camera refuses more label codes for now, after too many wrong ones. Try again later.'),
  refused: new ApiError(422, 'camera_activation_refused', 'The camera refused to be activated. Nothing was added.'),
  unreachable: ONVIF_REFUSALS.unreachable,
};

/** Adding a camera, and probing addresses to add, is configuring the recorder: the `settings` permission. */
const ADD_CAMERAS: RouteAccess = { permission: 'settings' };
const CONFIGURE_CAMERA: RouteAccess = { cameraPermission: 'configure' };
const SEE_CAMERA: RouteAccess = { cameraPermission: 'any' };

const PROBLEM_MESSAGES: Record<'frozen' | 'lost', string> = {
  frozen: 'The camera stopped sending video while connected; the recorder is reconnecting.',
  lost: 'The connection to the camera was lost; the recorder is reconnecting.',
};
const problemMessage = (problem: CameraProblem | null) =>
  problem === null ? null : problem === 'frozen' || problem === 'lost' ? PROBLEM_MESSAGES[problem] : describeConnectFailure(problem);

function viewOf(ctx: RecorderContext, subject: Subject, camera: CameraRecord) {
  const status = ctx.cameraSupervisors.status(camera.id);
  const loss = ctx.recording.lossOf(camera.id);
  const { probe } = camera;
  const permissions = cameraPermissions(subject, String(camera.id));
  return {
    id: camera.id,
    name: camera.name,
    // How to reach the camera is its configuration: some cameras take tokens in the query string.
    ...(permissions.includes('configure') ? { url: camera.url, username: camera.username } : {}),
    passwordSet: camera.passwordSealed !== null,
    transport: camera.transport,
    enabled: camera.enabled,
    createdAt: toIso(camera.createdAt),
    updatedAt: toIso(camera.updatedAt),
    probe: probe && { ...probeFields(probe), probedAt: toIso(probe.at) },
    status: {
      state: status.state,
      lastFrameAt: status.lastFrameAt === null ? null : toIso(status.lastFrameAt),
      bitrate: status.bitrate,
      problem: status.problem,
      problemMessage: problemMessage(status.problem),
      retryAt: status.retryAt === null ? null : toIso(status.retryAt),
      recording: {
        droppedFrames: loss.droppedFrames,
        droppedBytes: loss.droppedBytes,
        droppingSince: loss.droppingSince === null ? null : toIso(loss.droppingSince),
        lastDropAt: loss.lastDropAt === null ? null : toIso(loss.lastDropAt),
      },
    },
    permissions,
    password: cameraPasswordViewOf(ctx, camera),
    recordingMode: camera.recordingMode,
    motion: { available: camera.deviceUrl !== null && camera.passwordSealed !== null, watched: ctx.motionStatus.of(camera.id).subscribed },
  };
}

const probeFields = ({ codec, width, height, fps, bitrate }: ProbeResult): ProbeResult => ({ codec, width, height, fps, bitrate });

const probeView = (outcome: ProbeOutcome) =>
  outcome.ok ? { ok: true, result: outcome.result } : { ok: false, problem: outcome.kind, message: outcome.message };

function refusal(refused: CameraRefusal): ApiError {
  return refused.reason === 'invalid_url' ? new ApiError(400, 'invalid_camera_url', refused.message) : cameraNotFound();
}

const subjectOf = (ctx: RecorderContext, request: FastifyRequest) => permissionSubject(ctx, requireAuth(request).user);
const actorOf = (request: FastifyRequest) => ({ auth: requireAuth(request), sourceIp: request.ip });

/** Probes a stored camera and keeps what it measured. */
async function probeAndSave(ctx: RecorderContext, camera: CameraRecord): Promise<ProbeOutcome> {
  const outcome = await probeCamera(sourceOf(ctx.settingsKey, camera), { connect: ctx.cameraConnect, clock: ctx.clock, timers: ctx.timers });
  // The camera may have been removed or changed while the probe ran; then its result is not this camera's.
  const current = ctx.cameras.get(camera.id);
  if (outcome.ok && current && current.updatedAt === camera.updatedAt && current.url === camera.url) {
    ctx.cameras.saveProbe(camera.id, outcome.result, ctx.clock.now());
  }
  return outcome;
}

export function cameraRoutes(app: ApiApp, ctx: RecorderContext): void {
  const probeDeps = { connect: ctx.cameraConnect, clock: ctx.clock, timers: ctx.timers };

  app.get(
    '/api/v1/cameras',
    {
      config: { access: 'session' },
      schema: {
        summary: 'The cameras I may see (any camera permission), with their live status',
        response: { 200: cameraListSchema },
      },
    },
    async (request) => {
      const subject = subjectOf(ctx, request);
      const all = ctx.cameras.list();
      const visible = all.filter((c) => canSeeCamera(subject, String(c.id)));
      return { cameras: visible.map((c) => viewOf(ctx, subject, c)), othersHidden: visible.length < all.length };
    },
  );

  app.get(
    '/api/v1/cameras/:id',
    { config: { access: SEE_CAMERA }, schema: { summary: 'One camera, with its live status', params: CAMERA_ID_PARAMS, response: { 200: cameraView } } },
    async (request) => {
      const camera = ctx.cameras.get(Number(request.params.id));
      if (!camera) throw cameraNotFound();
      return viewOf(ctx, subjectOf(ctx, request), camera);
    },
  );

  app.post(
    '/api/v1/cameras',
    {
      config: { access: ADD_CAMERAS },
      schema: {
        summary: 'Add a camera by its RTSP address; it is probed at once (a failed probe still adds it)',
        body: newCameraBody,
        response: { 201: cameraAddedSchema },
      },
    },
    async (request, reply) => {
      const { transport = 'tcp', enabled = true, ...rest } = request.body;
      const fields: CameraFields = { ...rest, transport, enabled };
      return reply.code(201).send(await addAndProbe(request, fields));
    },
  );

  app.patch(
    '/api/v1/cameras/:id',
    {
      config: { access: CONFIGURE_CAMERA },
      schema: {
        summary: 'Change a camera; a new address, login or transport probes it again',
        params: CAMERA_ID_PARAMS,
        body: cameraChangeBody,
        response: { 200: cameraChangedSchema },
      },
    },
    async (request) => {
      const outcome = updateCamera(ctx, actorOf(request), Number(request.params.id), request.body);
      if (!outcome.ok) throw refusal(outcome);
      const probe = outcome.reachChanged ? probeView(await probeAndSave(ctx, outcome.camera)) : undefined;
      const camera = ctx.cameras.get(outcome.camera.id) ?? outcome.camera;
      return { camera: viewOf(ctx, subjectOf(ctx, request), camera), ...(probe ? { probe } : {}) };
    },
  );

  app.delete(
    '/api/v1/cameras/:id',
    {
      config: { access: CONFIGURE_CAMERA },
      schema: {
        summary: 'Remove a camera; its recordings are kept (and stay under the same permissions)',
        params: CAMERA_ID_PARAMS,
        response: {
          200: cameraRemovedSchema,
        },
      },
    },
    async (request) => {
      const outcome = removeCamera(ctx, actorOf(request), Number(request.params.id));
      if (!outcome.ok) throw refusal(outcome);
      return { removed: true, footageKept: true, message: 'The camera is removed. Its recordings are kept until retention deletes them.' };
    },
  );

  app.post(
    '/api/v1/cameras/probe',
    {
      config: { access: ADD_CAMERAS },
      schema: {
        summary: 'Try an address and login before adding a camera: codec, resolution, frame rate and bitrate, or why not',
        body: probeBody,
        response: { 200: probeOutcomeView },
      },
    },
    async (request) => {
      spendProbe(request);
      const parsed = parseCameraUrl(request.body.url);
      if (!parsed.ok) throw new ApiError(400, 'invalid_camera_url', parsed.message);
      const { username, password } = credentialsOf(request.body, parsed);
      const source = rtspSource({ url: parsed.url, transport: request.body.transport ?? 'tcp', username, password });
      return probeView(await probeCamera(source, probeDeps));
    },
  );

  app.post(
    '/api/v1/cameras/:id/probe',
    {
      config: { access: CONFIGURE_CAMERA },
      schema: {
        summary: "Try a camera as it would be after an edit (absent fields as stored, the stored password if it stays); nothing is saved",
        params: CAMERA_ID_PARAMS,
        body: probeEditBody,
        response: { 200: probeOutcomeView },
      },
    },
    async (request) => {
      spendProbe(request);
      const camera = ctx.cameras.get(Number(request.params.id));
      if (!camera) throw cameraNotFound();
      const plan = planEdit(camera, request.body);
      if (!plan.ok) throw new ApiError(400, 'invalid_camera_url', plan.message);
      const password = 'set' in plan.password ? plan.password.set : 'keep' in plan.password ? openCameraPassword(ctx.settingsKey, camera) : undefined;
      return probeView(await probeCamera(rtspSource({ ...plan, password }), probeDeps));
    },
  );

  app.post(
    '/api/v1/cameras/discovery',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Scan the LAN for ONVIF cameras (WS-Discovery): model, address and whether each is active; takes a few seconds',
        body: cameraDiscoveryBody,
        response: { 200: cameraDiscoverySchema },
      },
    },
    async (request) => {
      spendUserProbe(ctx.cameraDiscoveryThrottle, request);
      const cameras = await findCameras({
        scan: () => scanForOnvifCameras({ listenMs: SCAN_LISTEN_MS, timers: ctx.timers }),
        // Most cameras tell who they are only after a login; the scan's scopes then give the model.
        information: (deviceUrl) => onvifClient(deviceUrl).deviceInformation().catch(() => undefined),
      });
      return { cameras };
    },
  );

  app.post(
    '/api/v1/cameras/onvif',
    {
      config: { access: ADD_CAMERAS },
      schema: {
        summary: "Add a camera by its ONVIF service and login: the recorder asks it for its stream's RTSP address (nothing is added if the camera refuses the login)",
        body: onvifCameraBody,
        response: { 201: cameraAddedSchema },
      },
    },
    async (request, reply) => {
      spendProbe(request);
      const { name, deviceUrl, username, password, transport = 'tcp' } = request.body;
      const url = await onvifClient(deviceUrl)
        .streamUri({ username, password })
        .catch((error: unknown) => {
          throw error instanceof OnvifError ? ONVIF_REFUSALS[error.kind] : error;
        });
      return reply.code(201).send(await addAndProbe(request, { name, url, username, password, transport, enabled: true, deviceUrl }));
    },
  );

  app.post(
    '/api/v1/cameras/activate',
    {
      config: { access: 'admin' },
      schema: {
        summary:
          'Activate a Vigil camera found inactive with its label code: the recorder chooses its password (random, its own), keeps it sealed and adds the camera',
        body: activateCameraBody,
        response: { 201: cameraAddedSchema },
      },
    },
    async (request, reply) => {
      const { name, deviceUrl, labelCode } = request.body;
      const host = new URL(deviceUrl).hostname;
      const actor = { id: requireAuth(request).user.id, username: requireAuth(request).user.username };
      spendProbe(request);
      // Label-code guesses are counted like wrong logins, before anything is sent anywhere.
      const pass = passActivation(ctx, { deviceUrl, sourceIp: request.ip });
      if (!pass.allowed) {
        ctx.audit.append({ type: 'camera.activation_failed', outcome: 'failure', actor, sourceIp: request.ip, target: `host:${host}`, details: { reason: 'recorder_throttled' } });
        throw tooManyAttempts(pass.retryAfterSeconds);
      }
      const activation = await activateWithOwnPassword(onvifClient(deviceUrl), deviceUrl, labelCode, ACTIVATION_TIMEOUT_MS);
      const { outcome } = activation;
      pass.settle(outcome);
      if (outcome !== 'activated') {
        ctx.audit.append({ type: 'camera.activation_failed', outcome: 'failure', actor, sourceIp: request.ip, target: `host:${host}`, details: { reason: outcome } });
        throw ACTIVATION_REFUSALS[outcome];
      }
      ctx.audit.append({ type: 'camera.activated', outcome: 'success', actor, sourceIp: request.ip, target: `host:${host}` });
      const { url, password } = activation;
      return reply.code(201).send(await addAndProbe(request, { name, url, username: VIGIL_CAMERA_ADMIN, password, transport: 'tcp', enabled: true, deviceUrl }));
    },
  );

  /** Adds a camera and probes it at once (a failed probe still adds it); `deviceUrl`, its ONVIF service, is where its password can be changed. */
  async function addAndProbe(request: FastifyRequest, fields: CameraFields) {
    const outcome = addCamera(ctx, actorOf(request), fields);
    if (!outcome.ok) throw refusal(outcome);
    const probe = await probeAndSave(ctx, outcome.camera);
    const camera = ctx.cameras.get(outcome.camera.id) ?? outcome.camera;
    return { camera: viewOf(ctx, subjectOf(ctx, request), camera), probe: probeView(probe) };
  }

  function onvifClient(deviceUrl: string): OnvifClient {
    return new OnvifClient(deviceUrl, { timeoutMs: ONVIF_TIMEOUT_MS, now: () => ctx.clock.now() });
  }

  /** Probes per user: each makes the recorder connect to an address of the user's choosing. */
  function spendProbe(request: FastifyRequest): void {
    spendUserProbe(ctx.cameraProbeThrottle, request);
  }
}
