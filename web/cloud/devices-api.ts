// The owner's recorders at the cloud (/api/v1/devices, src/cloud/http/device-routes.ts): list with
// online state, bind, unbind, and the online remote reset of a recorder's admin.
import { call } from './api.js';

export interface BoundDevice {
  serial: string;
  model: string;
  boundAt: string;
  /** Its WebSocket to the cloud is up now. */
  online: boolean;
}

/**
 * What the online reset answers with a new password: set at once (200), or, when the recorder's
 * admin set a waiting period, pending until `effectiveAt` (202) with the token that then claims it
 * on the recorder. (Without a new password the route answers a grant instead; this UI always sends one.)
 */
export type RemoteReset = { reset: true; revokedSessions: number } | { waiting: { claimToken: string; effectiveAt: string; username: string } };

const path = (serial: string) => `/devices/${encodeURIComponent(serial)}`;

export const devicesApi = {
  list: () => call<{ devices: BoundDevice[] }>('GET', '/devices').then((r) => r.devices),
  bind: (serial: string, labelCode: string) => call<BoundDevice>('POST', '/devices/bind', { serial, labelCode }),
  unbind: (serial: string) => call<void>('DELETE', path(serial)),
  reset: (serial: string, username: string, newPassword: string) => call<RemoteReset>('POST', `${path(serial)}/reset`, { username, newPassword }),
};
