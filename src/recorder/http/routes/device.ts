import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { configuredRecoveryMethods } from '../../recovery/configured-methods.js';
import { RECOVERY_METHODS } from '../../recovery/methods.js';

export function deviceRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.get(
    '/api/v1/device',
    {
      config: { access: 'anyone' },
      schema: {
        summary: 'What this recorder is and whether it is activated',
        response: {
          200: {
            type: 'object',
            required: ['serial', 'model', 'firmwareVersion', 'activated', 'recoveryMethods'],
            properties: {
              serial: { type: 'string' },
              model: { type: 'string' },
              firmwareVersion: { type: 'string' },
              activated: { type: 'boolean' },
              recoveryMethods: {
                type: 'object',
                required: [...RECOVERY_METHODS],
                properties: Object.fromEntries(RECOVERY_METHODS.map((m) => [m, { type: 'boolean' }])),
              },
            },
          },
        },
      },
    },
    async () => {
      const device = ctx.store.getDevice()!;
      return {
        serial: device.serial,
        model: device.model,
        firmwareVersion: ctx.firmwareVersion,
        activated: device.activatedAt !== null,
        recoveryMethods: configuredRecoveryMethods(ctx),
      };
    },
  );
}
