// The supervisor's loop against an in-process camera: a real VideoStream object whose frames,
// endings and failures the test controls (no RTSP peer exists in this branch yet), with a manual
// clock and timers that fire only when the test moves time.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/shared/clock.js';
import { createLogger } from '../../../../src/shared/logger.js';
import { CameraSupervisor, type FrameSink, type GapReason } from '../../../../src/recorder/media/cameras/camera-supervisor.js';
import type { AccessUnit, ParameterSets, VideoStream } from '../../../../src/media/types.js';
import { frame, InProcessCameras, type InProcessStream } from '../../../helpers/in-process-camera.js';
import { ManualTimers, settle } from '../../../helpers/manual-timers.js';
import { Writable } from 'node:stream';

/** A sink that writes down what it got, in order. */
class RecordingSink implements FrameSink {
  readonly events: (['frame', AccessUnit, ParameterSets | undefined] | ['gap', GapReason])[] = [];
  onFrame(au: AccessUnit, parameterSets: ParameterSets | undefined): void {
    this.events.push(['frame', au, parameterSets]);
  }
  onGap(reason: GapReason): void {
    this.events.push(['gap', reason]);
  }
  gaps = () => this.events.filter((e) => e[0] === 'gap').map((e) => e[1]);
  frames = () => this.events.filter((e) => e[0] === 'frame').length;
}

function setUp(options: { random?: number; sinks?: FrameSink[] } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 10, 24, 12));
  const timers = new ManualTimers(clock);
  const cameras = new InProcessCameras(clock, { cam: {} });
  const sink = new RecordingSink();
  const logs: string[] = [];
  const logger = createLogger({ destination: new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) }) });
  const supervisor = new CameraSupervisor(7, { url: 'rtsp://cam/stream', transport: 'tcp', username: 'u', password: 'p' }, {
    connect: cameras.connect,
    clock,
    timers,
    random: () => options.random ?? 0,
    sinks: options.sinks ?? [sink],
    logger,
  });
  /** Pushes `count` frames 40 ms apart (25 fps), moving the clock with them. */
  async function play(stream: { push(au: AccessUnit): void }, count: number, bytes = 1_000) {
    for (let i = 0; i < count; i++) {
      await timers.advance(40);
      stream.push(frame(i * 3_600, bytes, clock.now()));
    }
    await settle();
  }
  return { clock, timers, cameras, sink, supervisor, play, logs };
}

