// The probe against an in-process camera (a real VideoStream object the test feeds), with timers
// that fire only when the test moves time.
import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../../../src/shared/clock.js';
import { startSimulatedCameras } from '../../../../src/camera/stream/simulated-cameras.js';
import { probeCamera } from '../../../../src/recorder/media/cameras/probe.js';
import { connectCamera } from '../../../../src/recorder/media/cameras/connect.js';
import { systemTimers } from '../../../../src/shared/timers.js';
import { createServer } from 'node:net';
import { frame, InProcessCameras } from '../../../helpers/in-process-camera.js';
import { ManualTimers, settle } from '../../../helpers/manual-timers.js';

function setUp(hosts: ConstructorParameters<typeof InProcessCameras>[1]) {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const cameras = new InProcessCameras(clock, hosts);
  return { clock, timers, cameras, deps: { connect: cameras.connect, clock, timers } };
}

describe('probeCamera', () => {
  it('reads two seconds of video and says codec, frame rate and bitrate, then hangs up', async () => {
    const { cameras, deps } = setUp({ cam: { codec: 'h265', burst: { count: 80, fps: 25, bytes: 5_000 } } });
    const outcome = await probeCamera({ url: 'rtsp://cam/s', transport: 'udp' }, deps);
    expect(outcome).toEqual({ ok: true, result: { codec: 'h265', fps: 25, bitrate: 1_000_000 } });
    expect(cameras.streams[0]!.closed).toBe(true);
  });

  it.each([
    ['unreachable', 'elsewhere', {}, /could not be reached/],
    ['unauthorized', 'cam', { username: 'admin', password: 'wrong' }, /refused the user name or password/],
  ])('a camera that is %s says so in plain words', async (kind, host, credentials, message) => {
    const { deps } = setUp({ cam: { login: { username: 'admin', password: 'right' } } });
    const outcome = await probeCamera({ url: `rtsp://${host}/s`, transport: 'tcp', ...credentials }, deps);
    expect(outcome).toEqual({ ok: false, kind, message: expect.stringMatching(message) });
  });

  it('a camera that connects but sends nothing is given up after the sample deadline', async () => {
    const { deps, timers, cameras } = setUp({ cam: {} });
    const pending = probeCamera({ url: 'rtsp://cam/s', transport: 'tcp' }, deps);
    await settle();
    await timers.advance(5_000);
    expect(await pending).toEqual({ ok: false, kind: 'no_video', message: expect.stringMatching(/sent no video/) });
    expect(cameras.streams[0]!.closed).toBe(true);
  });

  it('a camera that sends a few frames and stops is measured from what came', async () => {
    const { deps, timers, cameras, clock } = setUp({ cam: {} });
    const pending = probeCamera({ url: 'rtsp://cam/s', transport: 'tcp' }, deps);
    await settle();
    const stream = cameras.streams[0]!;
    for (let i = 0; i < 11; i++) stream.push(frame(i * 9_000, 500, clock.now()));
    await timers.advance(5_000);
    expect(await pending).toEqual({ ok: true, result: { codec: 'h264', fps: 10, bitrate: 40_000 } });
  });

  it('a stream that breaks before the first frame reports why', async () => {
    const { deps, cameras } = setUp({ cam: {} });
    const pending = probeCamera({ url: 'rtsp://cam/s', transport: 'tcp' }, deps);
    await settle();
    cameras.streams[0]!.fail(Object.assign(new Error('bad RTP'), { kind: 'protocol' }));
    expect(await pending).toMatchObject({ ok: false, kind: 'protocol' });
  });
});

describe('probing through the real RTSP client', () => {
  it('a port where nothing listens is unreachable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const outcome = await probeCamera({ url: `rtsp://127.0.0.1:${port}/s`, transport: 'tcp' }, { connect: connectCamera, clock: systemClock, timers: systemTimers });
    expect(outcome).toMatchObject({ ok: false, kind: 'unreachable' });
  });

  it('the simulated camera, with its login: codec, size from the SPS, frame rate and bitrate', async () => {
    const cameras = await startSimulatedCameras({ port: 0, source: 'clip', username: 'cam', password: 'Camera pass 77' });
    try {
      const source = { url: cameras.cameras[0]!.url, username: 'cam', password: 'Camera pass 77', transport: 'tcp' as const };
      const outcome = await probeCamera(source, { connect: connectCamera, clock: systemClock, timers: systemTimers });
      expect(outcome).toMatchObject({ ok: true, result: { codec: 'h264', width: 1280, height: 720 } });
      if (!outcome.ok) return;
      expect(outcome.result.fps).toBeCloseTo(25, 0);
      expect(outcome.result.bitrate).toBeGreaterThan(200_000);
      const refused = await probeCamera({ ...source, password: 'wrong' }, { connect: connectCamera, clock: systemClock, timers: systemTimers });
      expect(refused).toMatchObject({ ok: false, kind: 'unauthorized' });
    } finally {
      await cameras.stop();
    }
  });
});
