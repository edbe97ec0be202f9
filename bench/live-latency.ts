// npm run bench -- live-latency [--cameras N] [--seconds S]: camera-to-screen latency of live view,
// read from the capture time code the simulated camera burns into its picture (src/camera/stream/time-code.ts).
// The cameras run in their own process (`vigil simcam --source pattern`, 1280x720, 25 fps, 2 Mbit/s,
// H.264); the recorder is a real daemon (`vigil recorder`), the cameras added through its API.
// Phase 1: headless Chromium logs in and opens the Live page (all N tiles); for S seconds, every frame
// a tile presents (requestVideoFrameCallback) has its strip read: latency = when the browser expected
// to show it - when it was captured. Phase 2, the baseline: the browser and the recorder stopped, one
// plain low-delay ffmpeg client per camera decodes the RTSP stream for S seconds: latency = decoded -
// captured. The difference is what the recorder and the browser add to the camera's own latency.
// All on this machine's one clock: no skew between capture and display.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timeCodeLayout } from '../src/camera/stream/time-code.js';
import { type WatchedFrame, watchTimeCode } from '../src/camera/stream/time-code-watcher.js';
import { launchBrowser, logIn, newPage } from '../test/helpers/chromium.js';
import { addCameras, PASSWORD, sleep, startRecorder, startVigil, stopProcess } from './daemons.js';
import { collectLatencyProbes, installLatencyProbes, type ProbeSample, waitForPlayingTiles } from './live-latency-probe.js';
import { percentile } from './percentile.js';
import { cameraBenchOptions } from './options.js';

const SIZE = { width: 1280, height: 720 };
const FPS = 25;
const MAX_CAMERAS = 16;
/** Unmeasured time once every tile plays (or every ffmpeg decodes): first keyframes, the live edge settling. */
const WARM_UP_MS = 3_000;

/** What one phase saw, over all cameras. */
interface Measured {
  latenciesMs: number[];
  /** Browser only: video buffered past each frame shown (the player's distance to the live edge). */
  bufferedAheadMs: number[];
  /** Frames whose strip could not be read (the reader's reason), or read as the frame before. */
  misread: number;
  repeated: number;
  frames: number;
}

function summarise(samples: readonly ProbeSample[]): Measured {
  const read = samples.filter((s) => s.latencyMs !== undefined);
  return {
    latenciesMs: read.filter((s) => !s.repeated).map((s) => s.latencyMs!),
    bufferedAheadMs: read.flatMap((s) => (s.bufferedAheadMs === undefined ? [] : [s.bufferedAheadMs])),
    misread: samples.length - read.length,
    repeated: read.filter((s) => s.repeated).length,
    frames: samples.length,
  };
}

/** Phase 1: the Live page in headless Chromium, every tile sampled for `seconds` after the warm-up. */
async function measureBrowser(recorderUrl: string, cameras: number, seconds: number): Promise<{ measured: Measured; presentedNotSampled: number }> {
  const browser = await launchBrowser();
  try {
    const { page } = await newPage(browser, recorderUrl);
    await page.setViewportSize({ width: 1600, height: 900 });
    await page.goto('/');
    await logIn(page, 'admin', PASSWORD);
    await page.getByRole('link', { name: 'Live', exact: true }).click();
    await waitForPlayingTiles(page, cameras);
    const tiles = await installLatencyProbes(page, timeCodeLayout(SIZE.width, SIZE.height));
    if (tiles !== cameras) throw new Error(`the Live page shows ${tiles} tiles, not ${cameras}`);
    await sleep(WARM_UP_MS);
    const from = Date.now();
    const presentedBefore = (await collectLatencyProbes(page)).reduce((sum, p) => sum + p.presentedFrames, 0);
    await sleep(seconds * 1000);
    const probes = await collectLatencyProbes(page);
    const samples = probes.flatMap((p) => p.samples.filter((s) => s.shownAtMs >= from));
    const presented = probes.reduce((sum, p) => sum + p.presentedFrames, 0) - presentedBefore;
    return { measured: summarise(samples), presentedNotSampled: Math.max(0, presented - samples.length) };
  } finally {
    await browser.close();
  }
}

