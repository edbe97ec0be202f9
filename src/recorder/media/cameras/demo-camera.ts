import { SYSTEM_ACTOR } from '../../audit/system-actor.js';
import type { Clock } from '../../../shared/clock.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { CameraRecord, CameraStore } from '../../db/camera-store.js';
import type { RecorderStore } from '../../db/store.js';
import { OnvifClient } from '../../../media/onvif/onvif-client.js';
import { activateWithOwnPassword, VIGIL_CAMERA_ADMIN } from './camera-activation.js';
import { sealCameraPassword } from './camera-secrets.js';
import { endpointOf, parseCameraUrl } from './camera-url.js';

export const DEMO_CAMERA_NAME = 'Demo camera';

const ACTIVATION_TIMEOUT_MS = 30_000;

/** What adding the demo camera uses: the camera list, the key that seals its password, and the audit log that says whether it was added before. */
interface DemoCameraSetup {
  store: Pick<RecorderStore, 'transaction'>;
  cameras: Pick<CameraStore, 'list' | 'insert' | 'setPassword' | 'setDeviceUrl'>;
  settingsKey: Buffer;
  audit: Pick<AuditLog, 'append' | 'iterate'>;
  clock: Clock;
}

/** The Vigil camera `--demo-camera` runs beside the recorder, as the recorder learns it. */
export interface DemoCamera {
  /** Its stream, without credentials: its address identifies it. */
  rtspUrl: string;
  /** Its ONVIF device service, where it is activated and its password changed. */
  deviceUrl: string;
  /** Known only on the run that manufactured it (never printed): the recorder activates it with it. */
  labelCode?: string;
}

export type DemoCameraOutcome = { added: CameraRecord } | { skipped: 'added_before' | 'label_code_unknown' } | { failed: string };

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
 * Activates the demo camera with a password of the recorder's own (nobody types or sees it) and
 * adds it straight to the camera store with its device service, audited as the system's doing: it
 * runs at start, before anyone may have activated the recorder, so there is no admin to act
 * through the API. The supervisors are started by the daemon after this, with the rest of the list.
 */
export async function ensureDemoCamera(ctx: DemoCameraSetup, demo: DemoCamera): Promise<DemoCameraOutcome> {
  const parsed = parseCameraUrl(demo.rtspUrl);
  if (!parsed.ok) throw new Error(`the demo camera's address ${demo.rtspUrl} is refused: ${parsed.message}`);
  const existingUrls = ctx.cameras.list().map((c) => c.url);
  if (!shouldAddDemoCamera(existingUrls, parsed.url, demoCameraAddedBefore(ctx))) return { skipped: 'added_before' };
  // Active already, but never added: the run that activated it stopped before storing its password.
  if (!demo.labelCode) return { skipped: 'label_code_unknown' };
  const target = `host:${new URL(demo.deviceUrl).hostname}`;
  const onvif = new OnvifClient(demo.deviceUrl, { timeoutMs: ACTIVATION_TIMEOUT_MS, now: () => ctx.clock.now() });
  const activation = await activateWithOwnPassword(onvif, demo.deviceUrl, demo.labelCode, ACTIVATION_TIMEOUT_MS);
  if (activation.outcome !== 'activated') {
    ctx.audit.append({ type: 'camera.activation_failed', outcome: 'failure', actor: SYSTEM_ACTOR, target, details: { reason: activation.outcome, demo: true } });
    return { failed: activation.outcome };
  }
  ctx.audit.append({ type: 'camera.activated', outcome: 'success', actor: SYSTEM_ACTOR, target, details: { demo: true } });
  const stream = parseCameraUrl(activation.url);
  const url = stream.ok ? stream.url : parsed.url;
  const added = ctx.store.transaction(() => {
    const camera = ctx.cameras.insert({ name: DEMO_CAMERA_NAME, url, username: VIGIL_CAMERA_ADMIN, transport: 'tcp', enabled: true }, ctx.clock.now());
    ctx.cameras.setPassword(camera.id, sealCameraPassword(ctx.settingsKey, camera.id, activation.password));
    ctx.cameras.setDeviceUrl(camera.id, demo.deviceUrl);
    ctx.audit.append({
      type: 'camera.added',
      outcome: 'success',
      actor: SYSTEM_ACTOR,
      target: `camera:${camera.id}`,
      details: { name: camera.name, host: endpointOf(url), transport: camera.transport, enabled: true, passwordSet: true, demo: true },
    });
    return camera;
  });
  return { added };
}
