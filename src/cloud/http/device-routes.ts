import type { FastifyInstance, FastifyReply } from 'fastify';
import { isoTime } from '../../shared/clock.js';
import { devicesOf } from '../db/devices.js';
import { bindDevice, unbindDevice, type DeviceServices } from '../devices/binding.js';
import { requestOnlineReset } from '../devices/online-reset.js';
import { signedIn } from './session-auth.js';
import { storedText } from './text-schema.js';

/**
 * A remote reset takes over the recorder's admin: only from a login this recent (a stolen session
 * cookie that is older is not enough). The login itself asks for the second factor of an account
 * that has one, so a fresh session is one where it was given.
 */
export const FRESH_LOGIN_MS = 10 * 60_000;

const errorBody = (code: string, message: string) => ({ error: { code, message } });
const SERIAL = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' } as const;
const serialParams = { type: 'object', required: ['serial'], additionalProperties: false, properties: { serial: SERIAL } } as const;

const offline = (reply: FastifyReply) => reply.code(503).send(errorBody('device_offline', 'The recorder is not connected to the cloud now: check that it runs with --cloud and reaches the internet.'));

/** The owner's devices: `GET /api/v1/devices`, bind, unbind and the online remote reset. */
export function registerDeviceRoutes(app: FastifyInstance, devices: DeviceServices): void {
  const { requireSession } = app;
  app.get('/api/v1/devices', { preHandler: requireSession }, async (request) => {
    const mine = await devicesOf(devices.db, signedIn(request).account.id);
    const online = await devices.router.online(mine.map((d) => d.serial));
    return { devices: mine.map((d) => ({ serial: d.serial, model: d.model, boundAt: isoTime(d.boundAt), online: online.has(d.serial) })) };
  });

  app.post(
    '/api/v1/devices/bind',
    {
      preHandler: requireSession,
      schema: {
        body: {
          type: 'object',
          required: ['serial', 'labelCode'],
          additionalProperties: false,
          properties: { serial: SERIAL, labelCode: storedText(1, 64) },
        },
      },
    },
    async (request, reply) => {
      const { serial, labelCode } = request.body as { serial: string; labelCode: string };
      const outcome = await bindDevice(devices, signedIn(request).account, { serial, labelCode, sourceIp: request.ip });
      if (outcome.ok) return reply.code(201).send({ serial: outcome.device.serial, model: outcome.device.model, boundAt: isoTime(outcome.device.boundAt), online: true });
      switch (outcome.reason) {
        case 'throttled':
          return reply.code(429).header('retry-after', String(outcome.retryAfterSeconds)).send(errorBody('throttled', 'Too many wrong label codes: wait and try again.'));
        case 'invalid_label_code':
          return reply.code(400).send(errorBody('invalid_label_code', 'The serial or the label code is wrong: check the sticker on the recorder.'));
        case 'device_offline':
          return offline(reply);
        case 'bound_already':
          return reply.code(409).send(errorBody('bound_already', 'This recorder is bound to an account already: unbind it there or on the recorder first.'));
      }
    },
  );

  app.delete('/api/v1/devices/:serial', { preHandler: requireSession, schema: { params: serialParams } }, async (request, reply) => {
    const { serial } = request.params as { serial: string };
    if (!(await unbindDevice(devices, signedIn(request).account, { serial, sourceIp: request.ip }))) {
      return reply.code(404).send(errorBody('not_found', 'No such device in this account.'));
    }
    return reply.code(204).send();
  });

  app.post(
    '/api/v1/devices/:serial/reset',
    {
      preHandler: requireSession,
      schema: {
        params: serialParams,
        body: {
          type: 'object',
          required: ['username'],
          additionalProperties: false,
          properties: { username: storedText(1, 64), newPassword: { type: 'string', minLength: 1, maxLength: 1024 } },
        },
      },
    },
    async (request, reply) => {
      const who = signedIn(request);
      if (devices.clock.now() - who.session.createdAt > FRESH_LOGIN_MS) {
        return reply.code(403).send(errorBody('reauthentication_required', 'Log in again (with your second factor) to reset a recorder.'));
      }
      const { serial } = request.params as { serial: string };
      const { username, newPassword } = request.body as { username: string; newPassword?: string };
      const outcome = await requestOnlineReset(devices, who.account, { serial, username, newPassword, sourceIp: request.ip });
      if (outcome.ok) {
        if ('waiting' in outcome) return reply.code(202).send({ waiting: outcome.waiting });
        return 'grant' in outcome ? { grant: outcome.grant } : { reset: true, revokedSessions: outcome.revokedSessions };
      }
      switch (outcome.reason) {
        case 'not_found':
          return reply.code(404).send(errorBody('not_found', 'No such device in this account.'));
        case 'device_offline':
          return offline(reply);
        case 'refused':
          return reply.code(409).send(errorBody('reset_refused', 'The recorder refused the reset: check the admin name, or bind the recorder again.'));
        case 'password_rejected':
          return reply.code(422).send({ error: { code: 'password_rejected', message: 'The recorder refused this password.', reasons: outcome.reasons } });
      }
    },
  );
}