/** Phase 2: one low-delay ffmpeg client per camera, decoding for `seconds` after the warm-up. */
async function measureFfmpeg(cameraUrls: readonly string[], seconds: number): Promise<Measured> {
  const layout = timeCodeLayout(SIZE.width, SIZE.height);
  let from = Number.POSITIVE_INFINITY;
  const frames: WatchedFrame[] = [];
  const watchers = cameraUrls.map((url) =>
    watchTimeCode(url, layout, (frame) => {
      if (frame.decodedAtMs >= from) frames.push(frame);
    }),
  );
  try {
    await sleep(WARM_UP_MS);
    from = Date.now();
    await sleep(seconds * 1000);
  } finally {
    await Promise.all(watchers.map((w) => w.stop()));
  }
  if (frames.length === 0) throw new Error(`the ffmpeg clients decoded nothing: ${watchers.map((w) => w.errorOutput()).join(' / ')}`);
  // Frames from different cameras interleave: a repeat is only meaningful per camera, and ffmpeg never repeats one.
  return summarise(frames.map((f) => (f.reading.ok ? { shownAtMs: f.decodedAtMs, latencyMs: f.decodedAtMs - f.reading.captureMs } : { shownAtMs: f.decodedAtMs, misread: f.reading.reason })));
}

export async function runLiveLatencyBenchmark(): Promise<void> {
  const { cameras, seconds } = cameraBenchOptions({ cameras: 1, seconds: 20 }, MAX_CAMERAS);
  const root = mkdtempSync(join(tmpdir(), 'vigil-bench-live-latency-'));
  const children: ChildProcess[] = [];
  try {
    console.log(`Starting ${cameras} simulated cameras (${SIZE.width}x${SIZE.height}, ${FPS} fps, 2 Mbit/s H.264, live pattern with time code) in their own process...`);
    const simcam = await startVigil(
      ['simcam', '--listen', '127.0.0.1:0', '--cameras', String(cameras), '--source', 'pattern', '--size', `${SIZE.width}x${SIZE.height}`, '--fps', String(FPS), '--bitrate', '2M'],
      /is ready at (rtsp:\/\/\S+)/,
      cameras,
    );
    children.push(simcam.child);
    const cameraUrls = simcam.matches;
    const { labelCode, recorder } = await startRecorder(join(root, 'data'));
    children.push(recorder.child);
    await addCameras(recorder.matches[0]!, labelCode, cameraUrls);

    console.log(`Phase 1: the Live page in headless Chromium, ${cameras} tiles, ${seconds} s (after ${WARM_UP_MS / 1000} s of warm-up)...`);
    const { measured: browser, presentedNotSampled } = await measureBrowser(recorder.matches[0]!, cameras, seconds);
    await stopProcess(recorder.child, 'SIGTERM');

    console.log(`Phase 2: ${cameras} plain ffmpeg clients decode the same cameras directly, ${seconds} s...`);
    const ffmpeg = await measureFfmpeg(cameraUrls, seconds);

    const ms = (values: number[], p: number) => (values.length ? percentile(values, p).toFixed(0) : '-');
    const row = (label: string, a: string, b: string, c: string) => console.log(`${label.padEnd(36)}${a.padStart(18)}${b.padStart(16)}${c.padStart(14)}`);
    console.log('');
    row(`${cameras} cameras, ${seconds} s`, 'Vigil + Chromium', 'ffmpeg direct', 'difference');
    for (const p of [50, 95, 100]) {
      const [a, b] = [ms(browser.latenciesMs, p), ms(ffmpeg.latenciesMs, p)];
      row(p === 100 ? 'max latency (ms)' : `p${p} latency (ms)`, a, b, a === '-' || b === '-' ? '-' : String(Number(a) - Number(b)));
    }
    const ahead = browser.bufferedAheadMs;
    row('buffered past the frame shown (ms)', `p50 ${ms(ahead, 50)}, p95 ${ms(ahead, 95)}`, '-', '-');
    row('frames read', String(browser.latenciesMs.length), String(ffmpeg.latenciesMs.length), '-');
    row('frames misread (strip unreadable)', String(browser.misread), String(ffmpeg.misread), '-');
    row('frames presented again', String(browser.repeated), String(ffmpeg.repeated), '-');
    row('frames expected (cameras x fps x s)', String(cameras * FPS * seconds), String(cameras * FPS * seconds), '-');
    console.log('');
    console.log(`Latency: capture (wall clock stamped in the camera's encoder) to the moment Chromium expected to show the frame,`);
    console.log(`or to ffmpeg's decoded frame reaching this process. "Buffered past the frame shown": video the browser had`);
    console.log(`received but not yet shown (the live player's distance to the newest frame; part of the difference).`);
    console.log(`Frames Chromium presented that the frame callback did not sample: ${presentedNotSampled}; the rest of the`);
    console.log(`frames not read were never presented (dropped by the browser, or not received).`);
  } finally {
    await Promise.all(children.map((child) => stopProcess(child, 'SIGKILL')));
    rmSync(root, { recursive: true, force: true });
  }
}
