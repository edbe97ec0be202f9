import type { FastifyRequest } from 'fastify';
import type { RecorderContext } from '../context.js';
import { ApiError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The device's server secret when the request arrived: a factory reset replaces it. */
    deviceSecretAtStart?: Buffer;
  }
}

/**
 * Notes which installation of the device a request started under, from the device record the
 * access check reads anyway (one read per request, not two). A factory reset runs between two
 * turns of the event loop, so a request waiting on a password hash can wake to find its user, its
 * session or its settings erased; whatever then fails is the reset's doing, not a fault.
 */
export function noteDeviceAtStart(request: FastifyRequest, device: { serverSecret: Buffer } | undefined): void {
  request.deviceSecretAtStart = device?.serverSecret;
}

/** Whether a factory reset happened while the request ran. */
export function resetDuring(ctx: RecorderContext, request: FastifyRequest): boolean {
  const atStart = request.deviceSecretAtStart;
  const now = ctx.store.getDevice()?.serverSecret;
  return atStart !== undefined && (now === undefined || !atStart.equals(now));
}

export const deviceWasReset = () =>
  new ApiError(
    503,
    'device_reset',
    'The recorder was factory reset while this request ran: it is inactive now. Reload the page to activate it again.',
    undefined,
    { 'retry-after': '1' },
  );
