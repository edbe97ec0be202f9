import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatedCamerasOptions, startSimulatedCameras } from '../../../src/camera/stream/simulated-cameras.js';
import { decode, fileSize, probe, startRecording, waitUntil } from './ffmpeg-peer.js';
import { RawRtspClient } from './raw-rtsp.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-simcam-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Small and cheap cameras; the clip is encoded once for the whole file. */
async function cameras(options: SimulatedCamerasOptions = {}) {
  return startSimulatedCameras({
    port: 0,
    source: 'clip',
    encoding: { width: 320, height: 240 },
    clip: { cacheDir: join(dir, 'cache'), seconds: 2 },
    ...options,
  });
}

const withLogin = (url: string, username: string, password: string) => url.replace('rtsp://', `rtsp://${username}:${password}@`);

describe('camera login, through ffprobe', () => {
  for (const scheme of ['digest', 'basic'] as const) {
    it(`${scheme}: the right password plays, a wrong or missing one gets 401`, async () => {
      const running = await cameras({ username: 'admin', password: 'camera pass', authScheme: scheme });
      try {
        const url = running.cameras[0]!.url;
        const right = await probe(withLogin(url, 'admin', 'camera%20pass'), 'tcp');
        expect(right, right.stderr).toMatchObject({ ok: true, codec: 'h264' });
        for (const wrong of [withLogin(url, 'admin', 'wrong'), withLogin(url, 'root', 'camera%20pass'), url]) {
          const refused = await probe(wrong, 'tcp');
          expect(refused.ok).toBe(false);
          expect(refused.stderr).toMatch(/401 Unauthorized/);
        }
        expect(running.sessionCount()).toBe(0);
      } finally {
        await running.stop();
      }
    });
  }
});

