import { DEVICE_COOKIE } from '../../accounts/device-cookie.js';
import { recorderTwoFactor } from '../../accounts/two-factor.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { CAMERA_ID_PARAMS } from '../../api/cameras.js';
import { revealCameraPasswordBody, revealedCameraPasswordSchema } from '../../api/camera-password-reveal.js';
import { revealCameraPassword } from '../../media/cameras/camera-password-reveal.js';
import { requireAuth } from '../access.js';
import { ApiError, cameraNotFound } from '../errors.js';
import { stepUpRefusal } from '../recovery-errors.js';

/** A camera's own password, shown once to an admin who proved who they are again (see camera-password-reveal.ts). */
export function cameraPasswordRevealRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.post(
    '/api/v1/cameras/:id/password/reveal',
    {
      config: { access: 'admin' },
      schema: {
        summary:
          "Show the camera's own login, to open its web page: needs my password and my second factor, if I have one, for each reveal; audited and mailed to every admin",
        params: CAMERA_ID_PARAMS,
        body: revealCameraPasswordBody,
        response: { 200: revealedCameraPasswordSchema },
      },
    },
    async (request, reply) => {
      const { currentPassword, totp, recoveryCode } = request.body;
      const outcome = await revealCameraPassword({ ...ctx, revealLockout: recorderTwoFactor(ctx).secondStepLockout }, requireAuth(request), {
        cameraId: Number(request.params.id),
        currentPassword,
        proof: { totp, recoveryCode },
        sourceIp: request.ip,
        deviceCookie: request.cookies[DEVICE_COOKIE],
      });
      // The password is the answer: no cache may keep a copy, so a new reveal needs a new proof.
      reply.header('cache-control', 'no-store');
      if (outcome.ok) return { username: outcome.username, password: outcome.password };
      if (outcome.reason === 'not_found') throw cameraNotFound();
      if (outcome.reason === 'not_held') {
        throw new ApiError(
          409,
          'camera_password_not_held',
          "The recorder keeps no password for this camera. Use the camera's own reset button: a short press and its label code set a new password and keep its configuration (then enter it under Edit); a long press is a factory reset, after which you activate the camera again from here.",
        );
      }
      throw stepUpRefusal(outcome);
    },
  );
}
