import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PasswordHasher, TEST_ARGON2 } from '../../src/identity/passwords/hash.js';
import { evaluatePassword } from '../../src/identity/passwords/policy.js';
import { ManualClock } from '../../src/shared/clock.js';
import { manufactureCamera } from '../../src/camera/device/manufacture.js';
import { startVigilCamera, type VigilCamera, type VigilCameraOptions } from '../../src/camera/vigil-camera.js';

export const ADMIN_PASSWORD = 'quiet-harbour-lantern-47';

/** A manufactured camera in a temporary directory, on free ports, with a small clip, cheap hashing and its own clock. */
export interface CameraFixture {
  camera: VigilCamera;
  labelCode: string;
  dataDir: string;
  clock: ManualClock;
  hasher: PasswordHasher;
  /** Stops the camera and removes its directory. */
  close(): Promise<void>;
}

/** The clip is encoded once into this cache and shared by every camera of a test file. */
export async function startCameraFixture(cacheDir: string, options: Partial<VigilCameraOptions> = {}): Promise<CameraFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'vigil-camera-'));
  // The camera's clock is not the test machine's: clients must learn its time from GetSystemDateAndTime.
  const clock = new ManualClock(Date.now() - 3 * 3600_000);
  const hasher = new PasswordHasher(TEST_ARGON2);
  const made = await manufactureCamera(join(dataDir, 'camera'), { clock, hasher });
  const camera = await startVigilCamera({
    dataDir: join(dataDir, 'camera'),
    httpPort: 0,
    rtspPort: 0,
    source: 'clip',
    encoding: { width: 320, height: 240 },
    clip: { cacheDir, seconds: 2 },
    clock,
    hasher,
    judgePassword: evaluatePassword,
    ...options,
  });
  const fixture: CameraFixture = {
    camera,
    labelCode: made.labelCode,
    dataDir: join(dataDir, 'camera'),
    clock,
    hasher,
    // The camera of the moment: a test that restarted it on the same directory replaced it.
    close: async () => {
      await fixture.camera.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return fixture;
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export function activate(fixture: CameraFixture, password = ADMIN_PASSWORD) {
  return postJson(`${fixture.camera.httpUrl}/vigil/activate`, { labelCode: fixture.labelCode, password });
}

/** A WS-UsernameToken header made by hand, as the profile defines it: what a replay or a stale token needs. */
export function usernameToken(username: string, password: string, created: string, nonce = randomBytes(16).toString('base64')): string {
  const digest = createHash('sha1')
    .update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created), Buffer.from(password)]))
    .digest('base64');
  return (
    '<Security xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><UsernameToken>' +
    `<Username>${username}</Username>` +
    '<Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">' +
    `${digest}</Password><Nonce>${nonce}</Nonce>` +
    `<Created xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">${created}</Created>` +
    '</UsernameToken></Security>'
  );
}

/** Sends one SOAP request as raw HTTP. */
export async function soap(url: string, header: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const envelope =
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">' +
    `<s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/soap+xml', ...headers }, body: envelope });
  return { status: res.status, text: await res.text() };
}

export const GET_DEVICE_INFORMATION = '<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>';