describe('RTP and RTCP', () => {
  it('start at a keyframe with the sequence number and timestamp PLAY announced; a sender report maps RTP time to wall time', async () => {
    const running = await cameras();
    const url = running.cameras[0]!.url;
    const client = await RawRtspClient.connect(url);
    try {
      const setup = await client.request('SETUP', `${url}/trackID=0`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=4-5' });
      const ssrc = parseInt(/ssrc=([0-9A-F]{8})/.exec(setup.headers.get('transport')!)![1]!, 16);
      const playedAt = Date.now();
      const play = await client.request('PLAY', url, { Session: setup.headers.get('session')!.split(';')[0]! });
      const [, seq, rtptime] = /seq=(\d+);rtptime=(\d+)/.exec(play.headers.get('rtp-info')!)!.map(Number);
      await waitUntil(() => client.interleaved.some(({ channel }) => channel === 5));
      const reportedBy = Date.now();
      const rtp = client.interleaved.filter(({ channel }) => channel === 4).map(({ packet }) => packet);
      const first = rtp[0]!;
      expect(first.readUInt16BE(2)).toBe(seq);
      expect(first.readUInt32BE(4)).toBe(rtptime);
      expect(first.readUInt32BE(8)).toBe(ssrc);
      expect(first[12]! & 0x1f).toBe(7); // the keyframe's SPS comes first
      rtp.forEach((packet, i) => expect(packet.readUInt16BE(2)).toBe((seq! + i) & 0xffff));
      const report = client.interleaved.find(({ channel }) => channel === 5)!.packet;
      expect(report[1]).toBe(200);
      expect(report.readUInt32BE(4)).toBe(ssrc);
      const reportedMs = (report.readUInt32BE(8) - 2_208_988_800) * 1000 + (report.readUInt32BE(12) / 2 ** 32) * 1000;
      expect(reportedMs).toBeGreaterThanOrEqual(playedAt - 1);
      expect(reportedMs).toBeLessThanOrEqual(reportedBy + 1);
      expect(rtp.map((packet) => packet.readUInt32BE(4))).toContain(report.readUInt32BE(16));
    } finally {
      client.close();
      await running.stop();
    }
  });
});

describe('sessions end', () => {
  it('on TEARDOWN, while the connection stays open', async () => {
    const running = await cameras();
    const client = await RawRtspClient.connect(running.cameras[0]!.url);
    try {
      const url = running.cameras[0]!.url;
      expect((await client.request('DESCRIBE', url, { Accept: 'application/sdp' })).status).toBe(200);
      const setup = await client.request('SETUP', `${url}/trackID=0`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
      expect(setup.status).toBe(200);
      const session = setup.headers.get('session')!.split(';')[0]!;
      const play = await client.request('PLAY', url, { Session: session });
      expect(play.status).toBe(200);
      expect(play.headers.get('rtp-info')).toMatch(/^url=rtsp:\/\/.+\/cam1\/trackID=0;seq=\d+;rtptime=\d+$/);
      expect(running.sessionCount()).toBe(1);
      expect((await client.request('GET_PARAMETER', url, { Session: session })).status).toBe(200);
      expect((await client.request('TEARDOWN', url, { Session: session })).status).toBe(200);
      expect(running.sessionCount()).toBe(0);
      expect((await client.request('PLAY', url, { Session: session })).status).toBe(454);
    } finally {
      client.close();
      await running.stop();
    }
  });

  it('when the client vanishes (ffmpeg killed with SIGKILL)', async () => {
    const running = await cameras({ cameras: 2 });
    try {
      const recordings = [
        startRecording(running.cameras[0]!.url, 'tcp', join(dir, 'killed-tcp.mp4')),
        startRecording(running.cameras[1]!.url, 'udp', join(dir, 'killed-udp.mp4')),
      ];
      await waitUntil(() => running.sessionCount('cam1') === 1 && running.sessionCount('cam2') === 1);
      for (const { child } of recordings) child.kill('SIGKILL');
      await waitUntil(() => running.sessionCount() === 0);
    } finally {
      await running.stop();
    }
  });

  it('when a client goes silent past the session timeout: its connection is closed', async () => {
    const running = await cameras({ sessionTimeoutSeconds: 1 });
    const url = running.cameras[0]!.url;
    const client = await RawRtspClient.connect(url);
    try {
      const setup = await client.request('SETUP', `${url}/trackID=0`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
      expect(setup.headers.get('session')).toMatch(/;timeout=1$/);
      await client.request('PLAY', url, { Session: setup.headers.get('session')!.split(';')[0]! });
      expect(running.sessionCount()).toBe(1);
      await client.closed;
      expect(running.sessionCount()).toBe(0);
    } finally {
      client.close();
      await running.stop();
    }
  });
});

describe('failures for recorder tests', () => {
  it('a frozen camera keeps the connection but sends nothing: ffmpeg -timeout 3000000 gives up; unfrozen it plays again', async () => {
    const running = await cameras({ cameras: 2 });
    try {
      const file = join(dir, 'frozen.mp4');
      const recording = startRecording(running.cameras[0]!.url, 'tcp', file);
      await waitUntil(async () => (await fileSize(file)) > 50_000);
      running.freeze('cam1');
      await recording.exited;
      expect(running.sessionCount('cam1')).toBe(0);
      const recorded = await decode(file);
      expect(recorded.errors).toBe('');
      expect(recorded.frames).toBeGreaterThan(0);
      expect((await probe(running.cameras[1]!.url, 'tcp')).ok).toBe(true);
      running.unfreeze('cam1');
      expect((await probe(running.cameras[0]!.url, 'tcp')).ok).toBe(true);
    } finally {
      await running.stop();
    }
  });

  it('a disconnected camera cuts its clients and answers 503 until it reconnects', async () => {
    const running = await cameras({ cameras: 2 });
    try {
      const recording = startRecording(running.cameras[0]!.url, 'tcp', join(dir, 'cut.mp4'));
      const other = startRecording(running.cameras[1]!.url, 'tcp', join(dir, 'uncut.mp4'));
      await waitUntil(() => running.sessionCount('cam1') === 1 && running.sessionCount('cam2') === 1);
      running.disconnect('cam1');
      await recording.exited;
      expect(running.sessionCount('cam1')).toBe(0);
      expect(running.sessionCount('cam2')).toBe(1);
      const refused = await probe(running.cameras[0]!.url, 'tcp');
      expect(refused.stderr).toMatch(/503 Service Unavailable/);
      running.reconnect('cam1');
      expect((await probe(running.cameras[0]!.url, 'tcp')).ok).toBe(true);
      other.child.kill('SIGKILL');
      await other.exited;
    } finally {
      await running.stop();
    }
  });
});
