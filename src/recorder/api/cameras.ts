// Cameras: the schemas of these routes, and the types clients read them by.
import { CAMERA_ACTIONS } from './permission-names.js';
import { isoTime } from './common.js';
import { motionView, RECORDING_MODES } from './motion-events.js';
import type { Served } from './served.js';
import { cameraPasswordView } from './camera-passwords.js';

/** The longest camera address the recorder takes. */
export const MAX_URL_LENGTH = 2048;

/** Why a camera could not be reached or read: the kinds the RTSP client's RtspError carries, plus what the recorder itself notices. */
export const CONNECT_FAILURE_KINDS = ['unreachable', 'timeout', 'unauthorized', 'not_found', 'unsupported', 'protocol', 'no_video'] as const;

/** The `:id` of camera routes: what the store's INTEGER ids look like. */
export const CAMERA_ID_PATTERN = '^[1-9][0-9]{0,9}$';

/** The params schema of every route under /api/v1/cameras/:id. */
export const CAMERA_ID_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: CAMERA_ID_PATTERN } } } as const;

/** No control characters: names end up in page titles, file names of exports and the audit log. */
const nameSchema = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^\\u0000-\\u001f\\u007f]*\\S[^\\u0000-\\u001f\\u007f]*$' } as const;

const urlSchema = { type: 'string', minLength: 1, maxLength: MAX_URL_LENGTH, description: 'rtsp:// or rtsps://; credentials in it are moved to username and password' } as const;

const usernameSchema = { anyOf: [{ type: 'string', maxLength: 128, pattern: '^[^\\u0000-\\u001f\\u007f]*$' }, { type: 'null' }], description: 'empty or null: none' } as const;

const passwordSchema = {
  anyOf: [{ type: 'string', minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f]*$' }, { type: 'null' }],
  description: 'write-only: a string sets it, null removes it, absent keeps it (dropped when the camera moves to another host)',
} as const;

const transportSchema = { type: 'string', enum: ['tcp', 'udp'], description: 'RTP interleaved in the RTSP connection, or over UDP' } as const;

const probeResultView = {
  type: 'object',
  required: ['codec'],
  properties: {
    codec: { type: 'string', enum: ['h264', 'h265'] },
    width: { type: 'integer' },
    height: { type: 'integer' },
    fps: { type: 'number' },
    bitrate: { type: 'integer', description: 'bits per second' },
  },
} as const;

const problemKinds = [...CONNECT_FAILURE_KINDS, 'frozen', 'lost'] as const;

export const cameraView = {
  type: 'object',
  required: ['id', 'name', 'passwordSet', 'transport', 'enabled', 'createdAt', 'updatedAt', 'probe', 'status', 'permissions', 'password', 'recordingMode', 'motion'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    url: { type: 'string', description: 'never with credentials; only to those who may configure the camera' },
    username: { type: ['string', 'null'], description: 'only to those who may configure the camera' },
    passwordSet: { type: 'boolean', description: 'the password itself is never returned' },
    transport: transportSchema,
    enabled: { type: 'boolean' },
    createdAt: isoTime,
    updatedAt: isoTime,
    probe: { anyOf: [{ ...probeResultView, required: ['codec', 'probedAt'], properties: { ...probeResultView.properties, probedAt: isoTime } }, { type: 'null' }] },
    status: {
      type: 'object',
      required: ['state', 'lastFrameAt', 'bitrate', 'problem', 'problemMessage', 'retryAt', 'recording'],
      properties: {
        state: { type: 'string', enum: ['disabled', 'connecting', 'online', 'offline'] },
        lastFrameAt: { anyOf: [isoTime, { type: 'null' }] },
        bitrate: { type: ['integer', 'null'], description: 'bits per second over the last seconds' },
        problem: { anyOf: [{ type: 'string', enum: problemKinds }, { type: 'null' }] },
        problemMessage: { type: ['string', 'null'] },
        retryAt: { anyOf: [isoTime, { type: 'null' }] },
        recording: {
          type: 'object',
          description: 'video lost because the disk fell behind the camera, on this run of the recorder',
          required: ['droppedFrames', 'droppedBytes', 'droppingSince', 'lastDropAt'],
          properties: {
            droppedFrames: { type: 'integer' },
            droppedBytes: { type: 'integer' },
            droppingSince: { anyOf: [isoTime, { type: 'null' }], description: 'while frames are being dropped' },
            lastDropAt: { anyOf: [isoTime, { type: 'null' }] },
          },
        },
      },
    },
    permissions: { type: 'array', items: { type: 'string', enum: [...CAMERA_ACTIONS] }, description: 'what the caller may do with this camera' },
    password: cameraPasswordView,
    recordingMode: { type: 'string', enum: [...RECORDING_MODES], description: 'continuous, or only the footage around motion events' },
    motion: motionView,
  },
} as const;

export const probeOutcomeView = {
  type: 'object',
  required: ['ok'],
  properties: {
    ok: { type: 'boolean' },
    result: probeResultView,
    problem: { type: 'string', enum: [...CONNECT_FAILURE_KINDS] },
    message: { type: 'string' },
  },
} as const;

/** GET /cameras. */
export const cameraListSchema = {
  type: 'object',
  required: ['cameras', 'othersHidden'],
  properties: {
    cameras: { type: 'array', items: cameraView },
    othersHidden: {
      type: 'boolean',
      description: "the recorder has cameras this user may do nothing with, left out of the list: so an empty list can say that none is shared with them",
    },
  },
} as const;

/** POST /cameras. */
export const newCameraBody = {
  type: 'object',
  required: ['name', 'url'],
  additionalProperties: false,
  properties: {
    name: nameSchema,
    url: urlSchema,
    username: usernameSchema,
    password: passwordSchema,
    transport: { ...transportSchema, description: 'default tcp' },
    enabled: { type: 'boolean', description: 'default true' },
  },
} as const;

/** POST /cameras: the camera, and what probing it found. */
export const cameraAddedSchema = { type: 'object', required: ['camera', 'probe'], properties: { camera: cameraView, probe: probeOutcomeView } } as const;

/** PATCH /cameras/:id. */
export const cameraChangeBody = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: { name: nameSchema, url: urlSchema, username: usernameSchema, password: passwordSchema, transport: transportSchema, enabled: { type: 'boolean' } },
} as const;

