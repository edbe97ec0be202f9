// npm run bench -- record [--cameras N] [--seconds S]: what recording N cameras costs Vigil, against
// one `ffmpeg -c copy` per camera (the usual way to record RTSP without transcoding), in one run.
// The simulated cameras run in their own process (`vigil simcam --source clip`, 1280x720, 25 fps,
// ~2 Mbit/s); the recorder is a real daemon (`vigil recorder`), the cameras added through its API.
// Phase 1: Vigil records all N for S seconds. Phase 2: N ffmpeg processes record the same cameras
// for S seconds. Per stream: CPU % (utime+stime from /proc over the window) and memory (PSS from
// /proc/PID/smaps_rollup); frames lost (expected from the camera's rate over what was recorded vs
// frames in Vigil's index / in ffmpeg's files, counted by ffprobe).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
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

const FPS = 25;
const MAX_CAMERAS = 64;
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

interface Recorded {
  frames: number;
  /** Seconds from the first recorded frame to the last, over which the camera sent FPS frames a second. */
  spanSeconds: number;
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

/** Frames (packets: one a frame, counted without decoding) and the time they span, by ffprobe. */
function recordedByFfmpeg(file: string): Recorded {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets,duration', '-of', 'json', file], {
    encoding: 'utf8',
  });
  const stream = (JSON.parse(probe.stdout || '{}') as { streams?: { nb_read_packets?: string; duration?: string }[] }).streams?.[0];
  return { frames: Number(stream?.nb_read_packets ?? 0), spanSeconds: Number(stream?.duration ?? 0) };
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

    console.log(`Phase 1: Vigil records ${cameras} cameras for ${seconds} s (after ${WARM_UP_MS / 1000} s of warm-up)...`);
    const session = await addCameras(recorder.matches[0]!, labelCode, cameraUrls);
    await sleep(WARM_UP_MS);
    const vigil = await measure([recorderPid], seconds);
    console.log(`Playback start: ${PLAYBACK_REQUESTS} requests at random times of random cameras, while they record...`);
    const playback = await playbackStartMs(recorder.matches[0]!, session);
    await stopProcess(recorder.child, 'SIGTERM'); // open segments are closed, the index is final
    const vigilRecorded = recordedByVigil(dataDir);

    console.log(`Phase 2: ${cameras} ffmpeg processes record the same cameras for ${seconds} s...`);
    const ffmpegDir = join(root, 'ffmpeg');
    mkdirSync(ffmpegDir);
    const files = cameraUrls.map((_, i) => join(ffmpegDir, `cam${i + 1}.mp4`));
    const ffmpegs = cameraUrls.map((url, i) =>
      spawn('ffmpeg', ['-nostdin', '-v', 'error', '-rtsp_transport', 'tcp', '-timeout', '3000000', '-i', url, '-c', 'copy', '-f', 'mp4', files[i]!], { stdio: 'ignore' }),
    );
    children.push(...ffmpegs);
    await sleep(WARM_UP_MS);
    const ffmpeg = await measure(ffmpegs.map((f) => f.pid!), seconds);
    // SIGINT: ffmpeg finishes the file (writes its moov) and exits.
    await Promise.all(ffmpegs.map((f) => stopProcess(f, 'SIGINT')));
    const ffmpegRecorded = files.map(recordedByFfmpeg);

    const perStream = (v: number) => v / cameras;
    const row = (label: string, a: string, b: string, c: string) => console.log(`${label.padEnd(40)}${a.padStart(12)}${b.padStart(12)}${c.padStart(14)}`);
    console.log('');
    row(`${cameras} cameras, ${seconds} s`, 'Vigil', 'ffmpeg', 'Vigil/ffmpeg');
    row('CPU per stream (% of one core)', perStream(vigil.cpuPercent).toFixed(2), perStream(ffmpeg.cpuPercent).toFixed(2), (vigil.cpuPercent / ffmpeg.cpuPercent).toFixed(2));
    row('PSS per stream (MiB, total / N)', perStream(vigil.meanPssMiB).toFixed(1), perStream(ffmpeg.meanPssMiB).toFixed(1), (vigil.meanPssMiB / ffmpeg.meanPssMiB).toFixed(2));
    row('PSS per stream above idle (MiB)', perStream(vigil.meanPssMiB - idlePssMiB).toFixed(1), '-', ((vigil.meanPssMiB - idlePssMiB) / ffmpeg.meanPssMiB).toFixed(2));
    row('frames lost (%)', framesLostPercent(vigilRecorded).toFixed(2), framesLostPercent(ffmpegRecorded).toFixed(2), '-');
    row('streams with recordings', String(vigilRecorded.length), String(ffmpegRecorded.filter((r) => r.frames > 0).length), '-');
    console.log('');
    console.log(`Vigil's PSS when idle (no camera): ${idlePssMiB.toFixed(1)} MiB, in the total above.`);
    const ms = (p: number) => `${percentile(playback, p).toFixed(1)} ms`;
    console.log(`Playback start (request to first whole fragment, warm cache, ${playback.length} requests): p50 ${ms(50)}, p95 ${ms(95)}, max ${ms(100)}`);
  } finally {
    await Promise.all(children.map((child) => stopProcess(child, 'SIGKILL')));
    rmSync(root, { recursive: true, force: true });
  }
}
