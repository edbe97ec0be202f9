// Recording against real peers failing for real: the recorder daemon runs as a child process of the
// CLI (real clock, real timers), cameras are GStreamer's RTSP server, killed, frozen or replaced.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Recording } from '../../../src/recorder/db/recordings-store.js';
import type { VideoCodec } from '../../../src/media/types.js';
import { runVigil } from '../../helpers/cli.js';
import type { ApiClient } from '../../helpers/client.js';
import { type GstCamera, type GstCameraOptions, startGstCamera } from '../../helpers/rtsp-camera.js';
import { decodeErrors, probeVideo } from '../../helpers/clips.js';
import { adminOf, type DaemonDir, type DaemonProcess, initDaemonDir, startDaemon, until } from './daemon-process.js';

const FPS = 25; // the standard test clip's

let dir: DaemonDir | undefined;
let daemon: DaemonProcess | undefined;
const cameras: GstCamera[] = [];
afterEach(async () => {
  await daemon?.stop('SIGKILL');
  await Promise.all(cameras.splice(0).map((camera) => camera.stop()));
  dir?.cleanup();
  daemon = dir = undefined;
});

async function recorderWithAdmin(): Promise<{ dir: DaemonDir; admin: ApiClient }> {
  dir = initDaemonDir();
  daemon = await startDaemon(dir.dataDir);
  return { dir, admin: await adminOf(daemon, dir.labelCode) };
}

async function camera(options: GstCameraOptions): Promise<GstCamera> {
  const started = await startGstCamera(options);
  cameras.push(started);
  return started;
}

async function addCamera(admin: ApiClient, gst: GstCamera, options: Pick<GstCameraOptions, 'auth'> & { transport: 'tcp' | 'udp' }): Promise<number> {
  const added = await admin.post('/api/v1/cameras', {
    name: `Camera on ${new URL(gst.url).port}`,
    url: gst.url,
    transport: options.transport,
    ...(options.auth ? { username: options.auth.username, password: options.auth.password } : {}),
  });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  return added.body.camera.id as number;
}

const segmentsOf = (cameraId: number): Recording[] => dir!.read().recordings.filter((r) => r.cameraId === cameraId);
const framesOf = (cameraId: number) => segmentsOf(cameraId).reduce((sum, r) => sum + r.frames, 0);

/** What ffprobe finds in a closed segment against its index row. */
function expectSegmentMatchesFile(segment: Recording, codec: VideoCodec): void {
  const file = join(dir!.dataDir, 'footage', segment.path);
  const probed = probeVideo(file);
  expect(probed.codec_name).toBe(codec === 'h264' ? 'h264' : 'hevc');
  expect(Number(probed.nb_read_frames)).toBe(segment.frames);
  // Within one frame: ffprobe's stream duration and the index's 90 kHz duration come from the same samples.
  expect(Math.abs(Number(probed.duration) - segment.duration90k / 90_000)).toBeLessThanOrEqual(1 / FPS);
  expect(decodeErrors(file)).toBe('');
}

describe('recording through the GStreamer camera', () => {
  it('records TCP with Digest (H.264), UDP with Basic (H.265) and TCP without login (H.265)', async () => {
    const { admin } = await recorderWithAdmin();
    const cases = [
      { codec: 'h264', transport: 'tcp', auth: { method: 'digest', username: 'viewer', password: 'digest-secret' } },
      { codec: 'h265', transport: 'udp', auth: { method: 'basic', username: 'viewer', password: 'basic-secret' } },
      { codec: 'h265', transport: 'tcp', auth: undefined },
    ] as const;
    const ids: number[] = [];
    for (const c of cases) {
      const gst = await camera({ codec: c.codec, transport: c.transport, auth: c.auth });
      ids.push(await addCamera(admin, gst, { transport: c.transport, auth: c.auth }));
    }
    await until(() => ids.every((id) => framesOf(id) >= 3 * FPS), '3 s of video from every camera', 60_000);
    await daemon!.stop(); // SIGTERM: open segments are closed, index and files agree
    cases.forEach((c, i) => {
      const segments = segmentsOf(ids[i]!);
      expect(segments.every((s) => !s.open)).toBe(true);
      for (const segment of segments) expectSegmentMatchesFile(segment, c.codec);
    });
  }, 120_000);
});

