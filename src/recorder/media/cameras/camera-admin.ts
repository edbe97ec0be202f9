import type { Authenticated } from '../../accounts/sessions.js';
import type { Clock } from '../../../shared/clock.js';
import type { AuditEvent, AuditLog } from '../../audit/audit-log.js';
import type { CameraRecord, CameraStore, CameraTransport } from '../../db/camera-store.js';
import type { RecorderStore } from '../../db/store.js';
import type { CameraSupervisors } from './camera-supervisors.js';
import { planEdit } from './camera-edit.js';
import { credentialsOf, endpointOf, parseCameraUrl } from './camera-url.js';
import { sealCameraPassword } from './camera-secrets.js';

/** What editing the camera list uses: the list, the running supervisors, the key that seals passwords. */
export interface CameraAdmin {
  store: Pick<RecorderStore, 'transaction'>;
  cameras: CameraStore;
  cameraSupervisors: Pick<CameraSupervisors, 'sync'>;
  /** Seals camera passwords (see camera-secrets.ts). */
  settingsKey: Buffer;
  audit: Pick<AuditLog, 'append'>;
  clock: Clock;
}

interface Actor {
  auth: Authenticated;
  sourceIp: string;
}

export interface CameraFields {
  name: string;
  url: string;
  /** Null or empty: none. */
  username?: string | null;
  /** Write-only: a string sets it, null removes it, absent keeps it (see updateCamera). */
  password?: string | null;
  transport: CameraTransport;
  enabled: boolean;
  /** Its ONVIF device service, for a camera added by ONVIF or activated: its password is changed and its motion events watched there. */
  deviceUrl?: string;
}

export type CameraRefusal = { ok: false; reason: 'invalid_url'; message: string } | { ok: false; reason: 'not_found' };

function audit(ctx: CameraAdmin, actor: Actor, cameraId: number, event: Pick<AuditEvent, 'type' | 'details'>): void {
  ctx.audit.append({
    ...event,
    outcome: 'success',
    actor: { id: actor.auth.user.id, username: actor.auth.user.username },
    sourceIp: actor.sourceIp,
    target: `camera:${cameraId}`,
  });
}

/** Adds a camera, its password sealed for its id, and starts its supervisor. */
export function addCamera(ctx: CameraAdmin, actor: Actor, fields: CameraFields): { ok: true; camera: CameraRecord } | CameraRefusal {
  const parsed = parseCameraUrl(fields.url);
  if (!parsed.ok) return { ok: false, reason: 'invalid_url', message: parsed.message };
  const { username = null, password } = credentialsOf(fields, parsed);
  const camera = ctx.store.transaction(() => {
    const inserted = ctx.cameras.insert({ name: fields.name, url: parsed.url, username, transport: fields.transport, enabled: fields.enabled }, ctx.clock.now());
    if (typeof password === 'string') ctx.cameras.setPassword(inserted.id, sealCameraPassword(ctx.settingsKey, inserted.id, password));
    if (fields.deviceUrl) ctx.cameras.setDeviceUrl(inserted.id, fields.deviceUrl);
    audit(ctx, actor, inserted.id, {
      type: 'camera.added',
      // The host and never the whole address: a query string may carry a token.
      details: { name: inserted.name, host: endpointOf(inserted.url), transport: inserted.transport, enabled: inserted.enabled, passwordSet: typeof password === 'string' },
    });
    return ctx.cameras.get(inserted.id)!;
  });
  void ctx.cameraSupervisors.sync(ctx.cameras.list());
  return { ok: true, camera };
}

/** The fields that decide how the camera is reached: when one changes, the old probe no longer holds. */
const REACH_FIELDS: readonly string[] = ['url', 'username', 'password', 'transport'];

/** Changes what is given; see planEdit for what happens to the stored password. */
export function updateCamera(
  ctx: CameraAdmin,
  actor: Actor,
  id: number,
  changes: Partial<CameraFields>,
): { ok: true; camera: CameraRecord; reachChanged: boolean } | CameraRefusal {
  const before = ctx.cameras.get(id);
  if (!before) return { ok: false, reason: 'not_found' };
  const plan = planEdit(before, changes);
  if (!plan.ok) return { ok: false, reason: 'invalid_url', message: plan.message };
  const { url, username, password } = plan;
  let passwordSealed: Buffer | null;
  if ('set' in password) passwordSealed = sealCameraPassword(ctx.settingsKey, id, password.set);
  else if ('remove' in password) passwordSealed = null;
  else passwordSealed = before.passwordSealed;

  const next = {
    name: changes.name ?? before.name,
    url,
    username,
    transport: plan.transport,
    enabled: changes.enabled ?? before.enabled,
    passwordSealed,
  };
  const changed: string[] = (['name', 'url', 'username', 'transport', 'enabled'] as const).filter((k) => next[k] !== before[k]);
  const passwordChanged = 'set' in password || (before.passwordSealed !== null) !== (passwordSealed !== null);
  if (passwordChanged) changed.push('password');
  const reachChanged = changed.some((k) => REACH_FIELDS.includes(k));
  const camera = ctx.store.transaction(() => {
    // What was measured at the old address says nothing about the new one.
    ctx.cameras.update(id, next, ctx.clock.now(), reachChanged);
    audit(ctx, actor, id, { type: 'camera.updated', details: { name: next.name, changed: changed.join(' ') } });
    return ctx.cameras.get(id)!;
  });
  void ctx.cameraSupervisors.sync(ctx.cameras.list());
  return { ok: true, camera, reachChanged };
}

/** Removes the camera from the list and stops it. Its recordings are kept: nothing here touches them. */
export function removeCamera(ctx: CameraAdmin, actor: Actor, id: number): { ok: true } | CameraRefusal {
  const removed = ctx.store.transaction(() => {
    const camera = ctx.cameras.get(id);
    if (!camera || !ctx.cameras.remove(id)) return false;
    audit(ctx, actor, id, { type: 'camera.removed', details: { name: camera.name, footageKept: true } });
    return true;
  });
  if (!removed) return { ok: false, reason: 'not_found' };
  void ctx.cameraSupervisors.sync(ctx.cameras.list());
  return { ok: true };
}
