import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { ApiError } from '../../shared/http/api-error.js';
import { answerApiErrors, apiServerOptions } from '../../shared/http/api-faults.js';
import { refuseIllFormedText } from '../../shared/http/well-formed-request.js';
import { WEB_UI_CONTENT_SECURITY_POLICY } from '../../shared/http/web-ui.js';
import type { Logger } from '../../shared/logger.js';
import type { TlsFiles } from '../../shared/self-signed-certificate.js';
import type { CloudDatabase } from '../db/database.js';
import { isRedisOutage } from '../shared-state/redis.js';
import type { CloudLoginServices } from '../accounts/login.js';
import type { SignUpServices } from '../accounts/sign-up.js';
import type { AccountRecoveryServices } from '../recovery/account-recovery.js';
import type { ForgotPasswordServices } from '../recovery/forgot-password.js';
import { registerAccountRecoveryRoutes } from './account-recovery-routes.js';
import { registerForgotPasswordRoutes } from './forgot-password-routes.js';
import type { PasswordChangeServices } from '../accounts/password-change.js';
import { registerAccountRoutes, type AccountRouteServices } from './account-routes.js';
import { registerAuditRoutes } from './audit-routes.js';
import { registerHealthRoute } from './health.js';
import { registerLoginRoutes } from './login-routes.js';
import { registerPasswordRoutes } from './password-routes.js';
import { registerSessionAuth } from './session-auth.js';
import { registerSignUpRoutes } from './sign-up-routes.js';
import { registerTwoFactorRoutes, type TwoFactorRouteServices } from './two-factor-routes.js';
import { registerOfflineResetRoutes } from './offline-reset-routes.js';
import type { OfflineResetCodeServices } from '../devices/offline-reset-code.js';
import { registerDeviceRoutes } from './device-routes.js';
import type { DeviceServices } from '../devices/binding.js';

export interface CloudAppOptions {
  db: CloudDatabase;
  /** The Redis the instances share (--redis): its health is the instance's, and its outage a 503. */
  redis?: Redis;
  logger: Logger;
  /** HTTPS with this certificate; plain HTTP without (the daemon allows that on loopback only). */
  tls?: TlsFiles;
  /** Proxies whose X-Forwarded-For names the client (addresses or CIDR ranges); none by default. */
  trustedProxies?: string[];
  signUp: SignUpServices;
  login: CloudLoginServices;
  forgotPassword: ForgotPasswordServices;
  accountRecovery: AccountRecoveryServices;
  account: AccountRouteServices;
  password: PasswordChangeServices;
  twoFactor: TwoFactorRouteServices;
  offlineReset: OfflineResetCodeServices;
  devices: DeviceServices;
}

/** The cloud's HTTP API: every answer in the API's error format, with the security headers. */
export function buildCloudApp(options: CloudAppOptions): FastifyInstance {
  function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('content-security-policy', WEB_UI_CONTENT_SECURITY_POLICY);
    if (options.tls) reply.header('strict-transport-security', 'max-age=31536000');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  }
  const faults = { name: 'the cloud', logger: options.logger, setHeaders: setSecurityHeaders };
  const app = Fastify({
    ...(options.tls ? { https: options.tls } : {}),
    logger: false,
    ...apiServerOptions(faults),
    // apiServerOptions trusts no proxy; behind the proxies named here (nginx in front of several
    // instances) the client is the last address in X-Forwarded-For that none of them added.
    ...(options.trustedProxies?.length ? { trustProxy: options.trustedProxies } : {}),
  });
  app.addHook('onSend', async (request, reply) => setSecurityHeaders(request, reply));
  answerApiErrors(app, {
    ...faults,
    // Throttles and device routing need Redis: while it is away the request may succeed later.
    interrupted: (request, error) => {
      if (!options.redis || !isRedisOutage(error)) return undefined;
      options.logger.warn({ method: request.method, url: request.url }, 'Redis does not answer: answered 503');
      return new ApiError(503, 'service_unavailable', 'The cloud cannot serve this request now. Please try again in a few minutes.');
    },
  });
  refuseIllFormedText(app);
  registerSessionAuth(app, options.account.sessions);
  registerHealthRoute(app, options.db, options.redis);
  registerSignUpRoutes(app, options.signUp);
  registerLoginRoutes(app, options.login);
  registerForgotPasswordRoutes(app, options.forgotPassword);
  registerAccountRecoveryRoutes(app, options.accountRecovery);
  registerAccountRoutes(app, options.account);
  registerPasswordRoutes(app, options.password);
  registerTwoFactorRoutes(app, options.twoFactor);
  registerAuditRoutes(app, options.db);
  registerOfflineResetRoutes(app, options.offlineReset);
  registerDeviceRoutes(app, options.devices);
  return app;
}
