import { hmacHex, randomId, safeEqual } from '../../shared/secrets.js';
import type { LoginClient } from '../../identity/lockout/login-lockout.js';

/**
 * A browser that logged in before carries `__Host-vigil_device`: (user id, the account's creation
 * time, random device id, issue time) signed with the device's server secret. The creation time
 * binds it to the account, not just its id: SQLite may give a deleted user's id to a new account. It proves "this browser once knew this account's
 * password", so other clients' lockouts do not shut it out. It is no credential: a password is
 * still needed, and its own failures still lock it.
 */
export const DEVICE_COOKIE = '__Host-vigil_device';
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;

export interface DeviceToken {
  userId: number;
  accountCreatedAt: number;
  deviceId: string;
  issuedAt: number;
}

const FORMAT = /^([1-9][0-9]{0,11})\.([0-9]{1,15})\.([0-9a-f]{32})\.([0-9]{1,15})\.([0-9a-f]{64})$/;

function signature(serverSecret: Buffer, token: DeviceToken): string {
  return hmacHex(serverSecret, `device-cookie:${token.userId}:${token.accountCreatedAt}:${token.deviceId}:${token.issuedAt}`);
}

export function newDeviceId(): string {
  return randomId(16);
}

export function encodeDeviceCookie(serverSecret: Buffer, token: DeviceToken): string {
  return `${token.userId}.${token.accountCreatedAt}.${token.deviceId}.${token.issuedAt}.${signature(serverSecret, token)}`;
}

/** The token a cookie carries if we signed it and it has not expired; no database access. */
export function decodeDeviceCookie(serverSecret: Buffer, value: string, now: number): DeviceToken | undefined {
  const match = FORMAT.exec(value);
  if (!match) return undefined;
  const token = { userId: Number(match[1]), accountCreatedAt: Number(match[2]), deviceId: match[3]!, issuedAt: Number(match[4]) };
  if (!safeEqual(signature(serverSecret, token), match[5]!)) return undefined;
  if (now - token.issuedAt >= DEVICE_COOKIE_MAX_AGE_SECONDS * 1000) return undefined;
  return token;
}

/** The browser's device id if its cookie was issued to this very account (same id, same creation). */
export function knownDeviceOf(token: DeviceToken | undefined, account: { id: number; createdAt: number } | undefined): string | undefined {
  return token && account && token.userId === account.id && token.accountCreatedAt === account.createdAt ? token.deviceId : undefined;
}

/** Who is logging in to `account`: the browser, if its device cookie was issued to this account, else its address. */
export function loginClientOf(
  serverSecret: Buffer,
  cookie: string | undefined,
  account: { id: number; createdAt: number } | undefined,
  sourceIp: string,
  now: number,
): LoginClient {
  const knownDeviceId = knownDeviceOf(cookie === undefined ? undefined : decodeDeviceCookie(serverSecret, cookie, now), account);
  return knownDeviceId ? { kind: 'device', id: knownDeviceId } : { kind: 'address', id: sourceIp };
}
