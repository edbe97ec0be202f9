// npm run bench -- record [--cameras N] [--seconds S]: what recording N cameras costs Vigil, against
// three baselines on the same cameras in the same run (bench/record-baselines.ts): one
// `ffmpeg -c copy` per camera (the usual way to record RTSP without transcoding), one GStreamer
// process recording them all (rtspsrc → splitmuxsink), and the floor of a Node process (the RTSP
// handshake, then socket.pipe(file) per camera).
// The simulated cameras run in their own process (`vigil simcam --source clip`, 1280x720, 25 fps,
// ~2 Mbit/s); the recorder is a real daemon (`vigil recorder`), the cameras added through its API.
// Each recorder in turn records all N for S seconds after a warm-up, alone on the cameras. Per
// stream: CPU % (utime+stime from /proc over the window) and memory (PSS from
// /proc/PID/smaps_rollup); frames lost (expected from the camera's rate over what was recorded vs
// frames in Vigil's index / in the baselines' files, counted by ffprobe).
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecordingsStore, type Recording } from '../src/recorder/db/recordings-store.js';
import { openDatabase } from '../src/recorder/db/store.js';
import { dataPaths } from '../src/recorder/device/data-dir.js';
import { readBoxHeader } from '../src/media/mp4/box.js';
import { addCameras, type Session, sleep, startRecorder, startVigil, stopProcess } from './daemons.js';
import { percentile } from './percentile.js';
import { cpuSeconds, pssMiB } from './process-stats.js';
import { cameraBenchOptions } from './options.js';
import { type Baseline, ffmpegPerCamera, gstreamerForAll, nodeFloor, type Recorded } from './record-baselines.js';

const FPS = 25;
const MAX_CAMERAS = 256;
/** Unmeasured time after every stream has started: connections, first keyframes, JIT. */
const WARM_UP_MS = 5_000;

const PLAYBACK_REQUESTS = 50;

/**
 * Playback start: from the request to the first whole fragment received (moof + mdat: a frame a
 * player can show), at random times of random cameras, while every camera is still recording.
 * The footage was just written, so it comes from the page cache: a warm-cache figure.
 */
async function playbackStartMs(url: string, session: Session): Promise<number[]> {
  const get = async <T>(path: string) => (await (await fetch(url + path, { headers: { cookie: session.cookie } })).json()) as T;
  const cameras = (await get<{ cameras: { id: number }[] }>('/api/v1/cameras')).cameras;
  const now = Date.now();
  const times: number[] = [];
  for (let i = 0; i < PLAYBACK_REQUESTS; i++) {
    const camera = cameras[Math.floor(Math.random() * cameras.length)]!;
    const { ranges } = await get<{ ranges: { start: string; end: string }[] }>(`/api/v1/cameras/${camera.id}/recordings?from=${now - 3_600_000}&to=${now}`);
    const range = ranges.at(-1);
    if (!range) continue;
    const start = Date.parse(range.start);
    const from = start + Math.floor(Math.random() * Math.max(1, Date.parse(range.end) - start - 1000));
    const began = performance.now();
    if (await firstFragmentArrives(`${url}/api/v1/cameras/${camera.id}/playback?from=${from}&to=${from + 60_000}`, session)) times.push(performance.now() - began);
  }
  return times;
}

/** Reads a playback stream until its first moof + mdat are whole; false if it ends first. */
async function firstFragmentArrives(url: string, session: Session): Promise<boolean> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { cookie: session.cookie }, signal: abort.signal });
  if (response.status !== 200) throw new Error(`playback answered ${response.status}: ${await response.text()}`);
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return false;
      chunks.push(value);
      if (topBoxTypes(Buffer.concat(chunks)).includes('mdat')) return true;
    }
  } finally {
    abort.abort();
  }
}

/** The types of the whole top-level boxes at the start of an MP4 byte stream. */
function topBoxTypes(bytes: Buffer): string[] {
  const types: string[] = [];
  for (let at = 0; ; ) {
    const header = readBoxHeader(bytes, at);
    if (!header || at + header.size > bytes.length) return types;
    types.push(header.type);
    at += header.size;
  }
}

interface Window {
  cpuPercent: number;
  meanPssMiB: number;
}

/** CPU and mean PSS of some processes over `seconds`, sampled once a second. */
async function measure(pids: readonly number[], seconds: number): Promise<Window> {
  const total = (f: (pid: number) => number) => pids.reduce((sum, pid) => sum + f(pid), 0);
  const cpuBefore = total(cpuSeconds);
  const started = performance.now();
  let pssSum = 0;
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    pssSum += total(pssMiB);
  }
  const elapsed = (performance.now() - started) / 1000;
  return { cpuPercent: ((total(cpuSeconds) - cpuBefore) / elapsed) * 100, meanPssMiB: pssSum / seconds };
}

function framesLostPercent(recorded: readonly Recorded[]): number {
  const expected = recorded.reduce((sum, r) => sum + Math.round(r.spanSeconds * FPS), 0);
  const got = recorded.reduce((sum, r) => sum + r.frames, 0);
  return expected === 0 ? 100 : (Math.max(0, expected - got) / expected) * 100;
}

/** Per camera, from Vigil's index: frames, and the span from the first segment's start to the last one's end. */
function recordedByVigil(dataDir: string): Recorded[] {
  const db = openDatabase(dataPaths(dataDir).database);
  try {
    const byCamera = new Map<number, Recording[]>();
    for (const r of createRecordingsStore(db).listAll()) byCamera.set(r.cameraId, [...(byCamera.get(r.cameraId) ?? []), r]);
    return [...byCamera.values()].map((segments) => ({
      frames: segments.reduce((sum, s) => sum + s.frames, 0),
      spanSeconds: (segments.at(-1)!.endMs - segments[0]!.startMs) / 1000,
    }));
  } finally {
    db.close();
  }
}

