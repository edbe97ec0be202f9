// The RTSP client against a real camera: GStreamer's RTSP server replaying a 25 fps clip with a
// keyframe every 25 frames (test/fixtures/rtsp-camera.py), and ffmpeg decoding what was received.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRtsp, type RtspVideoStream } from '../../../src/media/rtsp/client.js';
import { ManualClock, systemClock } from '../../../src/shared/clock.js';
import type { AccessUnit, RtspSource } from '../../../src/media/types.js';
import { decodeAnnexB, writeAnnexB } from '../../helpers/annex-b.js';
import { STANDARD_CLIP } from '../../helpers/clips.js';
import { startGstCamera, type GstCamera, type GstCameraOptions, type GstRtcpReport } from '../../helpers/rtsp-camera.js';

const FRAMES = 60; // 2.4 s at 25 fps
const FRAME_STEP_90K = 90000 / STANDARD_CLIP.fps;
const USER = { username: 'viewer', password: 'correct horse' };

let camera: GstCamera | undefined;
let stream: RtspVideoStream | undefined;
let dir: string | undefined;

afterEach(async () => {
  stream?.close();
  await camera?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
  camera = stream = dir = undefined;
});

async function receive(count: number, from: RtspVideoStream): Promise<AccessUnit[]> {
  const frames: AccessUnit[] = [];
  for await (const frame of from.frames()) {
    frames.push(frame);
    if (frames.length === count) from.close(); // the iteration then ends by itself
  }
  return frames;
}

const CASES: Array<{ codec: GstCameraOptions['codec']; transport: RtspSource['transport']; auth: 'none' | 'basic' | 'digest' }> = [
  { codec: 'h264', transport: 'tcp', auth: 'none' },
  { codec: 'h264', transport: 'udp', auth: 'none' },
  { codec: 'h265', transport: 'tcp', auth: 'none' },
  { codec: 'h265', transport: 'udp', auth: 'none' },
  { codec: 'h264', transport: 'tcp', auth: 'basic' },
  { codec: 'h264', transport: 'udp', auth: 'digest' },
  { codec: 'h265', transport: 'tcp', auth: 'digest' },
];

describe('connectRtsp against a GStreamer camera', () => {
  it.each(CASES)('receives $codec over $transport, auth $auth', async ({ codec, transport, auth }) => {
    camera = await startGstCamera({ codec, ...(auth === 'none' ? {} : { auth: { method: auth, ...USER } }) });
    const clock = new ManualClock();
    stream = await connectRtsp({ url: camera.url, transport, ...(auth === 'none' ? {} : USER) }, { clock });
    expect(stream.codec).toBe(codec);

    const frames = await receive(FRAMES, stream);

    expect(frames).toHaveLength(FRAMES);
    expect(frames.every((f) => f.codec === codec && f.receivedAt === clock.now() && f.nalus.length > 0)).toBe(true);
    const keyframes = frames.flatMap((f, i) => (f.keyframe ? [i] : []));
    expect(keyframes).toEqual([0, 25, 50]);
    const steps = frames.slice(1).map((f, i) => f.pts90k - frames[i]!.pts90k);
    for (const step of steps) expect(Math.abs(step - FRAME_STEP_90K)).toBeLessThanOrEqual(1);
    const parameterSets = stream.parameterSets();
    expect(parameterSets).toMatchObject({ codec, sps: expect.any(Buffer), pps: expect.any(Buffer) });
    if (codec === 'h265') expect(parameterSets?.vps).toBeInstanceOf(Buffer);
    expect(stream.stats()).toEqual({ lostPackets: 0, droppedFrames: 0, discardedPackets: 0 });

    dir = await mkdtemp(join(tmpdir(), 'vigil-rtsp-'));
    const file = join(dir, `received.${codec}`);
    await writeAnnexB(file, parameterSets!, frames);
    expect(await decodeAnnexB(file, codec)).toEqual({ frames: FRAMES, errors: '' });
  });
});

describe('connectRtsp keeping the session', () => {
  it('sends GET_PARAMETER keep-alives within the session timeout, and TEARDOWN on close', async () => {
    camera = await startGstCamera({ codec: 'h264', sessionTimeoutSeconds: 2, auth: { method: 'digest', ...USER } });
    stream = await connectRtsp({ url: camera.url, transport: 'udp', ...USER }, { clock: new ManualClock() });
    const frames = await receive(100, stream); // 4 s of video: twice the session timeout
    expect(frames).toHaveLength(100);
    expect(stream.stats().lostPackets).toBe(0);
    expect(camera.requests).toContain('GET_PARAMETER');
    await camera.requested('TEARDOWN');
  });
});

