// The recorders Vigil is measured against in `npm run bench -- record`, on the same cameras in the
// same run: one ffmpeg per camera (the usual way), one GStreamer process recording them all
// (rtspsrc → splitmuxsink, GStreamer's own segmenting recorder) and the floor of a Node process
// (bench/node-floor.ts: bytes piped to a file, parsed by nobody).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../src/shared/package-info.js';
import { stopProcess } from './daemons.js';

/** What one camera's recording holds. */
export interface Recorded {
  frames: number;
  /** Seconds from the first recorded frame to the last, over which the camera sent its frame rate. */
  spanSeconds: number;
}

export interface RunningBaseline {
  /** The processes whose CPU and memory are measured. */
  pids: number[];
  /** Stops the recording cleanly (files finished) and reads what it holds, per camera; undefined when it is not counted in frames. */
  stop(): Promise<Recorded[] | undefined>;
  children: ChildProcess[];
}

export interface Baseline {
  name: string;
  /** Starts recording every camera into `dir` (empty, its own). */
  start(cameraUrls: readonly string[], dir: string): Promise<RunningBaseline>;
}

/** Frames (packets: one a frame, counted without decoding) and the time they span, by ffprobe. */
function probeRecorded(file: string): Recorded {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets,duration', '-of', 'json', file], {
    encoding: 'utf8',
  });
  const stream = (JSON.parse(probe.stdout || '{}') as { streams?: { nb_read_packets?: string; duration?: string }[] }).streams?.[0];
  return { frames: Number(stream?.nb_read_packets ?? 0), spanSeconds: Number(stream?.duration ?? 0) };
}

export const ffmpegPerCamera: Baseline = {
  name: 'ffmpeg',
  async start(cameraUrls, dir) {
    const files = cameraUrls.map((_, i) => join(dir, `cam${i + 1}.mp4`));
    const children = cameraUrls.map((url, i) =>
      spawn('ffmpeg', ['-nostdin', '-v', 'error', '-rtsp_transport', 'tcp', '-timeout', '3000000', '-i', url, '-c', 'copy', '-f', 'mp4', files[i]!], { stdio: 'ignore' }),
    );
    return {
      pids: children.map((c) => c.pid!),
      children,
      async stop() {
        // SIGINT: ffmpeg finishes the file (writes its moov) and exits.
        await Promise.all(children.map((c) => stopProcess(c, 'SIGINT')));
        return files.map(probeRecorded);
      },
    };
  },
};

/** splitmuxsink's segment length, as Vigil's: about a minute. */
const GST_SEGMENT_NS = 60_000_000_000;

export const gstreamerForAll: Baseline = {
  name: 'GStreamer',
  async start(cameraUrls, dir) {
    // One pipeline, one branch a camera; latency=0: over TCP the jitter buffer has nothing to reorder.
    const branches = cameraUrls.flatMap((url, i) =>
      `rtspsrc location=${url} protocols=tcp latency=0 ! rtph264depay ! h264parse ! splitmuxsink location=${join(dir, `cam${i + 1}-%05d.mp4`)} max-size-time=${GST_SEGMENT_NS}`.split(' '),
    );
    // -e: SIGINT sends end-of-stream down every branch, so each file is finished before the exit.
    const child = spawn('gst-launch-1.0', ['-q', '-e', ...branches], { stdio: 'ignore' });
    return {
      pids: [child.pid!],
      children: [child],
      async stop() {
        await stopProcess(child, 'SIGINT');
        const files = readdirSync(dir);
        return cameraUrls.map((_, i) => {
          const segments = files.filter((f) => f.startsWith(`cam${i + 1}-`)).map((f) => probeRecorded(join(dir, f)));
          return { frames: segments.reduce((sum, s) => sum + s.frames, 0), spanSeconds: segments.reduce((sum, s) => sum + s.spanSeconds, 0) };
        });
      },
    };
  },
};

export const nodeFloor: Baseline = {
  name: 'Node floor',
  async start(cameraUrls, dir) {
    const child = spawn(process.execPath, [join(packageRoot(), 'dist', 'bench', 'node-floor.js'), dir, ...cameraUrls], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const line = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        child.once('close', (code) => reject(new Error(`the Node floor exited with ${code}`)));
        lines.on('line', (l) => {
          const match = pattern.exec(l);
          if (match) resolve(match);
        });
      });
    await line(/^ready$/);
    return {
      pids: [child.pid!],
      children: [child],
      async stop() {
        const written = line(/^bytes (\d+)$/);
        await stopProcess(child, 'SIGINT');
        console.log(`The Node floor wrote ${(Number((await written)[1]) / 2 ** 20).toFixed(1)} MiB (RTP as received, not counted in frames).`);
        return undefined;
      },
    };
  },
};
