import { SYSTEM_ACTOR } from '../../audit/system-actor.js';
import type { Clock } from '../../../shared/clock.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { CameraRecord, CameraStore } from '../../db/camera-store.js';
import type { RecorderStore } from '../../db/store.js';
import { endpointOf, parseCameraUrl } from './camera-url.js';

export const DEMO_CAMERA_NAME = 'Demo camera';

/** What adding the demo camera uses: the camera list, and the audit log that says whether it was added before. */
interface DemoCameraSetup {
  store: Pick<RecorderStore, 'transaction'>;
  cameras: Pick<CameraStore, 'list' | 'insert'>;
  audit: Pick<AuditLog, 'append' | 'iterate'>;
  clock: Clock;
}

/**
 * Whether `vigil recorder --demo-camera` adds its simulated camera: once per recorder. Not when a
 * camera already has that address, and not when it was added before and then removed (someone
 * chose not to have it; a restart must not bring it back). Pure.
 */
export function shouldAddDemoCamera(existingUrls: readonly string[], demoUrl: string, addedBefore: boolean): boolean {
  return !addedBefore && !existingUrls.includes(demoUrl);
}

function demoCameraAddedBefore(ctx: DemoCameraSetup): boolean {
  for (const entry of ctx.audit.iterate({ type: 'camera.added', username: SYSTEM_ACTOR.username })) {
    if (entry.actorUserId === null && (JSON.parse(entry.details) as { demo?: unknown }).demo === true) return true;
  }
  return false;
}

/**
 * Adds the demo camera straight to the camera store, audited as the system's doing: it runs at
 * start, before anyone may have activated the recorder, so there is no admin to act through the API.
 * The supervisors are started by the daemon after this, with the rest of the list.
 */
export function ensureDemoCamera(ctx: DemoCameraSetup, demoUrl: string): CameraRecord | null {
  const parsed = parseCameraUrl(demoUrl);
  if (!parsed.ok) throw new Error(`the demo camera's address ${demoUrl} is refused: ${parsed.message}`);
  const url = parsed.url;
  return ctx.store.transaction(() => {
    const existingUrls = ctx.cameras.list().map((c) => c.url);
    if (!shouldAddDemoCamera(existingUrls, url, demoCameraAddedBefore(ctx))) return null;
    const camera = ctx.cameras.insert({ name: DEMO_CAMERA_NAME, url, username: null, transport: 'tcp', enabled: true }, ctx.clock.now());
    ctx.audit.append({
      type: 'camera.added',
      outcome: 'success',
      actor: SYSTEM_ACTOR,
      target: `camera:${camera.id}`,
      details: { name: camera.name, host: endpointOf(url), transport: camera.transport, enabled: true, passwordSet: false, demo: true },
    });
    return camera;
  });
}
