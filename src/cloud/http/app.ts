import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from '../../shared/logger.js';
import type { TlsFiles } from '../../shared/self-signed-certificate.js';
import type { CloudDatabase } from '../db/database.js';
import type { CloudLoginServices } from '../accounts/login.js';
import type { SignUpServices } from '../accounts/sign-up.js';
import { registerHealthRoute } from './health.js';
import { registerLoginRoutes } from './login-routes.js';
import { registerSignUpRoutes } from './sign-up-routes.js';

export interface CloudAppOptions {
  db: CloudDatabase;
  logger: Logger;
  /** HTTPS with this certificate; plain HTTP without (the daemon allows that on loopback only). */
  tls?: TlsFiles;
  /** Absent when the cloud has no mail server: then nobody can sign up. */
  signUp?: SignUpServices;
  login: CloudLoginServices;
}

/** The cloud's HTTP API: every answer in the API's error format, with the security headers. */
export function buildCloudApp(options: CloudAppOptions): FastifyInstance {
  const app = Fastify({
    ...(options.tls ? { https: options.tls } : {}),
    logger: false,
    bodyLimit: 64 * 1024,
    trustProxy: false, // the client's address is the socket's until the instances sit behind a proxy we name
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    if (options.tls) reply.header('strict-transport-security', 'max-age=31536000');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation || (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)) {
      return reply.code(error.statusCode ?? 400).send({ error: { code: 'invalid_request', message: 'The request could not be read.' } });
    }
    options.logger.error({ err: error, method: request.method, url: request.url }, 'unexpected error');
    return reply.code(500).send({ error: { code: 'internal_error', message: 'Something went wrong on the cloud. It has been logged.' } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { code: 'not_found', message: `Nothing at ${request.method} ${request.url.split('?')[0]}.` } }),
  );
  registerHealthRoute(app, options.db);
  registerSignUpRoutes(app, options.signUp);
  registerLoginRoutes(app, options.login);
  return app;
}
