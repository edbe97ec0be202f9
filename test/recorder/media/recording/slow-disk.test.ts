// A disk that falls behind a camera, against a real recorder: the camera is an in-process stream
// of real H.264 frames the test pushes (a camera does not wait for a disk), the segment writers
// write to the real disk through a switch that stalls it. What the recorder holds in memory is
// what it was given less what reached the disk and what it says it dropped.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '../../../../src/media/codec/annex-b.js';
import type { CameraConnect } from '../../../../src/recorder/media/cameras/connect.js';
import { BACKLOG_POLICY } from '../../../../src/recorder/media/recording/backlog-policy.js';
import { scanSegment } from '../../../../src/recorder/media/recording/segment-file.js';
import type { ParameterSets, RtspSource } from '../../../../src/media/types.js';
import { activate, loggedInAdmin, type ApiClient } from '../../../helpers/client.js';
import { InProcessStream } from '../../../helpers/in-process-camera.js';
import { settle } from '../../../helpers/manual-timers.js';
import { startTestRecorder, type TestRecorder } from '../../../helpers/recorder.js';
import { until } from '../../../helpers/until.js';
import { clipFrames, decodeErrors, HD_CLIP, parameterSetsOf, probeVideo } from '../../../helpers/clips.js';
import { StallingDisk } from './stalling-disk.js';

const FRAME_MS = 40; // 25 fps

/** A stream whose parameter sets are the clip's (keyframes after the first carry none in-band). */
class ClipStream extends InProcessStream {
  constructor(
    source: RtspSource,
    private readonly params: ParameterSets,
  ) {
    super('h264', source);
  }
  override parameterSets(): ParameterSets {
    return this.params;
  }
}

/** A camera that loops a real clip, frame by frame as the test pushes them, on a continuous 90 kHz clock. */
class ClipCamera {
  readonly streams: ClipStream[] = [];
  #sent = 0;
  /** Frames and bytes pushed into the latest stream. */
  frames = 0;
  bytes = 0;

  constructor(
    private readonly clip: readonly Frame[],
    private readonly clock: () => number,
  ) {}

  readonly connect: CameraConnect = async (source) => {
    const stream = new ClipStream(source, parameterSetsOf('h264', this.clip));
    this.streams.push(stream);
    this.frames = this.bytes = 0;
    this.#sent = 0;
    // Enough for a probe to measure (2 s of presentation time) without waiting.
    for (let i = 0; i < 60; i++) this.#push(stream);
    return stream;
  };

  push(): void {
    this.#push(this.streams.at(-1)!);
  }

