// `vigil recorder --demo-camera`, what `npm start` runs: a Vigil camera the recorder activates with
// a password of its own, added once, recorded.
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecretKey } from '../../../../src/identity/sealing/secret-box.js';
import { OnvifClient, OnvifError } from '../../../../src/media/onvif/onvif-client.js';
import { dataPaths } from '../../../../src/recorder/device/data-dir.js';
import { openCameraPassword } from '../../../../src/recorder/media/cameras/camera-secrets.js';
import { shouldAddDemoCamera } from '../../../../src/recorder/media/cameras/demo-camera.js';
import { type DaemonDir, type DaemonProcess, freePort, initDaemonDir, startDaemon, until } from '../daemon-process.js';

describe('shouldAddDemoCamera', () => {
  const url = 'rtsp://127.0.0.1:8554/cam1';
  it('adds it to a recorder that never had it', () => {
    expect(shouldAddDemoCamera([], url, false)).toBe(true);
    expect(shouldAddDemoCamera(['rtsp://192.168.1.64:554/stream1'], url, false)).toBe(true);
  });
  it('not when a camera already has its address', () => {
    expect(shouldAddDemoCamera([url], url, false)).toBe(false);
  });
  it('not again once it was added, even if someone removed it since', () => {
    expect(shouldAddDemoCamera([], url, true)).toBe(false);
  });
});

describe('vigil recorder --demo-camera', () => {
  let dir: DaemonDir | undefined;
  let daemon: DaemonProcess | undefined;
  afterEach(async () => {
    await daemon?.stop('SIGKILL');
    dir?.cleanup();
    daemon = dir = undefined;
  });

  it('activates the Vigil camera with a password nobody typed, adds it once across restarts, with nobody logged in, and records it', async () => {
    dir = initDaemonDir();
    const demoPort = await freePort();
    const args = ['--demo-camera', '--demo-camera-port', String(demoPort)];

    daemon = await startDaemon(dir.dataDir, args);
    await until(() => dir!.read().cameras.length === 1, 'the demo camera activated and added');
    const first = daemon.output();
    await daemon.stop();
    daemon = await startDaemon(dir.dataDir, args);

    const { cameras } = dir.read();
    const deviceUrl = `http://127.0.0.1:${demoPort + 1}/onvif/device_service`;
    expect(cameras.map((c) => [c.name, c.url, c.username, c.deviceUrl])).toEqual([['Demo camera', `rtsp://127.0.0.1:${demoPort}/cam1`, 'admin', deviceUrl]]);
    const camera = cameras[0]!;
    expect(camera.passwordSealed).not.toBeNull();
    const password = openCameraPassword(loadOrCreateSecretKey(dataPaths(dir.dataDir).settingsKey), camera)!;
    expect(password).toMatch(/^[\w-]{32}$/);
    // The camera knows the recorder's password and nothing else: no default, no empty login.
    const onvif = new OnvifClient(deviceUrl, { timeoutMs: 5000, now: () => Date.now() });
    expect((await onvif.users({ username: 'admin', password })).map((u) => u.username)).toEqual(['admin']);
    const refused = await onvif.users({ username: 'admin', password: '' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OnvifError);
    expect((refused as OnvifError).kind).toBe('unauthorized');
    // Nobody saw it: neither run printed the password, and the first printed no label code either.
    expect(first + daemon.output()).not.toContain(password);
    expect(first).not.toMatch(/label code\s+[0-9A-Z]{4}-/i);

    const id = camera.id;
    await until(() => dir!.read().recordings.some((r) => r.cameraId === id && r.frames > 25), 'a second of recorded demo video');
    // Added without a probe, it is measured from the stream it records: codec, size, rate, bitrate.
    await until(() => dir!.read().cameras[0]!.probe !== null, "the demo camera's stream measured");
    const { probe } = dir.read().cameras[0]!;
    expect(probe).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
    expect(probe!.fps).toBeCloseTo(25, 0);
    expect(probe!.bitrate).toBeGreaterThan(100_000);

    // A recorder started without the flag gets no camera, even on the same data directory's sibling.
    await daemon.stop();
    const plain = initDaemonDir();
    try {
      daemon = await startDaemon(plain.dataDir);
      expect(plain.read().cameras).toEqual([]);
    } finally {
      await daemon.stop();
      plain.cleanup();
    }
  }, 90_000);
});
