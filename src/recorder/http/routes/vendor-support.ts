import { MAX_RESET_FILE_CHARS, publicKeyFingerprint } from '../../api/vendor-reset-file.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { supportRequestBody, supportRequestSchema, vendorKeySchema } from '../../api/vendor-support.js';
import { resetGrantSchema } from '../../api/recovery.js';
import { acceptSupportResponse, createSupportRequest } from '../../recovery/vendor-support.js';
import { ApiError, tooManyAttempts, tooManyRequests } from '../errors.js';

const notSetUp = () =>
  new ApiError(
    409,
    'vendor_support_not_set_up',
    'This recorder has no vendor key, so it cannot check a response from support. Use another recovery method (the reset button and the label code always work).',
  );

export function vendorSupportRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.post(
    '/api/v1/recovery/support/request',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Vendor support, step 1: a reset request signed by this device, to send to support',
        body: supportRequestBody,
        response: {
          200: supportRequestSchema,
        },
      },
    },
    async (request) => {
      const outcome = createSupportRequest(ctx, { username: request.body.username, sourceIp: request.ip });
      if (outcome.ok) return outcome.request;
      if (outcome.reason === 'throttled') throw tooManyRequests(outcome.retryAfterSeconds);
      throw notSetUp();
    },
  );

  app.post(
    '/api/v1/recovery/support/verify',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Vendor support, step 2: the response file from support, for a reset grant',
        body: {
          type: 'object',
          required: ['file'],
          additionalProperties: false,
          properties: { file: { type: 'string', minLength: 1, maxLength: MAX_RESET_FILE_CHARS } },
        },
        response: { 201: resetGrantSchema },
      },
    },
    async (request, reply) => {
      const outcome = acceptSupportResponse(ctx, { file: request.body.file, sourceIp: request.ip });
      if (outcome.ok) return reply.code(201).send(outcome.grant);
      switch (outcome.reason) {
        case 'throttled':
          throw tooManyAttempts(outcome.retryAfterSeconds);
        case 'not_set_up':
          throw notSetUp();
        case 'refused':
          throw new ApiError(
            401,
            'invalid_support_response',
            'This response from support cannot be used here: it is for another request or recorder, was used already, has expired (48 hours after the request), or was not signed by the vendor. Make a new reset request and send it to support.',
          );
      }
    },
  );

  app.get(
    '/api/v1/recovery/support/vendor-key',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Whether a vendor key is installed (vendor support recovery works), and its fingerprint',
        response: {
          200: vendorKeySchema,
        },
      },
    },
    async () => {
      const key = ctx.vendorSupport.vendorKey;
      return { installed: key !== null, fingerprint: key ? publicKeyFingerprint(key) : null };
    },
  );
}
