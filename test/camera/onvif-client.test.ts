// The Vigil camera against an independent ONVIF client (the `onvif` npm package) and ffmpeg.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onvif from 'onvif/promises/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from './stream/ffmpeg-peer.js';
import { activate, ADMIN_PASSWORD, type CameraFixture, startCameraFixture } from './camera-fixture.js';

let cacheDir: string;
let fixture: CameraFixture;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'vigil-camera-clip-'));
  fixture = await startCameraFixture(cacheDir);
});
afterAll(async () => {
  await fixture?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

function client(username: string, password: string, extra: { useWSSecurity?: boolean } = {}) {
  const url = new URL(fixture.camera.httpUrl);
  return new onvif.Cam({ hostname: url.hostname, port: Number(url.port), username, password, timeout: 10_000, ...extra });
}

const withLogin = (uri: string, username: string, password: string) =>
  uri.replace('rtsp://', `rtsp://${encodeURIComponent(username)}:${encodeURIComponent(password)}@`);

describe('a camera as manufactured', () => {
  it('is inactive: no login works and its stream is refused, whatever the credentials', async () => {
    const state = (await (await fetch(`${fixture.camera.httpUrl}/vigil/state`)).json()) as { active: boolean };
    expect(state.active).toBe(false);
    await expect(client('admin', ADMIN_PASSWORD).connect()).rejects.toThrow(/not authorized/i);
    for (const [user, password] of [['admin', ADMIN_PASSWORD], ['admin', 'admin'], ['admin', '12345']]) {
      const refused = await probe(withLogin(fixture.camera.rtspUrl, user!, password!), 'tcp');
      expect(refused.ok).toBe(false);
      expect(refused.stderr).toMatch(/401/);
    }
  });
});

describe('an activated camera, through the onvif package', () => {
  beforeAll(async () => {
    expect((await activate(fixture)).status).toBe(200);
  });

  it('connects, reads device information, profiles and the stream URI, and ffmpeg plays that URI with the credentials', async () => {
    const cam = client('admin', ADMIN_PASSWORD);
    await cam.connect();
    const info = (await cam.getDeviceInformation()) as Record<string, string>;
    expect(info).toMatchObject({ manufacturer: 'Vigil', model: fixture.camera.model, serialNumber: fixture.camera.serial });
    const profiles = (await cam.getProfiles()) as { $: { token: string }; videoEncoderConfiguration: { resolution: { width: number } } }[];
    expect(profiles.map((p) => p.$.token)).toEqual(['profile1']);
    expect(profiles[0]!.videoEncoderConfiguration.resolution.width).toBe(320);
    const stream = (await cam.getStreamUri()) as { uri: string };
    expect(stream.uri).toBe(fixture.camera.rtspUrl);

    const played = await probe(withLogin(stream.uri, 'admin', ADMIN_PASSWORD), 'tcp');
    expect(played, played.stderr).toMatchObject({ ok: true, codec: 'h264', width: 320, height: 240 });
    const udp = await probe(withLogin(stream.uri, 'admin', ADMIN_PASSWORD), 'udp');
    expect(udp, udp.stderr).toMatchObject({ ok: true, codec: 'h264' });
    const anonymous = await probe(stream.uri, 'tcp');
    expect(anonymous.ok).toBe(false);
  });

  it('logs in with HTTP Digest when the client sends no WS-Security header', async () => {
    const cam = client('admin', ADMIN_PASSWORD, { useWSSecurity: false });
    await cam.connect();
    expect(((await cam.getDeviceInformation()) as { serialNumber: string }).serialNumber).toBe(fixture.camera.serial);
    await expect(client('admin', 'not-the-password-9', { useWSSecurity: false }).connect()).rejects.toThrow(/401|authori/i);
  });

  it('refuses a wrong password, and an unknown user the same way', async () => {
    const wrong = await client('admin', 'not-the-password-9').connect().catch((error: Error) => error.message);
    const unknown = await client('nobody', ADMIN_PASSWORD).connect().catch((error: Error) => error.message);
    expect(wrong).toMatch(/not authorized/i);
    expect(unknown).toBe(wrong);
  });

  it('manages users: only an Administrator may, levels are kept, a weak password and the last Administrator are refused', async () => {
    const admin = client('admin', ADMIN_PASSWORD);
    await admin.connect();
    const users = (await admin.createUsers([{ username: 'viewer', password: 'copper-meadow-violin-82', userLevel: 'User' }])) as { username: string; userLevel: string }[];
    expect(users).toEqual([
      { username: 'admin', userLevel: 'Administrator' },
      { username: 'viewer', userLevel: 'User' },
    ]);
    await expect(admin.createUsers([{ username: 'weak', password: 'password1', userLevel: 'User' }])).rejects.toThrow(/too weak/);

    const viewer = client('viewer', 'copper-meadow-violin-82');
    await viewer.connect();
    expect(((await viewer.getStreamUri()) as { uri: string }).uri).toBe(fixture.camera.rtspUrl);
    await expect(viewer.getUsers()).rejects.toThrow(/not authorized/i);
    await expect(viewer.createUsers([{ username: 'sneaky', password: 'copper-meadow-violin-82', userLevel: 'Administrator' }])).rejects.toThrow(/not authorized/i);

    await admin.setUsers([{ username: 'viewer', password: 'amber-forest-signal-63', userLevel: 'Operator' }]);
    expect((await admin.getUsers()) as unknown[]).toContainEqual({ username: 'viewer', userLevel: 'Operator' });
    await expect(client('viewer', 'copper-meadow-violin-82').connect()).rejects.toThrow(/not authorized/i);
    const played = await probe(withLogin(fixture.camera.rtspUrl, 'viewer', 'amber-forest-signal-63'), 'tcp');
    expect(played.ok, played.stderr).toBe(true);

    await expect(admin.deleteUsers(['admin'])).rejects.toThrow(/Administrator/);
    await admin.deleteUsers(['viewer']);
    expect((await admin.getUsers()) as unknown[]).toEqual([{ username: 'admin', userLevel: 'Administrator' }]);
    await expect(client('viewer', 'amber-forest-signal-63').connect()).rejects.toThrow(/not authorized/i);
  });

  it('sends motion to a pull-point subscriber: the state when it subscribes, then each change', async () => {
    const cam = client('admin', ADMIN_PASSWORD);
    await cam.connect();
    // The package's promise wrapper hands properties and EventEmitter methods through to the client.
    expect((cam as unknown as { uri: { events: URL } }).uri.events.pathname).toBe('/onvif/events_service');
    const seen: { topic: string; operation: string; state: boolean }[] = [];
    type Received = { topic: { _: string }; message: { message: { $: { PropertyOperation: string }; data: { simpleItem: { $: { Value: boolean } } } } } };
    cam.on('event', (event: Received) => {
      seen.push({ topic: event.topic._, operation: event.message.message.$.PropertyOperation, state: event.message.message.data.simpleItem.$.Value });
    });
    await expect.poll(() => seen.length).toBe(1);
    fixture.camera.setMotion(true);
    await expect.poll(() => seen.length).toBe(2);
    fixture.camera.setMotion(false);
    await expect.poll(() => seen.length).toBe(3);
    expect(seen).toEqual([
      { topic: 'tns1:VideoSource/MotionAlarm', operation: 'Initialized', state: false },
      { topic: 'tns1:VideoSource/MotionAlarm', operation: 'Changed', state: true },
      { topic: 'tns1:VideoSource/MotionAlarm', operation: 'Changed', state: false },
    ]);
    cam.removeAllListeners('event');
    fixture.camera.setMotion(true); // answers the pull still waiting, so the client's loop sees no listener and unsubscribes
  });

  it('keeps a verifiable audit chain with the activation, failures and user changes, and no password in it', async () => {
    const verified = await fixture.camera.verifyAudit();
    expect(verified.problems).toEqual([]);
    expect(verified.checked).toBeGreaterThan(5);
  });
});
