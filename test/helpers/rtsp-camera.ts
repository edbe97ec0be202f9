// A real RTSP camera for tests: GStreamer's RTSP server (test/fixtures/rtsp-camera.py) replaying a
// test clip in a loop on 127.0.0.1. Freeze it (SIGSTOP) or kill it to play a camera failing.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { VideoCodec } from '../../src/media/types.js';
import { testClip } from './clips.js';

export interface GstCameraOptions {
  codec: VideoCodec;
  /** Which RTP transports the camera offers; both by default. */
  transport?: 'tcp' | 'udp' | 'both';
  auth?: { method: 'basic' | 'digest'; username: string; password: string };
  /** Seconds without a request after which the camera drops a session (GStreamer's default 60). */
  sessionTimeoutSeconds?: number;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** An MP4 clip of that codec; the standard test clip by default. */
  clip?: string;
}

/** An RTCP packet a client sent the camera, as GStreamer's own RTCP parser (GstRtp) read it. */
export interface GstRtcpReport {
  /** gst_rtcp_buffer_validate: a well-formed compound packet that starts with an SR or RR. */
  valid: boolean;
  packets: Array<
    | { type: 'RR'; ssrc: number; blocks: Array<{ ssrc: number; fractionLost: number; cumulativeLost: number; extendedHighestSequence: number; jitter: number; lsr: number; dlsr: number }> }
    | { type: 'SDES'; ssrc: number }
    | { type: number }
  >;
  /** What the camera sends when the report arrives: its SSRC, and the sequence number of its latest RTP packet. */
  camera: { ssrc: number; seqnum: number };
}

export interface GstCamera {
  /** rtsp://127.0.0.1:PORT/cam (without credentials). */
  url: string;
  pid: number;
  /** The methods of the OPTIONS, GET_PARAMETER and TEARDOWN requests the camera got, in order. */
  requests: string[];
  /** Resolves once the camera has got a request with this method (at once if it already has). */
  requested(method: 'OPTIONS' | 'GET_PARAMETER' | 'TEARDOWN'): Promise<void>;
  /** Resolves with the first RTCP packet from a client that `matches` (any, by default). */
  receivedRtcp(matches?: (report: GstRtcpReport) => boolean): Promise<GstRtcpReport>;
  /** Ends the camera (SIGTERM, SIGKILL if it lingers) and waits for it to exit. */
  stop(): Promise<void>;
  /** SIGSTOP: the camera keeps its connections open but sends nothing, like a hung camera. */
  freeze(): void;
  thaw(): void;
  /** SIGKILL: the camera dies at once, its connections reset. */
  kill(): Promise<void>;
}

// Debian's python has the GStreamer bindings; a pyenv python3 on PATH does not.
const SYSTEM_PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../fixtures/rtsp-camera.py', import.meta.url));
const START_TIMEOUT_MS = 30_000;

export async function startGstCamera(options: GstCameraOptions): Promise<GstCamera> {
  const clip = options.clip ?? (await testClip(options.codec));
  const args = [SCRIPT, '--clip', clip, '--codec', options.codec, '--port', String(options.port ?? 0), '--transport', options.transport ?? 'both'];
  if (options.sessionTimeoutSeconds !== undefined) args.push('--session-timeout', String(options.sessionTimeoutSeconds));
  if (options.auth) args.push('--auth', options.auth.method, '--user', options.auth.username, '--password', options.auth.password);
  const child = spawn(SYSTEM_PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const requests: string[] = [];
  const waiting: Array<{ method: string; resolve(): void }> = [];
  const rtcp: GstRtcpReport[] = [];
  const waitingForRtcp: Array<{ matches(report: GstRtcpReport): boolean; resolve(report: GstRtcpReport): void }> = [];
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(`did not get ready within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    function fail(why: string): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`The GStreamer test camera ${why}: ${stderr.trim()}`));
    }
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const lines = stdout.split('\n');
      stdout = lines.pop()!;
      for (const line of lines) {
        const ready = /^READY (\S+)$/.exec(line);
        if (ready) {
          clearTimeout(timer);
          resolve(ready[1]!);
        }
        if (line.startsWith('RTCP ')) {
          const report = JSON.parse(line.slice(5)) as GstRtcpReport;
          rtcp.push(report);
          for (const waiter of waitingForRtcp.filter((w) => w.matches(report))) waitingForRtcp.splice(waitingForRtcp.indexOf(waiter), 1)[0]!.resolve(report);
        }
        const request = /^REQUEST (\S+)$/.exec(line);
        if (request) {
          requests.push(request[1]!);
          for (const waiter of waiting.filter((w) => w.method === request[1])) waiting.splice(waiting.indexOf(waiter), 1)[0]!.resolve();
        }
      }
    });
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code})`));
  });

  const signal = (name: NodeJS.Signals): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
  };
  return {
    url,
    pid: child.pid!,
    requests,
    receivedRtcp: (matches = () => true) => {
      const seen = rtcp.find(matches);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waitingForRtcp.push({ matches, resolve }));
    },
    requested: (method) => (requests.includes(method) ? Promise.resolve() : new Promise((resolve) => waiting.push({ method, resolve }))),
    async stop() {
      signal('SIGCONT'); // a frozen process only acts on SIGTERM once it runs again
      signal('SIGTERM');
      const lingering = setTimeout(() => signal('SIGKILL'), 3000);
      await exited;
      clearTimeout(lingering);
    },
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
    async kill() {
      signal('SIGKILL');
      await exited;
    },
  };
}
