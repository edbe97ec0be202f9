// `vigil discover`'s probe, as the tool sends it, over real UDP multicast on this host: the camera answers, signed by its device key.
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cameraPaths } from '../../src/camera/device/data-dir.js';
import { certificateFingerprint } from '../../src/discovery/protocol.js';
import { scanLan } from '../../src/discovery/scan.js';
import { publicKeyFingerprint } from '../../src/shared/key-fingerprint.js';
import { activate, type CameraFixture, startCameraFixture } from './camera-fixture.js';

/** A port of this file's own, so no other test's device answers these probes. */
const PORT = 38_791;
let cacheDir: string;
let fixture: CameraFixture | undefined;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'vigil-camera-clip-'));
  fixture = await startCameraFixture(cacheDir, { lanDiscovery: { port: PORT } });
});
afterAll(async () => {
  await fixture?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

async function ourAnswer() {
  const found = await scanLan({ timeoutMs: 800, port: PORT });
  const ours = found.list().filter((d) => d.answer.serial === fixture!.camera.serial);
  expect(ours).toHaveLength(1);
  return ours[0]!;
}

it('answers a probe with its public facts, signed by the device key made at manufacture; activated false, then true', async () => {
  const inactive = await ourAnswer();
  expect(inactive.status).toBe('verified');
  const manufacturedKey = createPublicKey(readFileSync(cameraPaths(fixture!.dataDir).devicePublicKey));
  expect(inactive.answer.keyFingerprint).toBe(publicKeyFingerprint(manufacturedKey));
  expect(inactive.answer).toMatchObject({
    type: 'camera',
    model: fixture!.camera.model,
    addresses: ['127.0.0.1'],
    ports: {
      https: Number(new URL(fixture!.camera.httpsUrl).port),
      http: Number(new URL(fixture!.camera.httpUrl).port),
      rtsp: Number(new URL(fixture!.camera.rtspUrl).port),
    },
    activated: false,
    recoveryMethods: { resetButton: true },
    cloudBound: false,
    // The certificate of its HTTPS service, made at its first start: what `vigil discover` pins.
    tlsFingerprint: certificateFingerprint(readFileSync(cameraPaths(fixture!.dataDir).tlsCert, 'utf8')),
  });

  expect((await activate(fixture!)).status).toBe(200);
  const active = await ourAnswer();
  expect(active.status).toBe('verified');
  expect(active.answer.activated).toBe(true);
});

it('stops answering when the camera stops', async () => {
  const stopped = fixture!;
  await stopped.close();
  fixture = undefined;
  const found = await scanLan({ timeoutMs: 800, port: PORT });
  expect(found.list().filter((d) => d.answer.serial === stopped.camera.serial)).toHaveLength(0);
});