describe('connectRtsp reporting reception to the camera (RTCP)', () => {
  it.each(['udp', 'tcp'] as const)('sends receiver reports over %s that GStreamer reads, about its SSRC, echoing its sender report', async (transport) => {
    camera = await startGstCamera({ codec: 'h264' });
    stream = await connectRtsp({ url: camera.url, transport }, { clock: systemClock });
    const echoing = (report: GstRtcpReport) => report.packets.some((p) => p.type === 'RR' && 'blocks' in p && p.blocks[0] !== undefined && p.blocks[0].lsr !== 0);
    const report = await camera.receivedRtcp(echoing);

    expect(report.valid).toBe(true);
    const [rr, sdes] = report.packets;
    expect(rr).toMatchObject({ type: 'RR', blocks: [{ ssrc: report.camera.ssrc, cumulativeLost: 0, fractionLost: 0 }] });
    expect(sdes).toEqual({ type: 'SDES', ssrc: (rr as { ssrc: number }).ssrc });
    // The highest sequence number received is one the camera has sent by then: not ahead of its latest.
    const highest = (rr as Extract<GstRtcpReport['packets'][number], { type: 'RR' }>).blocks[0]!.extendedHighestSequence;
    expect((report.camera.seqnum - highest) & 0xffff).toBeLessThan(0x8000);
    expect(stream.stats().lostPackets).toBe(0);
  });
});

describe('connectRtsp when things go wrong', () => {
  it.each(['basic', 'digest'] as const)('says unauthorized for a wrong password (%s), without the password', async (method) => {
    camera = await startGstCamera({ codec: 'h264', auth: { method, ...USER } });
    const error = await connectRtsp({ url: camera.url, transport: 'tcp', username: USER.username, password: 'wrong-Secret-42' }, { clock: new ManualClock() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RtspError', kind: 'unauthorized' });
    expect(String((error as Error).message)).not.toContain('wrong-Secret-42');
  });

  it('says unauthorized when the camera wants credentials and has none, and takes them from the URL', async () => {
    camera = await startGstCamera({ codec: 'h264', auth: { method: 'digest', ...USER } });
    await expect(connectRtsp({ url: camera.url, transport: 'tcp' }, { clock: new ManualClock() })).rejects.toMatchObject({ kind: 'unauthorized' });
    const inUrl = camera.url.replace('rtsp://', `rtsp://${USER.username}:${encodeURIComponent(USER.password)}@`);
    stream = await connectRtsp({ url: inUrl, transport: 'tcp' }, { clock: new ManualClock() });
    expect(await receive(1, stream)).toHaveLength(1);
  });

  it('says not_found for a path the camera does not have', async () => {
    camera = await startGstCamera({ codec: 'h264' });
    await expect(connectRtsp({ url: `${camera.url}-nope`, transport: 'tcp' }, { clock: new ManualClock() })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('says unsupported when the camera does not offer the transport asked for', async () => {
    camera = await startGstCamera({ codec: 'h264', transport: 'tcp' });
    await expect(connectRtsp({ url: camera.url, transport: 'udp' }, { clock: new ManualClock() })).rejects.toMatchObject({ kind: 'unsupported' });
  });

  it('says unreachable when nothing listens', async () => {
    // A port that was free a moment ago: a stopped camera's.
    camera = await startGstCamera({ codec: 'h264' });
    const url = camera.url;
    await camera.stop();
    camera = undefined;
    await expect(connectRtsp({ url, transport: 'tcp' }, { clock: new ManualClock() })).rejects.toMatchObject({ kind: 'unreachable' });
  });

  it('says timeout when the camera accepts the connection but never answers', async () => {
    camera = await startGstCamera({ codec: 'h264' });
    camera.freeze(); // the kernel still accepts TCP connections for the stopped process
    await expect(connectRtsp({ url: camera.url, transport: 'tcp' }, { clock: new ManualClock(), timeoutMs: 1000 })).rejects.toMatchObject({ kind: 'timeout' });
  });

  it.each(['tcp', 'udp'] as const)('fails frames() with timeout when the camera freezes (%s)', async (transport) => {
    camera = await startGstCamera({ codec: 'h264' });
    // The client's own no-video timer, kept short here; it is not a limit on how fast anything runs.
    stream = await connectRtsp({ url: camera.url, transport }, { clock: new ManualClock(), timeoutMs: 2000 });
    let received = 0;
    const outcome = (async () => {
      for await (const frame of stream.frames()) {
        void frame;
        if (++received === 5) camera!.freeze();
      }
    })();
    await expect(outcome).rejects.toMatchObject({ name: 'RtspError', kind: 'timeout' });
    expect(received).toBeGreaterThanOrEqual(5);
  });

  it('fails frames() when the camera dies', async () => {
    camera = await startGstCamera({ codec: 'h265' });
    stream = await connectRtsp({ url: camera.url, transport: 'tcp' }, { clock: new ManualClock() });
    const outcome = (async () => {
      let received = 0;
      for await (const frame of stream.frames()) {
        void frame;
        if (++received === 5) await camera!.kill();
      }
    })();
    await expect(outcome).rejects.toMatchObject({ name: 'RtspError', kind: 'unreachable' });
  });
});
