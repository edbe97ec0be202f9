// Drops grouped into episodes: the recording sinks with a real writer, real files and audit log, a
// disk the test stalls, and a manual clock moved with the frames.
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateAuditKey } from '../../../../src/recorder/audit/audit-key.js';
import { createAuditLog, type AuditLog } from '../../../../src/recorder/audit/audit-log.js';
import type { Frame } from '../../../../src/media/codec/annex-b.js';
import type { FrameSink } from '../../../../src/recorder/media/cameras/camera-supervisor.js';
import { RecordingSinks } from '../../../../src/recorder/media/recording/recording-sinks.js';
import { createLogger } from '../../../../src/shared/logger.js';
import { clipFrames, decodeErrors, parameterSetsOf, SMALL_CLIP } from '../../../helpers/clips.js';
import { recordingFixture } from './recording-fixture.js';
import { StallingDisk } from './stalling-disk.js';

let clip: Frame[];
beforeAll(async () => {
  clip = await clipFrames('h264', SMALL_CLIP);
});

let f: ReturnType<typeof recordingFixture>;
let disk: StallingDisk;
let audit: AuditLog;
let sinks: RecordingSinks;
let sink: FrameSink;
let sent = 0;
beforeEach(() => {
  f = recordingFixture();
  disk = new StallingDisk();
  audit = createAuditLog(f.db, loadOrCreateAuditKey(join(f.root, 'audit.key')), f.clock);
  const logger = createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });
  // A small bound, so a couple of seconds of this small clip overflow it.
  sinks = new RecordingSinks({ footageDir: f.paths.footage, store: f.store, clock: f.clock, logger, audit, fs: disk, backlogPolicy: { maxBytes: 30_000, quietAfterMs: 60_000 } });
  sink = sinks.sinkFor(7);
  sent = 0;
});
afterEach(() => {
  disk.resume();
  f.cleanup();
});

/** Hands `count` frames to the sink, 40 ms apart on the clock, as a camera would: without waiting. */
function play(count: number): void {
  const params = parameterSetsOf('h264', clip);
  for (let i = 0; i < count; i++, sent++) {
    f.clock.advance(0.04);
    const { nalus, keyframe } = clip[sent % clip.length]!;
    sink.onFrame({ codec: 'h264', nalus, keyframe, pts90k: sent * 3600, receivedAt: f.clock.now() }, params);
  }
}

/** As play, on a disk that keeps up: each frame once the disk has written what came before. */
async function playOnHealthyDisk(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    play(1);
    await disk.idle();
  }
}

/** A burst of drops on a stalled disk, then the disk back and recording resumed. */
async function dropBurst(): Promise<void> {
  disk.stall();
  play(50);
  expect(sinks.lossOf(7).droppingSince).not.toBeNull();
  disk.resume();
  await disk.idle();
  // Dropped up to the next keyframe (one a second in this clip).
  await playOnHealthyDisk(25);
  expect(sinks.lossOf(7).droppingSince).toBeNull();
}

const entries = () => audit.query({ type: 'recordings.frames_dropped' }).map((e) => JSON.parse(e.details!) as { frames: number; bytes: number });

describe('loss episodes', () => {
  it('drops within a minute of each other are one audit entry, written once a minute passes without a drop', async () => {
    await dropBurst();
    await playOnHealthyDisk(250); // 10 s
    await dropBurst();
    expect(entries()).toEqual([]); // the episode goes on
    const lost = sinks.lossOf(7);
    await playOnHealthyDisk(60 * 25);
    expect(entries()).toEqual([{ cameraId: 7, frames: lost.droppedFrames, bytes: lost.droppedBytes, from: expect.any(String), to: new Date(lost.lastDropAt!).toISOString() }]);

    // A later burst is a new episode, ended by the camera's recording stopping.
    await dropBurst();
    sink.onGap('stopped');
    await sinks.closeAll();
    const all = entries();
    expect(all).toHaveLength(2);
    expect(all[0]!.frames + all[1]!.frames).toBe(sinks.lossOf(7).droppedFrames);

    // Every segment, cut at each drop, starts at a keyframe and decodes.
    const rows = f.store.listAll();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.reduce((sum, r) => sum + r.frames, 0) + sinks.lossOf(7).droppedFrames).toBe(sent);
    for (const row of rows) expect(decodeErrors(f.file(row.path))).toBe('');
  }, 60_000);
});
