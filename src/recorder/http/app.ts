import { existsSync } from 'node:fs';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { RecorderTypeProvider } from './api-app.js';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { RecorderContext } from '../context.js';
import { installAccessControl } from './access.js';
import { ApiError } from './errors.js';
import { refuseIllFormedText } from './well-formed-request.js';
import { deviceWasReset, resetDuring } from './reset-guard.js';
import { activationRoutes } from './routes/activation.js';
import { auditRoutes } from './routes/audit.js';
import { deviceRoutes } from './routes/device.js';
import { lockoutRoutes } from './routes/lockouts.js';
import { meRoutes } from './routes/me.js';
import { notificationEmailRoutes } from './routes/notification-email.js';
import { passwordStrengthRoutes } from './routes/password-strength.js';
import { recoveryRoutes } from './routes/recovery.js';
import { deviceResetRoutes } from './routes/device-reset.js';
import { resetButtonRoutes } from './routes/reset-button.js';
import { recoveryKeyRoutes } from './routes/recovery-key.js';
import { securityQuestionRoutes } from './routes/security-questions.js';
import { reservedContactRoutes } from './routes/reserved-contact.js';
import { securitySettingsRoutes } from './routes/security-settings.js';
import { sessionRoutes } from './routes/sessions.js';
import { userRoutes } from './routes/users.js';
import { twoFactorRoutes } from './routes/two-factor.js';
import { vendorSupportRoutes } from './routes/vendor-support.js';
import { cameraRoutes } from './routes/cameras.js';
import { liveViewRoutes } from './routes/live-view.js';
import { recordedVideoRoutes } from './routes/recorded-video.js';
import { storageRoutes } from './routes/storage.js';
import { serveWebUi } from './web-ui.js';

export interface AppOptions {
  /** Serve HTTPS with this certificate; plain HTTP when absent (loopback only: the daemon decides). */
  https?: { cert: string; key: string };
  /** The built web UI; not served when absent. */
  webRoot?: string;
}

/** Framework errors that are the client's fault, mapped to our codes and clear messages. */
const CLIENT_ERRORS: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'Send JSON with Content-Type: application/json.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_request', message: 'The JSON body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', message: 'The body is not valid JSON.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid_request', message: 'Content-Length does not match the body.' },
};

function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply
    .code(error.status)
    .headers(error.headers)
    .send({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
}

export async function buildRecorderApp(ctx: RecorderContext, options: AppOptions = {}): Promise<FastifyInstance> {
  function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header(
      'content-security-policy',
      "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    if (options.https) reply.header('strict-transport-security', 'max-age=31536000');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  }

  const app = Fastify({
    ...(options.https ? { https: options.https } : {}),
    logger: false,
    bodyLimit: 64 * 1024,
    trustProxy: false, // the client's address is the socket's: X-Forwarded-For is not believed
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
    // The router's own errors reach neither setErrorHandler nor the onSend hook; without this, a
    // malformed %-escape in a URL got Fastify's default body and an over-long path parameter
    // (> 100 characters) a 414, both without the security headers.
    // Requests too malformed for the HTTP parser still get an answer in the API's error format.
    clientErrorHandler: (_error, socket) => {
      if (!socket.writable) return;
      const body = JSON.stringify({ error: { code: 'invalid_request', message: 'The HTTP request could not be parsed.' } });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    },
    frameworkErrors: (error, request, genericReply) => {
      const reply = genericReply as FastifyReply;
      setSecurityHeaders(request, reply);
      if (error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
        const message = error.code === 'FST_ERR_BAD_URL' ? 'The URL is not valid: check its %-escapes.' : 'A part of the URL is too long.';
        return reply.code(400).send({ error: { code: 'invalid_request', message } });
      }
      ctx.logger.error({ err: error, method: request.method, url: request.url }, 'unexpected error');
      return reply.code(500).send({ error: { code: 'internal_error', message: 'Something went wrong on the recorder. It has been logged.' } });
    },
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) return sendApiError(reply, error);
    if (error.validation) {
      return reply.code(400).send({ error: { code: 'invalid_request', message: `Invalid request: ${error.message}.` } });
    }
    // A request in flight across a factory reset (e.g. a login waiting on its hash) may find what
    // it worked on erased: the client is told, and nothing is logged as a fault.
    if (resetDuring(ctx, request)) return sendApiError(reply, deviceWasReset());
    const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
    if (known || (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)) {
      return reply
        .code(error.statusCode ?? 400)
        .send({ error: known ?? { code: 'invalid_request', message: 'The request could not be read.' } });
    }
    ctx.logger.error({ err: error, method: request.method, url: request.url }, 'unexpected error');
    return reply.code(500).send({ error: { code: 'internal_error', message: 'Something went wrong on the recorder. It has been logged.' } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { code: 'not_found', message: `Nothing at ${request.method} ${request.url.split('?')[0]}.` } }),
  );

  app.addHook('onSend', async (request, reply) => setSecurityHeaders(request, reply));

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Vigil recorder API', version: ctx.firmwareVersion },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: '__Host-vigil_session' } } },
    },
  });
  installAccessControl(app, ctx);
  refuseIllFormedText(app);

  app.get('/api/v1/openapi.json', { config: { access: 'anyone' }, schema: { hide: true } }, async () => app.swagger());
  for (const routes of [
    deviceRoutes,
    activationRoutes,
    passwordStrengthRoutes,
    sessionRoutes,
    meRoutes,
    auditRoutes,
    userRoutes,
    notificationEmailRoutes,
    securitySettingsRoutes,
    twoFactorRoutes,
    lockoutRoutes,
    recoveryRoutes,
    resetButtonRoutes,
    deviceResetRoutes,
    securityQuestionRoutes,
    recoveryKeyRoutes,
    reservedContactRoutes,
    vendorSupportRoutes,
    cameraRoutes,
    liveViewRoutes,
    recordedVideoRoutes,
    storageRoutes,
  ]) {
    routes(app.withTypeProvider<RecorderTypeProvider>(), ctx);
  }

  if (options.webRoot && existsSync(options.webRoot)) {
    await serveWebUi(app, options.webRoot);
  }
  return app;
}
