// The Vigil devices on the recorder's LAN (issue 14): the schemas of this route, and the types clients read it by.
import type { Served } from './served.js';

/** POST /lan-devices/scan: nothing to say; a POST because each scan sends multicast probes and takes seconds. */
export const lanDeviceScanBody = { type: 'object', additionalProperties: false, properties: {} } as const;

const port = { type: 'integer', minimum: 1, maximum: 65535 } as const;

/** POST /lan-devices/scan: every answer to the recorder's Vigil discovery probes, each with what its checks say. */
export const lanDeviceScanSchema = {
  type: 'object',
  required: ['devices', 'listenedSeconds'],
  properties: {
    listenedSeconds: { type: 'number', description: 'how long the recorder listened for answers' },
    devices: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'type',
          'model',
          'serial',
          'firmwareVersion',
          'addresses',
          'ports',
          'activated',
          'recoveryMethods',
          'cloudBound',
          'tlsFingerprint',
          'keyFingerprint',
          'from',
          'address',
          'status',
          'self',
          'url',
        ],
        properties: {
          type: { type: 'string', enum: ['recorder', 'camera'] },
          model: { type: 'string' },
          serial: { type: 'string' },
          firmwareVersion: { type: 'string' },
          addresses: { type: 'array', items: { type: 'string' }, description: 'where the device says its API answers' },
          ports: { type: 'object', properties: { https: port, http: port, rtsp: port }, additionalProperties: false },
          activated: { type: 'boolean' },
          recoveryMethods: {
            type: 'object',
            additionalProperties: { type: 'boolean' },
            description: 'which recovery paths it has set up, as booleans only (a recorder: as its GET /api/v1/device says)',
          },
          cloudBound: { type: 'boolean' },
          tlsFingerprint: { type: ['string', 'null'], description: "SHA-256 of its HTTPS certificate, hex; null when its API is plain HTTP" },
          keyFingerprint: { type: 'string', description: 'SHA256:... of its device key, to compare with its label or web page' },
          from: { type: 'string', description: 'the address the answer came from' },
          address: { type: 'string', description: 'host:port of its API: the address it answered from when it lists it, else the first it lists' },
          status: {
            type: 'string',
            enum: ['verified', 'key_mismatch', 'bad_signature', 'serial_conflict'],
            description:
              'verified: signed by the key it carries, and no other key claims its serial; key_mismatch, bad_signature: forged; serial_conflict: two keys answer for this serial',
          },
          self: { type: 'boolean', description: 'this recorder itself (its serial, signed by its own device key)' },
          url: {
            type: ['string', 'null'],
            description:
              "a signed answer's address to act on: a recorder's web page, or a camera's ONVIF device service (to add or activate it by); null for a forged answer",
          },
        },
      },
    },
  },
} as const;

export type LanDeviceScan = Served<typeof lanDeviceScanSchema>;
export type LanDevice = LanDeviceScan['devices'][number];
