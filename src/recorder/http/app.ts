import { existsSync } from 'node:fs';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { RecorderTypeProvider } from './api-app.js';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { RecorderContext } from '../context.js';
import { installAccessControl } from './access.js';
import { answerApiErrors, apiServerOptions } from '../../shared/http/api-faults.js';
import { refuseIllFormedText } from '../../shared/http/well-formed-request.js';
import { deviceWasReset, resetDuring } from './reset-guard.js';
import { activationRoutes } from './routes/activation.js';
import { auditRoutes } from './routes/audit.js';
import { deviceRoutes } from './routes/device.js';
import { cloudBindingRoutes } from './routes/cloud-binding.js';
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
import { cloudResetRoutes } from './routes/cloud-reset.js';
import { cameraRoutes } from './routes/cameras.js';
import { lanDeviceRoutes } from './routes/lan-devices.js';
import { cameraPasswordRoutes } from './routes/camera-passwords.js';
import { cameraPasswordRevealRoutes } from './routes/camera-password-reveal.js';
import { liveViewRoutes } from './routes/live-view.js';
import { recordedVideoRoutes } from './routes/recorded-video.js';
import { storageRoutes } from './routes/storage.js';
import { motionEventRoutes } from './routes/motion-events.js';
import { serveWebUi, WEB_UI_CONTENT_SECURITY_POLICY } from '../../shared/http/web-ui.js';

export interface AppOptions {
  /** Serve HTTPS with this certificate; plain HTTP when absent (loopback only: the daemon decides). */
  https?: { cert: string; key: string };
  /** The built web UI; not served when absent. */
  webRoot?: string;
}

export async function buildRecorderApp(ctx: RecorderContext, options: AppOptions = {}): Promise<FastifyInstance> {
  function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('content-security-policy', WEB_UI_CONTENT_SECURITY_POLICY);
    if (options.https) reply.header('strict-transport-security', 'max-age=31536000');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  }

  const faults = { name: 'the recorder', logger: ctx.logger, setHeaders: setSecurityHeaders };
  const app = Fastify({
    ...(options.https ? { https: options.https } : {}),
    logger: false,
    ...apiServerOptions(faults),
  });
  // A request in flight across a factory reset (e.g. a login waiting on its hash) may find what
  // it worked on erased: the client is told, and nothing is logged as a fault.
  answerApiErrors(app, { ...faults, interrupted: (request) => (resetDuring(ctx, request) ? deviceWasReset() : undefined) });

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
    cloudBindingRoutes,
    securityQuestionRoutes,
    recoveryKeyRoutes,
    reservedContactRoutes,
    vendorSupportRoutes,
    cloudResetRoutes,
    cameraRoutes,
    lanDeviceRoutes,
    cameraPasswordRoutes,
    cameraPasswordRevealRoutes,
    liveViewRoutes,
    recordedVideoRoutes,
    storageRoutes,
    motionEventRoutes,
  ]) {
    routes(app.withTypeProvider<RecorderTypeProvider>(), ctx);
  }

  if (options.webRoot && existsSync(options.webRoot)) {
    await serveWebUi(app, options.webRoot);
  }
  return app;
}
