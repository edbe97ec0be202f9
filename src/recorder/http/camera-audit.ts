import type { FastifyRequest } from 'fastify';
import type { AuditEntry, AuditLog } from '../audit/audit-log.js';
import type { AuditEventType } from '../audit/events.js';
import { requireAuth } from './access.js';

export type CameraAccessKind = 'live' | 'playback' | 'export' | 'snapshot';

const EVENTS: Record<CameraAccessKind, AuditEventType> = {
  live: 'camera.live_viewed',
  playback: 'camera.playback_viewed',
  export: 'camera.exported',
  snapshot: 'camera.snapshot_taken',
};

/**
 * Records that the logged-in user of `request` watched, played back, exported or took a picture
 * of a camera's video. For the media routes, after their `{ cameraPermission }` check let the
 * request through; `details` says what (a time range, a file name), never a secret.
 */
export function auditCameraAccess(
  ctx: { audit: Pick<AuditLog, 'append'> },
  request: FastifyRequest,
  cameraId: number,
  kind: CameraAccessKind,
  details: Record<string, string | number | boolean | null> = {},
): AuditEntry {
  const { user } = requireAuth(request);
  return ctx.audit.append({
    type: EVENTS[kind],
    outcome: 'success',
    actor: { id: user.id, username: user.username },
    sourceIp: request.ip,
    target: `camera:${cameraId}`,
    details,
  });
}
