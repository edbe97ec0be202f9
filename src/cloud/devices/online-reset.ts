import { randomBytes } from 'node:crypto';
import { AUTHORISATION_LIFETIME_MS, signAuthorisation, type ResetAuthorisation } from '../../recorder/api/cloud-link.js';
import { findDevice } from '../db/devices.js';
import { DEVICE_ANSWER_TIMEOUT_MS, type DeviceServices } from './binding.js';
import { deliverIfReachable } from './device-router.js';

export type OnlineResetOutcome =
  /** The password was set through the cloud. */
  | { ok: true; revokedSessions: number }
  /** A grant to set the password on the LAN: relayed to the owner once, never stored. */
  | { ok: true; grant: { token: string; expiresAt: string; username: string } }
  /** The recorder's admin set a waiting period: the claim token buys the grant on the LAN once it is over. */
  | { ok: true; waiting: { claimToken: string; effectiveAt: string; username: string } }
  /** Not a device of this account (or no such device): one answer. */
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'device_offline' }
  /** The recorder refused the authorisation (unknown admin, or it no longer trusts this cloud). */
  | { ok: false; reason: 'refused' }
  | { ok: false; reason: 'password_rejected'; reasons: { code: string; message: string }[] };

/**
 * The online remote reset of a bound recorder's admin: an authorisation signed by the cloud key for
 * this serial, this admin, a fresh nonce and a few minutes, sent over the recorder's connection. The
 * recorder checks it against the key it pinned and issues a grant (method `cloud`).
 */
export async function requestOnlineReset(
  s: DeviceServices,
  account: { id: number; username: string },
  input: { serial: string; username: string; newPassword?: string; sourceIp: string },
): Promise<OnlineResetOutcome> {
  const audited = { actor: { id: account.id, username: account.username }, sourceIp: input.sourceIp, target: `device:${input.serial}` };
  const device = await findDevice(s.db, input.serial);
  if (device?.ownerAccountId !== account.id) {
    await s.audit.append({ ...audited, type: 'device.reset_refused', outcome: 'failure', details: { reason: 'not_owner' } });
    return { ok: false, reason: 'not_found' };
  }
  const authorisation: ResetAuthorisation = {
    format: 'vigil-cloud-reset-v1',
    serial: device.serial,
    username: input.username,
    nonce: randomBytes(32).toString('base64url'),
    expiresAt: s.clock.now() + AUTHORISATION_LIFETIME_MS,
  };
  const through = input.newPassword === undefined ? 'lan' : 'cloud';
  await s.audit.append({ ...audited, type: 'device.reset_requested', outcome: 'info', details: { username: input.username, passwordSetThrough: through } });
  const signature = signAuthorisation(s.signingKey.privateKey, authorisation);
  const command = { kind: 'reset', authorisation, signature, ...(input.newPassword === undefined ? {} : { newPassword: input.newPassword }) } as const;
  const answer = await deliverIfReachable(s.router, device.serial, command, DEVICE_ANSWER_TIMEOUT_MS);
  if (!answer) return { ok: false, reason: 'device_offline' };
  if (answer.ok && answer.grant) return { ok: true, grant: answer.grant };
  if (answer.ok && answer.waiting) return { ok: true, waiting: answer.waiting };
  if (answer.ok) return { ok: true, revokedSessions: answer.revokedSessions ?? 0 };
  if (answer.reason === 'password_rejected') return { ok: false, reason: 'password_rejected', reasons: answer.reasons ?? [] };
  await s.audit.append({ ...audited, type: 'device.reset_refused', outcome: 'failure', details: { reason: answer.reason } });
  return { ok: false, reason: 'refused' };
}
