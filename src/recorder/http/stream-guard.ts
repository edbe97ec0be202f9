import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionState } from '../../identity/sessions/policy.js';
import { permissionSubject } from '../accounts/users.js';
import type { RecorderContext } from '../context.js';
import { requireAuth } from './access.js';
import { decideCameraAccess, type CameraAccessAction } from './camera-access.js';

/** How often an open media response checks that it may go on: well within the second promised. */
export const STREAM_RECHECK_MS = 250;

/**
 * Whether the session that opened a media response may still receive it: the session is live and
 * its user may still do `action` on the camera. Checked against the database, not the request's
 * copy: logout, revocation, a password change or reset and a deleted user all end the session
 * row; a role, grant or denial change shows in the user's current rights.
 */
function mayGoOn(ctx: RecorderContext, tokenHash: string, cameraId: string, action: CameraAccessAction): boolean {
  const session = ctx.store.findSessionByTokenHash(tokenHash);
  if (!session) return false;
  const now = ctx.clock.now();
  // Watching is activity: the idle limit does not end a stream, revocation and the absolute limit do.
  if (sessionState({ ...session, lastSeenAt: now }, now, ctx.sessionLifetime) !== 'active') return false;
  const user = ctx.store.getUser(session.userId);
  if (!user) return false;
  return decideCameraAccess(permissionSubject(ctx, user), cameraId, (id) => ctx.cameras.get(id) !== undefined, action) === 'allowed';
}

/**
 * Ends a long-lived media response (live, playback, export) within a second of the moment its
 * session ends or its user loses the camera right. The access check of the request only held when
 * it started; a stream can run for hours. Re-checking on the injected timers covers every way
 * access ends, including ones added later, without each of them having to know about streams.
 */
export function endWhenAccessEnds(ctx: RecorderContext, request: FastifyRequest & { params: { id: string } }, reply: FastifyReply, action: CameraAccessAction): void {
  const { tokenHash } = requireAuth(request).session;
  const cameraId = request.params.id;
  let cancel = ctx.timers.after(STREAM_RECHECK_MS, function check() {
    if (mayGoOn(ctx, tokenHash, cameraId, action)) cancel = ctx.timers.after(STREAM_RECHECK_MS, check);
    else reply.raw.destroy();
  });
  reply.raw.on('close', () => cancel());
  // It may run for hours: a stop of the recorder cuts it instead of waiting for it.
  ctx.httpConnections.streaming(reply.raw);
}
