// WS-Discovery on this host's network: multicast to 239.255.255.250:3702 loops back to the camera here.
import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onvif from 'onvif/promises/index.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DISCOVERY_ADDRESS, DISCOVERY_PORT } from '../../src/media/onvif/ws-discovery.js';
import { activate, type CameraFixture, startCameraFixture } from './camera-fixture.js';

let cacheDir: string;
let fixture: CameraFixture | undefined;
const heard: string[] = [];
const listener = createSocket({ type: 'udp4', reuseAddr: true });

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'vigil-camera-clip-'));
  await new Promise<void>((resolve) => listener.bind(DISCOVERY_PORT, () => resolve()));
  listener.addMembership(DISCOVERY_ADDRESS);
  listener.on('message', (message) => heard.push(message.toString()));
  fixture = await startCameraFixture(cacheDir, { discovery: true });
});
afterAll(async () => {
  await fixture?.close();
  listener.close();
  await rm(cacheDir, { recursive: true, force: true });
});

interface ProbeMatch {
  probeMatches: { probeMatch: { endpointReference: { address: string }; XAddrs: string; scopes: string; types: string } };
}

async function probeForOurs(): Promise<ProbeMatch['probeMatches']['probeMatch']> {
  const found = (await onvif.Discovery.probe({ timeout: 1500, resolve: false })) as ProbeMatch[];
  // Other cameras on this host (other test files) may answer too: ours is the one with our endpoint.
  const ours = found.map((m) => m.probeMatches.probeMatch).filter((m) => m.endpointReference.address === fixture!.camera.endpoint);
  expect(ours).toHaveLength(1);
  return ours[0]!;
}

it('the onvif package finds the camera by a Probe for NetworkVideoTransmitter, with its address and activation state', async () => {
  const inactive = await probeForOurs();
  expect(inactive.XAddrs).toBe(`${fixture!.camera.httpUrl}/onvif/device_service`);
  expect(inactive.types).toContain('NetworkVideoTransmitter');
  expect(inactive.scopes.split(' ')).toEqual(
    expect.arrayContaining([`onvif://www.onvif.org/hardware/${fixture!.camera.model}`, 'onvif://www.onvif.org/vigil/activation/inactive']),
  );
  await activate(fixture!);
  expect((await probeForOurs()).scopes).toContain('onvif://www.onvif.org/vigil/activation/active');
});

it('announced itself with Hello when it started, and says Bye when it stops', async () => {
  const ours = (kind: string) => heard.filter((m) => m.includes(`discovery/${kind}<`) && m.includes(fixture!.camera.endpoint));
  expect(ours('Hello')).toHaveLength(1);
  await fixture!.close();
  const stopped = fixture!;
  fixture = undefined;
  await expect.poll(() => heard.filter((m) => m.includes('discovery/Bye<') && m.includes(stopped.camera.endpoint)).length).toBe(1);
});