  #push(stream: ClipStream): void {
    const frame = this.clip[this.#sent % this.clip.length]!;
    stream.push({ codec: 'h264', nalus: frame.nalus, keyframe: frame.keyframe, pts90k: this.#sent * 3600, receivedAt: this.clock() });
    this.#sent++;
    this.frames++;
    this.bytes += frame.nalus.reduce((sum, n) => sum + n.length, 0);
  }
}

let clip: Frame[];
beforeAll(async () => {
  clip = await clipFrames('h264', HD_CLIP); // 1280x720, 2 s, a keyframe a second
});

describe('a disk slower than the camera', () => {
  let rec: TestRecorder | undefined;
  const disk = new StallingDisk();
  afterAll(async () => {
    disk.resume(); // a failed test must not leave the recorder's close waiting on a stalled disk
    await rec?.close();
  });

  it('holds a bounded backlog, drops frames up to a keyframe, resumes with whole segments, and reports the loss', async () => {
    const camera = new ClipCamera(clip, () => rec!.clock.now());
    rec = await startTestRecorder({ cameraConnect: camera.connect, footageFs: disk });
    await activate(rec);
    const admin = await loggedInAdmin(rec);
    // Added disabled, so the probe's connection is over before the recording's opens.
    const added = await admin.post('/api/v1/cameras', { name: 'Gate', url: 'rtsp://gate.cam/stream', enabled: false });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const id: number = added.body.camera.id;
    expect((await admin.request('PATCH', `/api/v1/cameras/${id}`, { enabled: true })).status).toBe(200);
    await until(() => camera.streams.length === 2, 'the recording to connect');

    const status = async () => (await admin.get(`/api/v1/cameras/${id}`)).body.status;
    const segments = () => rec!.running.ctx.recordings.listAll().filter((r) => r.cameraId === id);
    /** Pushes `count` frames 40 ms apart, letting the recorder take each batch. */
    const play = async (count: number) => {
      for (let i = 0; i < count; i++) {
        rec!.clock.advance(FRAME_MS / 1000);
        camera.push();
        if (i % 5 === 4) await settle();
      }
      await settle();
    };

    // A healthy disk: nothing dropped.
    await play(40);
    await until(() => segments().length === 1, 'the first segment');
    expect((await status()).recording).toEqual({ droppedFrames: 0, droppedBytes: 0, droppingSince: null, lastDropAt: null });

    // The disk stops answering for 25 s of video (about 8 MiB): the recorder may hold the bound,
    // plus the fragment being written and the one being filled (a second each).
    disk.stall();
    const secondOfVideo = clip.reduce((sum, f) => sum + f.nalus.reduce((s, n) => s + n.length, 0), 0) / 2;
    const heldBound = BACKLOG_POLICY.maxBytes + 2 * secondOfVideo;
    let mostHeld = 0;
    for (let second = 0; second < 25; second++) {
      await play(25);
      const { recording } = await status();
      mostHeld = Math.max(mostHeld, camera.bytes - disk.writtenBytes - (recording?.droppedBytes ?? 0));
    }
    expect(mostHeld).toBeLessThanOrEqual(heldBound);
    const stalled = (await status()).recording;
    expect(stalled.droppedFrames).toBeGreaterThan(25 * 10); // what did not fit in the bound
    expect(stalled.droppingSince).not.toBeNull();

    // The disk comes back: once it has caught up, recording resumes at the next keyframe.
    disk.resume();
    await until(
      async () => {
        await play(1);
        return (await status()).recording.droppingSince === null;
      },
      'recording to resume',
      30_000,
      { everyMs: 10 },
    );
    await play(75);
    const { recording: after } = await status();
    expect(after.droppingSince).toBeNull();

    // Stopping the camera ends the episode: one audit entry with its counts, and the log says so.
    expect((await admin.request('PATCH', `/api/v1/cameras/${id}`, { enabled: false })).status).toBe(200);
    const entries = await until(() => {
      const found = rec!.running.ctx.audit.query({ type: 'recordings.frames_dropped' });
      return found.length > 0 && found;
    }, 'the audit entry of the episode');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ outcome: 'failure', target: `camera:${id}` });
    expect(JSON.parse(entries[0]!.details!)).toMatchObject({ cameraId: id, frames: after.droppedFrames, bytes: after.droppedBytes, to: after.lastDropAt });
    expect(rec.logs.join('')).toContain('"event":"recording_frames_dropped"');

    // Every frame given was recorded or counted as dropped; the drop is a gap between segments,
    // and every segment starts with a keyframe and decodes cleanly.
    await rec.running.ctx.recording.closeAll(); // resolves once every write queued before it is done
    const rows = segments();
    expect(rows.reduce((sum, r) => sum + r.frames, 0) + after.droppedFrames).toBe(camera.frames);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const resumed = rows.at(-1)!;
    expect(resumed.startMs).toBeGreaterThan(rows.at(-2)!.endMs);
    for (const row of rows) {
      const file = join(rec.running.ctx.dataPaths.footage, row.path);
      const scan = await scanSegment(file);
      expect(scan.fragments[0]!.samples[0]!.keyframe).toBe(true);
      expect(Number(probeVideo(file).nb_read_frames)).toBe(row.frames);
      expect(decodeErrors(file)).toBe('');
    }
    expect(resumed.frames).toBeGreaterThanOrEqual(75);
  }, 120_000);
});