describe('a camera failing', () => {
  it('killed mid-recording leaves a gap in the index, and recording resumes when a camera is back on its port', async () => {
    const { admin } = await recorderWithAdmin();
    const first = await camera({ codec: 'h264', transport: 'tcp' });
    const id = await addCamera(admin, first, { transport: 'tcp' });
    await until(() => framesOf(id) >= 2 * FPS, '2 s of video');

    await first.kill();
    await until(() => segmentsOf(id).every((s) => !s.open), 'the segment to close when the camera died');
    const beforeRestart = segmentsOf(id);
    cameras.push(await startGstCamera({ codec: 'h264', transport: 'tcp', port: Number(new URL(first.url).port) }));
    await until(() => segmentsOf(id).length > beforeRestart.length && segmentsOf(id).at(-1)!.frames >= FPS, 'recording to resume', 60_000);

    const [lost, resumed] = [beforeRestart.at(-1)!, segmentsOf(id).at(-1)!];
    expect(resumed.startMs).toBeGreaterThan(lost.endMs); // the gap: nothing recorded while the camera was gone
    await daemon!.stop();
    for (const segment of segmentsOf(id)) expectSegmentMatchesFile(segment, 'h264');
  }, 120_000);

  it('frozen is noticed within the freeze window, and recording resumes after it thaws', async () => {
    const { admin } = await recorderWithAdmin();
    const gst = await camera({ codec: 'h264', transport: 'tcp' });
    const id = await addCamera(admin, gst, { transport: 'tcp' });
    await until(() => framesOf(id) >= 2 * FPS, '2 s of video');
    const state = async () => ((await admin.get(`/api/v1/cameras/${id}`)).body as { status: { state: string } }).status.state;
    expect(await state()).toBe('online');

    gst.freeze();
    let seen = 'online';
    // The supervisor's real timers: silent for 6 s, checked every half second. The wait below is only a bound.
    const deadline = Date.now() + 30_000;
    while (seen === 'online' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      seen = await state();
    }
    expect(['offline', 'connecting']).toContain(seen);
    // The gap ends the open segment; its row is closed once the writer has synced.
    await until(() => segmentsOf(id).every((s) => !s.open), 'the segment to close at the freeze');
    const frozenSegments = segmentsOf(id);

    gst.thaw();
    await until(() => segmentsOf(id).length > frozenSegments.length && segmentsOf(id).at(-1)!.frames >= FPS, 'recording to resume after the thaw', 60_000);
    const resumed = segmentsOf(id).at(-1)!;
    expect(resumed.startMs).toBeGreaterThan(frozenSegments.at(-1)!.endMs);
  }, 120_000);
});

describe('the recorder killed with SIGKILL mid-segment', () => {
  it('check --repair fixes the index, a second check finds nothing, and every segment decodes', async () => {
    const { dir: data, admin } = await recorderWithAdmin();
    const gst = await camera({ codec: 'h264', transport: 'tcp' });
    const id = await addCamera(admin, gst, { transport: 'tcp' });
    // More than the 3 s sync interval, so the open row already describes some of the file.
    await until(() => segmentsOf(id).some((s) => s.open && s.frames >= 3 * FPS), 'an open segment with 3 s of video', 60_000);
    await daemon!.stop('SIGKILL');

    const repair = runVigil(['recorder', 'check', '--data', data.dataDir, '--repair']);
    expect(repair.status, repair.stdout + repair.stderr).toBe(0);
    expect(repair.stdout).toMatch(/repaired .*left open by a writer that stopped/); // the segment the kill cut short
    const again = runVigil(['recorder', 'check', '--data', data.dataDir]);
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('Index and footage agree.');

    const segments = segmentsOf(id);
    expect(segments.length).toBeGreaterThan(0);
    expect(segments.every((s) => !s.open)).toBe(true);
    const files = readdirSync(join(data.dataDir, 'footage'), { recursive: true }).filter((f) => String(f).endsWith('.mp4'));
    expect(files).toHaveLength(segments.length);
    for (const segment of segments) expectSegmentMatchesFile(segment, 'h264');
  }, 120_000);
});
