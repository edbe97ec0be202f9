// `vigil recorder --demo-camera`, what `npm start` runs: a simulated camera added once, recorded.
import { afterEach, describe, expect, it } from 'vitest';
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

  it('adds the simulated camera once across restarts, with nobody logged in, and records it', async () => {
    dir = initDaemonDir();
    const demoPort = String(await freePort());
    const args = ['--demo-camera', '--demo-camera-port', demoPort];

    daemon = await startDaemon(dir.dataDir, args);
    await daemon.stop();
    daemon = await startDaemon(dir.dataDir, args);

    const { cameras } = dir.read();
    expect(cameras.map((c) => [c.name, c.url])).toEqual([['Demo camera', `rtsp://127.0.0.1:${demoPort}/cam1`]]);
    const id = cameras[0]!.id;
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
