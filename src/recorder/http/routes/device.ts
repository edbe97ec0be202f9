import { isoTime } from '../../../shared/clock.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { deviceSchema } from '../../api/device.js';
import { configuredRecoveryMethods } from '../../recovery/configured-methods.js';

export function deviceRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.get(
    '/api/v1/device',
    {
      config: { access: 'anyone' },
      schema: {
        summary: 'What this recorder is and whether it is activated',
        response: {
          200: deviceSchema,
        },
      },
    },
    async () => {
      const device = ctx.store.getDevice()!;
      const binding = ctx.cloudBinding.get();
      return {
        serial: device.serial,
        model: device.model,
        firmwareVersion: ctx.firmwareVersion,
        activated: device.activatedAt !== null,
        recoveryMethods: configuredRecoveryMethods(ctx),
        cloud: { bound: binding !== undefined, cloudUrl: binding?.cloudUrl ?? null, since: binding ? isoTime(binding.boundAt) : null },
      };
    },
  );
}