/** PATCH /cameras/:id: the camera, and what probing it again found when its address, login or transport changed. */
export const cameraChangedSchema = { type: 'object', required: ['camera'], properties: { camera: cameraView, probe: probeOutcomeView } } as const;

/** DELETE /cameras/:id. */
export const cameraRemovedSchema = {
  type: 'object',
  required: ['removed', 'footageKept', 'message'],
  properties: { removed: { type: 'boolean' }, footageKept: { type: 'boolean' }, message: { type: 'string' } },
} as const;

/** POST /cameras/probe. */
export const probeBody = {
  type: 'object',
  required: ['url'],
  additionalProperties: false,
  properties: { url: urlSchema, username: usernameSchema, password: passwordSchema, transport: { ...transportSchema, description: 'default tcp' } },
} as const;

/** POST /cameras/:id/probe: the fields as the edit would change them. */
export const probeEditBody = {
  type: 'object',
  additionalProperties: false,
  properties: { url: urlSchema, username: usernameSchema, password: passwordSchema, transport: transportSchema },
} as const;

/** POST /cameras/discovery: nothing to say; a POST because each scan sends a multicast and costs seconds. */
export const cameraDiscoveryBody = { type: 'object', additionalProperties: false, properties: {} } as const;

/** POST /cameras/discovery: the ONVIF cameras that answered a WS-Discovery scan of the LAN. */
export const cameraDiscoverySchema = {
  type: 'object',
  required: ['cameras'],
  properties: {
    cameras: {
      type: 'array',
      items: {
        type: 'object',
        required: ['endpoint', 'address', 'deviceUrl', 'model', 'manufacturer', 'serialNumber', 'firmwareVersion', 'activation'],
        properties: {
          endpoint: { type: 'string', description: 'WS-Discovery endpoint, urn:uuid:...' },
          address: { type: 'string', description: 'host[:port] of its ONVIF service' },
          deviceUrl: { type: 'string', description: 'its ONVIF device service, to add it by' },
          model: { type: ['string', 'null'] },
          manufacturer: { type: ['string', 'null'], description: 'null when the camera tells it only after a login' },
          serialNumber: { type: ['string', 'null'] },
          firmwareVersion: { type: ['string', 'null'] },
          activation: { type: 'string', enum: ['active', 'inactive', 'unknown'], description: 'inactive: it waits for its label code; unknown: it does not say' },
        },
      },
    },
  },
} as const;

/** POST /cameras/onvif: add a camera by its ONVIF service; the recorder learns its stream. */
export const onvifCameraBody = {
  type: 'object',
  required: ['name', 'deviceUrl', 'username', 'password'],
  additionalProperties: false,
  properties: {
    name: nameSchema,
    deviceUrl: { type: 'string', minLength: 1, maxLength: MAX_URL_LENGTH, pattern: '^https?://', description: "the camera's ONVIF device service, as the scan found it" },
    username: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[^\\u0000-\\u001f\\u007f]*$' },
    password: { type: 'string', minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f]*$', description: 'write-only; kept sealed' },
    transport: { ...transportSchema, description: 'default tcp' },
  },
} as const;

/** POST /cameras/activate: a Vigil camera found inactive, its label code, and the name to add it under. */
export const activateCameraBody = {
  type: 'object',
  required: ['name', 'deviceUrl', 'labelCode'],
  additionalProperties: false,
  properties: {
    name: nameSchema,
    deviceUrl: onvifCameraBody.properties.deviceUrl,
    labelCode: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z -]*$', description: "the code on the camera's label; never stored" },
  },
} as const;

export type Camera = Served<typeof cameraView>;
export type CameraList = Served<typeof cameraListSchema>;
export type CameraTransport = Camera['transport'];
export type ProbeResult = Served<typeof probeResultView>;
export type ProbeOutcome = Served<typeof probeOutcomeView>;
export type NewCameraBody = Served<typeof newCameraBody>;
export type CameraAdded = Served<typeof cameraAddedSchema>;
export type CameraChangeBody = Served<typeof cameraChangeBody>;
export type CameraChanged = Served<typeof cameraChangedSchema>;
export type CameraRemoved = Served<typeof cameraRemovedSchema>;
export type ProbeBody = Served<typeof probeBody>;
export type ProbeEditBody = Served<typeof probeEditBody>;
export type CameraDiscovery = Served<typeof cameraDiscoverySchema>;
export type FoundCamera = CameraDiscovery['cameras'][number];
export type OnvifCameraBody = Served<typeof onvifCameraBody>;
export type ActivateCameraBody = Served<typeof activateCameraBody>;