describe('CameraSupervisor', () => {
  it('connects, hands every frame with its parameter sets to the sink, and is online with last frame time and bitrate', async () => {
    const { cameras, sink, supervisor, play, clock } = setUp();
    expect(supervisor.status().state).toBe('disabled');
    const opened = cameras.nextStream();
    supervisor.start();
    const stream = await opened;
    expect(cameras.attempts[0]).toEqual({ url: 'rtsp://cam/stream', transport: 'tcp', username: 'u', password: 'p' });
    expect(supervisor.status().state).toBe('connecting'); // connected, no frame yet
    await play(stream, 50, 1_000);
    expect(sink.frames()).toBe(50);
    expect(sink.events[0]![2]).toMatchObject({ codec: 'h264', sps: expect.any(Buffer), pps: expect.any(Buffer) });
    const status = supervisor.status();
    expect(status).toMatchObject({ state: 'online', lastFrameAt: clock.now(), problem: null, retryAt: null });
    // 50 frames in 2 s (the window is the time since connecting): 1 000 bytes each.
    expect(status.bitrate).toBe(Math.round((50 * 1_000 * 8 * 1000) / 2_000));
    await supervisor.stop();
    expect(sink.gaps()).toEqual(['stopped']);
    expect(stream.closed).toBe(true);
    expect(supervisor.status().state).toBe('disabled');
  });

  it('a lost camera: a gap, offline with the retry time, then it reconnects after the backoff', async () => {
    const { cameras, sink, supervisor, play, timers, clock } = setUp();
    let opened = cameras.nextStream();
    supervisor.start();
    const first = await opened;
    await play(first, 3);
    opened = cameras.nextStream();
    first.fail(Object.assign(new Error('reset'), { kind: 'unreachable' }));
    await settle();
    expect(sink.gaps()).toEqual(['lost']);
    expect(supervisor.status()).toMatchObject({ state: 'offline', problem: 'unreachable', retryAt: clock.now() + 1_000 });
    await timers.advance(999);
    expect(cameras.attempts).toHaveLength(1);
    await timers.advance(1);
    const second = await opened;
    expect(cameras.attempts).toHaveLength(2);
    await play(second, 2);
    expect(supervisor.status().state).toBe('online');
    expect(sink.frames()).toBe(5);
    await supervisor.stop();
  });

  it('a camera that closes the stream counts as lost', async () => {
    const { cameras, sink, supervisor, play } = setUp();
    const opened = cameras.nextStream();
    supervisor.start();
    const stream = await opened;
    await play(stream, 2);
    stream.end();
    await settle();
    expect(sink.gaps()).toEqual(['lost']);
    expect(supervisor.status()).toMatchObject({ state: 'offline', problem: 'lost' });
    await supervisor.stop();
  });

  it('the problem shown is the last connection’s, not an older one', async () => {
    const { cameras, supervisor, play, timers } = setUp();
    cameras.refuseNext('unauthorized');
    supervisor.start();
    await settle();
    expect(supervisor.status().problem).toBe('unauthorized');
    const opened = cameras.nextStream();
    await timers.advance(1_000);
    const stream = await opened;
    await play(stream, 2);
    expect(supervisor.status()).toMatchObject({ state: 'online', problem: null });
    stream.end();
    await settle();
    expect(supervisor.status()).toMatchObject({ state: 'offline', problem: 'lost' });
    await supervisor.stop();
  });

  it('failed attempts wait 1, 2, 4, 8, 16, then 30 s at most, and say why', async () => {
    const { cameras, supervisor, timers, clock } = setUp();
    cameras.refuseNext('unauthorized', 'unauthorized', 'timeout', 'timeout', 'timeout', 'timeout', 'timeout', 'timeout');
    supervisor.start();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) {
      await settle();
      const status = supervisor.status();
      expect(status.state).toBe('offline');
      expect(status.problem).toBe(attempt <= 2 ? 'unauthorized' : 'timeout');
      waits.push(status.retryAt! - clock.now());
      await timers.advance(status.retryAt! - clock.now());
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(cameras.attempts).toHaveLength(9);
    await supervisor.stop();
  });

  it('jitter shortens the waits by up to half', async () => {
    const { cameras, supervisor, clock } = setUp({ random: 0.5 });
    cameras.refuseNext('unreachable');
    supervisor.start();
    await settle();
    expect(supervisor.status().retryAt! - clock.now()).toBe(750);
    await supervisor.stop();
  });

  it('a frozen camera (connected, no frames) is noticed 6 to 6.5 s after its last frame, and reconnected', async () => {
    const { cameras, sink, supervisor, play, timers, clock } = setUp();
    let opened = cameras.nextStream();
    supervisor.start();
    const stream = await opened;
    await play(stream, 5);
    const lastFrameAt = clock.now();
    opened = cameras.nextStream();
    await timers.advance(5_999);
    expect(sink.gaps()).toEqual([]);
    expect(supervisor.status().state).toBe('online');
    await timers.advance(501); // 6.5 s since the last frame
    expect(sink.gaps()).toEqual(['frozen']);
    expect(stream.closed).toBe(true);
    expect(supervisor.status()).toMatchObject({ state: 'offline', problem: 'frozen', lastFrameAt });
    await timers.advance(1_000);
    const again = await opened;
    await play(again, 1);
    expect(supervisor.status()).toMatchObject({ state: 'online', problem: null });
    await supervisor.stop();
  });

  it('a camera at 1 frame a second with a long GOP is never taken for frozen', async () => {
    const { cameras, sink, supervisor, timers, clock } = setUp();
    const opened = cameras.nextStream();
    supervisor.start();
    const stream = await opened;
    for (let i = 0; i < 120; i++) {
      stream.push(frame(i * 90_000, 2_000, clock.now(), i % 60 === 0)); // a keyframe a minute
      await timers.advance(1_000);
      expect(supervisor.status().state).toBe('online');
    }
    expect(sink.gaps()).toEqual([]);
    expect(sink.frames()).toBe(120);
    await supervisor.stop();
  });

  it('once a new connection delivers frames, the status no longer shows why the last one ended', async () => {
    const { cameras, supervisor, play, timers } = setUp();
    cameras.refuseNext('unauthorized');
    supervisor.start();
    await settle();
    const opened = cameras.nextStream();
    await timers.advance(1_000);
    const stream = await opened;
    await play(stream, 2);
    expect(supervisor.status()).toMatchObject({ state: 'online', problem: null });
    // Silent past the freeze window, before the watchdog's next look: not receiving, and the refusal is long gone.
    await timers.advance(6_100);
    expect(supervisor.status()).toMatchObject({ state: 'connecting', problem: null });
    await timers.advance(400);
    expect(supervisor.status()).toMatchObject({ state: 'offline', problem: 'frozen' });
    await supervisor.stop();
  });

  it('a camera that connects but never sends a frame is frozen too', async () => {
    const { cameras, sink, supervisor, timers } = setUp();
    const opened = cameras.nextStream();
    supervisor.start();
    await opened;
    await timers.advance(6_500);
    expect(sink.gaps()).toEqual(['frozen']);
    await supervisor.stop();
  });

  it('after a stable minute the backoff starts again from 1 s; short connections keep doubling it', async () => {
    const { cameras, supervisor, play, timers, clock } = setUp();
    cameras.refuseNext('unreachable', 'unreachable', 'unreachable');
    supervisor.start();
    await settle();
    await timers.advance(1_000);
    await timers.advance(2_000);
    let opened = cameras.nextStream();
    await timers.advance(4_000);
    const short = await opened;
    await play(short, 10);
    opened = cameras.nextStream();
    short.end();
    await settle();
    expect(supervisor.status().retryAt! - clock.now()).toBe(8_000); // fourth failure in a row
    await timers.advance(8_000);
    const stable = await opened;
    await play(stable, 1_525); // 61 s of frames
    stable.end();
    await settle();
    expect(supervisor.status().retryAt! - clock.now()).toBe(1_000);
    await supervisor.stop();
  });

  it('stop while waiting to retry ends the wait at once; stop while connecting closes a stream that arrives late', async () => {
    const { cameras, supervisor, sink } = setUp();
    cameras.refuseNext('unreachable');
    supervisor.start();
    await settle();
    expect(supervisor.status().state).toBe('offline');
    await supervisor.stop();
    expect(supervisor.status().state).toBe('disabled');
    expect(sink.gaps()).toEqual([]); // never streamed, nothing to close

    // A connection attempt that the test holds open until after stop().
    const clock = new ManualClock();
    const cameras2 = new InProcessCameras(clock, { cam: {} });
    let deliver: (stream: VideoStream) => void = () => undefined;
    const held = new CameraSupervisor(8, { url: 'rtsp://cam/s', transport: 'udp' }, {
      connect: () => new Promise((resolve) => (deliver = resolve)),
      clock,
      timers: new ManualTimers(clock),
      random: () => 0,
      sinks: [],
      logger: createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) }),
    });
    held.start();
    await settle();
    expect(held.status().state).toBe('connecting');
    await held.stop();
    const stream = await cameras2.connect({ url: 'rtsp://cam/s', transport: 'udp' }, { clock, timeoutMs: 1 });
    deliver(stream);
    await settle();
    expect((stream as InProcessStream).closed).toBe(true);
  });

  it('a sink that throws is logged; the other sinks and the next frames carry on', async () => {
    const good = new RecordingSink();
    const bad: FrameSink = {
      onFrame: () => {
        throw new Error('disk full');
      },
      onGap: () => undefined,
    };
    const { cameras, supervisor, play, logs } = setUp({ sinks: [bad, good] });
    const opened = cameras.nextStream();
    supervisor.start();
    await play(await opened, 3);
    expect(good.frames()).toBe(3);
    expect(supervisor.status().state).toBe('online');
    expect(logs.join('')).toContain('a camera frame sink failed');
    await supervisor.stop();
  });
});
