// What an edit of a camera's address and login comes to, before anything is stored or sealed. Pure.
import type { CameraTransport } from '../../db/camera-store.js';
import { credentialsOf, endpointOf, parseCameraUrl } from './camera-url.js';

/** How a camera is reached now, as far as an edit is concerned. */
export interface CurrentReach {
  url: string;
  username: string | null;
  transport: CameraTransport;
}

export interface ReachChanges {
  url?: string;
  username?: string | null;
  password?: string | null;
  transport?: CameraTransport;
}

/** The stored password is kept, replaced by a new one, or removed. */
export type PasswordPlan = { keep: true } | { set: string } | { remove: true };

export type EditPlan =
  | { ok: true; url: string; username: string | null; transport: CameraTransport; password: PasswordPlan }
  | { ok: false; message: string };

/**
 * The camera's address and login after `changes`. A stored password is removed when the camera
 * moves to another server without a new one: otherwise whoever may configure a camera could point
 * it at their own server and have the recorder send them a password the API never reveals.
 */
export function planEdit(current: CurrentReach, changes: ReachChanges): EditPlan {
  let url = current.url;
  let fromUrl: { username?: string; password?: string } = {};
  if (changes.url !== undefined) {
    const parsed = parseCameraUrl(changes.url);
    if (!parsed.ok) return parsed;
    url = parsed.url;
    fromUrl = parsed;
  }
  const given = credentialsOf(changes, fromUrl);
  let password: PasswordPlan;
  if (typeof given.password === 'string') password = { set: given.password };
  else if (given.password === null || endpointOf(url) !== endpointOf(current.url)) password = { remove: true };
  else password = { keep: true };
  return {
    ok: true,
    url,
    username: given.username === undefined ? current.username : given.username,
    transport: changes.transport ?? current.transport,
    password,
  };
}
