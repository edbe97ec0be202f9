import type { RecorderContext } from '../context.js';
import { startCloudLink, type CloudLink } from './cloud-link.js';
import { answerCloudCommand, unbindByCloud } from './device-commands.js';

/** The recorder's link to `cloudUrl`, answering with what the recorder has. */
export function connectToCloud(ctx: RecorderContext, cloudUrl: string, random: () => number): CloudLink {
  return startCloudLink({
    cloudUrl,
    deviceKey: ctx.vendorSupport.deviceKey,
    device: () => ctx.store.getDevice()!,
    boundHere: () => ctx.cloudBinding.get()?.cloudUrl === cloudUrl,
    // Spread at each command, not once: a factory reset replaces parts of the context.
    answer: (command) => answerCloudCommand({ ...ctx, deviceKey: ctx.vendorSupport.deviceKey }, cloudUrl, command),
    onWelcome: (bound) => {
      if (!bound) unbindByCloud(ctx, cloudUrl);
    },
    clock: ctx.clock,
    timers: ctx.timers,
    random,
    logger: ctx.logger,
  });
}
