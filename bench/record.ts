// npm run bench -- record: memory per recorded stream and playback start time.
// Several SegmentWriters in this one process record a real 1080p H.264 clip (ffmpeg's test
// pattern, looped; every frame copied, as fresh network buffers would be) into a temporary data
// directory with a real database, as fast as they can. Reported: peak RSS growth per stream (the
// issue's target: a tenth of ffmpeg's ~53 MB per stream), how many real-time streams that CPU
// time would sustain, and the time to the first init segment + keyframe fragment of playback of
// a random range (target p50 < 300 ms). Run node with --expose-gc for the per-stream figure.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/shared/clock.js';
import { createRecordingsStore } from '../src/recorder/db/recordings-store.js';
import { openDatabase } from '../src/recorder/db/store.js';
import { dataPaths } from '../src/recorder/device/data-dir.js';
import { groupFrames, splitAnnexB } from '../src/recorder/media/codec/annex-b.js';
import { inBandParameterSets } from '../src/recorder/media/codec/track-config.js';
import { playbackStream } from '../src/recorder/media/recording/playback.js';
import { SegmentWriter } from '../src/recorder/media/recording/segment-writer.js';

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const STREAMS = setting('BENCH_RECORD_STREAMS', 4);
const MEDIA_SECONDS = setting('BENCH_RECORD_SECONDS', 70);
const PLAYBACK_TRIES = setting('BENCH_RECORD_PLAYBACKS', 50);
const FPS = 25;
const FFMPEG_RSS_MIB = 53;

export async function runRecordBenchmark(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'vigil-bench-record-'));
  try {
    const clipFile = join(root, 'clip.h264');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=${FPS}`, '-t', '4', '-pix_fmt', 'yuv420p',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '0', '-g', String(2 * FPS), '-b:v', '4M', '-f', 'h264', clipFile]);
    const frames = groupFrames('h264', splitAnnexB(readFileSync(clipFile)));
    const params = inBandParameterSets('h264', frames[0]!.nalus)!;
    const paths = dataPaths(root);
    const db = openDatabase(paths.database);
    const store = createRecordingsStore(db);
    const writers = Array.from({ length: STREAMS }, (_, i) => new SegmentWriter({ cameraId: i + 1, footageDir: paths.footage, store, clock: systemClock }));

    const baselineRss = process.memoryUsage().rss;
    let peakRss = baselineRss;
    const cpuBefore = process.cpuUsage();
    const start = Date.now();
    for (let i = 0; i < MEDIA_SECONDS * FPS; i++) {
      const frame = frames[i % frames.length]!;
      for (const writer of writers) {
        const nalus = frame.nalus.map((n) => Buffer.from(n));
        await writer.push({ codec: 'h264', nalus, keyframe: frame.keyframe, pts90k: i * 3600, receivedAt: start + i * 40 }, params);
      }
      if (i % FPS === 0) {
        // Fed faster than real time, garbage piles up faster than a camera would make it: collect
        // once per media second (when node runs with --expose-gc), as the idle time between a
        // camera's frames would allow.
        globalThis.gc?.();
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
    }
    for (const writer of writers) await writer.close();
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;

    const startsMs: number[] = [];
    for (let t = 0; t < PLAYBACK_TRIES; t++) {
      const from = start + Math.floor(((t * 7919) % (MEDIA_SECONDS * 1000 - 10_000)));
      const began = performance.now();
      const stream = playbackStream(paths.footage, store.listForCamera(1 + (t % STREAMS), from, from + 10_000), from, from + 10_000)!;
      const iterator = stream.chunks[Symbol.asyncIterator]();
      await iterator.next(); // init segment
      await iterator.next(); // keyframe fragment
      startsMs.push(performance.now() - began);
      await iterator.return?.();
    }
    startsMs.sort((a, b) => a - b);
    db.close();

    const perStreamMiB = (peakRss - baselineRss) / 2 ** 20 / STREAMS;
    console.log(JSON.stringify({
      streams: STREAMS,
      mediaSecondsPerStream: MEDIA_SECONDS,
      peakRssGrowthPerStreamMiB: Number(perStreamMiB.toFixed(2)),
      targetPerStreamMiB: FFMPEG_RSS_MIB / 10,
      cpuSeconds: Number(cpuSeconds.toFixed(2)),
      realTimeStreamsPerCore: Number(((STREAMS * MEDIA_SECONDS) / cpuSeconds).toFixed(1)),
      playbackStartMs: { p50: Number(startsMs[Math.floor(startsMs.length / 2)]!.toFixed(2)), max: Number(startsMs.at(-1)!.toFixed(2)) },
    }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