const BASELINES: readonly Baseline[] = [ffmpegPerCamera, gstreamerForAll, nodeFloor];

interface Measured {
  name: string;
  window: Window;
  /** Undefined for a recorder whose files are not counted in frames (the Node floor). */
  recorded: Recorded[] | undefined;
}

/** A baseline records the cameras alone, in a directory of its own under `root`. */
async function measureBaseline(baseline: Baseline, cameraUrls: readonly string[], root: string, seconds: number, children: ChildProcess[]): Promise<Measured> {
  const dir = join(root, baseline.name.toLowerCase().replace(/\W+/g, '-'));
  mkdirSync(dir);
  const running = await baseline.start(cameraUrls, dir);
  children.push(...running.children);
  await sleep(WARM_UP_MS);
  const window = await measure(running.pids, seconds);
  return { name: baseline.name, window, recorded: await running.stop() };
}

function printTable(cameras: number, seconds: number, all: readonly Measured[], idlePssMiB: number): void {
  const [vigil] = all;
  const perStream = (v: number) => v / cameras;
  const row = (label: string, values: readonly string[]) => console.log(label.padEnd(36) + values.map((v) => v.padStart(12)).join(''));
  console.log('');
  row(`${cameras} cameras, ${seconds} s`, all.map((m) => m.name));
  row('CPU per stream (% of one core)', all.map((m) => perStream(m.window.cpuPercent).toFixed(2)));
  row('PSS per stream (MiB, total / N)', all.map((m) => perStream(m.window.meanPssMiB).toFixed(2)));
  row('frames lost (%)', all.map((m) => (m.recorded ? framesLostPercent(m.recorded).toFixed(2) : '-')));
  row('streams with recordings', all.map((m) => (m.recorded ? String(m.recorded.filter((r) => r.frames > 0).length) : '-')));
  console.log('');
  const others = all.slice(1);
  row("Vigil's ratio to each", others.map((m) => m.name));
  row('CPU per stream', others.map((m) => (vigil!.window.cpuPercent / m.window.cpuPercent).toFixed(2)));
  row('PSS per stream', others.map((m) => (vigil!.window.meanPssMiB / m.window.meanPssMiB).toFixed(2)));
  row('PSS per stream above idle', others.map((m) => ((vigil!.window.meanPssMiB - idlePssMiB) / m.window.meanPssMiB).toFixed(2)));
  console.log('');
  console.log(`Vigil's PSS when idle (no camera): ${idlePssMiB.toFixed(1)} MiB, in its total above.`);
}

export async function runRecordBenchmark(): Promise<void> {
  const { cameras, seconds } = cameraBenchOptions({ cameras: 16, seconds: 60 }, MAX_CAMERAS);
  const root = mkdtempSync(join(tmpdir(), 'vigil-bench-record-'));
  const dataDir = join(root, 'data');
  const children: ChildProcess[] = [];
  try {
    console.log(`Starting ${cameras} simulated cameras (1280x720, ${FPS} fps, 2 Mbit/s, clip source) in their own process...`);
    const simcam = await startVigil(
      ['simcam', '--listen', '127.0.0.1:0', '--cameras', String(cameras), '--source', 'clip', '--size', '1280x720', '--fps', String(FPS), '--bitrate', '2M'],
      /is ready at (rtsp:\/\/\S+)/,
      cameras,
    );
    children.push(simcam.child);
    const cameraUrls = simcam.matches;

    const { labelCode, recorder } = await startRecorder(dataDir);
    children.push(recorder.child);
    const recorderPid = recorder.child.pid!;
    await sleep(2000);
    const idlePssMiB = pssMiB(recorderPid);

    const setupStarted = performance.now();
    const session = await addCameras(recorder.matches[0]!, labelCode, cameraUrls);
    console.log(`${cameras} cameras added through the API in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s.`);
    console.log(`Vigil records ${cameras} cameras for ${seconds} s (after ${WARM_UP_MS / 1000} s of warm-up)...`);
    await sleep(WARM_UP_MS);
    const vigilWindow = await measure([recorderPid], seconds);
    console.log(`Playback start: ${PLAYBACK_REQUESTS} requests at random times of random cameras, while they record...`);
    const playback = await playbackStartMs(recorder.matches[0]!, session);
    const stopStarted = performance.now();
    await stopProcess(recorder.child, 'SIGTERM'); // open segments are closed, the index is final
    const stopSeconds = (performance.now() - stopStarted) / 1000;
    const measured: Measured[] = [{ name: 'Vigil', window: vigilWindow, recorded: recordedByVigil(dataDir) }];

    for (const baseline of BASELINES) {
      console.log(`${baseline.name} records the same cameras for ${seconds} s...`);
      measured.push(await measureBaseline(baseline, cameraUrls, root, seconds, children));
    }

    printTable(cameras, seconds, measured, idlePssMiB);
    const ms = (p: number) => `${percentile(playback, p).toFixed(1)} ms`;
    console.log(`Playback start (request to first whole fragment, warm cache, ${playback.length} requests): p50 ${ms(50)}, p95 ${ms(95)}, max ${ms(100)}`);
    console.log(`Vigil stopped ${stopSeconds.toFixed(2)} s after SIGTERM (segments closed and indexed).`);
  } finally {
    await Promise.all(children.map((child) => stopProcess(child, 'SIGKILL')));
    rmSync(root, { recursive: true, force: true });
  }
}
