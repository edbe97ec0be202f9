import type { FastifyInstance } from 'fastify';
import type { RecorderContext } from '../../context.js';

/**
 * Recovery methods a device can have; each is reported as configured or not, never with details.
 * None can be configured yet: the recovery paths arrive with the recovery issue.
 */
const RECOVERY_METHODS = ['email', 'phone', 'securityQuestions', 'recoveryKey', 'cloud', 'vendorSupport'] as const;

/** Which recovery paths are configured (none can be yet). */
export function configuredRecoveryMethods(): Record<string, boolean> {
  return Object.fromEntries(RECOVERY_METHODS.map((m) => [m, false]));
}

export function deviceRoutes(app: FastifyInstance, ctx: RecorderContext): void {
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
        recoveryMethods: configuredRecoveryMethods(),
      };
    },
  );
}
