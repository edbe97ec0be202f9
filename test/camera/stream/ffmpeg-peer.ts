import { type ChildProcess, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';

/** Runs ffmpeg or ffprobe to its end. */
export function run(command: 'ffmpeg' | 'ffprobe', args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...(command === 'ffmpeg' ? ['-nostdin'] : []), '-hide_banner', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** ffprobe's view of the stream at `url`: codec and size, or its error. */
export async function probe(url: string, transport: 'tcp' | 'udp'): Promise<{ ok: boolean; codec?: string; width?: number; height?: number; stderr: string }> {
  const result = await run('ffprobe', [
    '-v', 'error', '-rtsp_transport', transport, '-select_streams', 'v',
    '-show_entries', 'stream=codec_name,width,height', '-of', 'json', url,
  ]);
  if (result.code !== 0) return { ok: false, stderr: result.stderr };
  const stream = (JSON.parse(result.stdout) as { streams: Array<{ codec_name: string; width: number; height: number }> }).streams[0];
  return { ok: true, codec: stream?.codec_name, width: stream?.width, height: stream?.height, stderr: result.stderr };
}

/** The benchmark's baseline recorder: `ffmpeg -rtsp_transport T -timeout 3000000 -i URL -c copy`, for `seconds` or until it stops. */
export function recordArgs(url: string, transport: 'tcp' | 'udp', file: string, seconds?: number): string[] {
  return ['-v', 'error', '-rtsp_transport', transport, '-timeout', '3000000', '-i', url, ...(seconds ? ['-t', String(seconds)] : []), '-c', 'copy', '-y', file];
}

export function record(url: string, transport: 'tcp' | 'udp', file: string, seconds: number) {
  return run('ffmpeg', recordArgs(url, transport, file, seconds));
}

/** An ffmpeg recording that runs until it is stopped or the stream ends. */
export function startRecording(url: string, transport: 'tcp' | 'udp', file: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn('ffmpeg', ['-nostdin', ...recordArgs(url, transport, file)], { stdio: 'ignore' });
  return { child, exited: new Promise((resolve) => child.once('close', resolve)) };
}

/** Decodes the whole file: the frame count and whatever the decoder complained about. */
export async function decode(file: string): Promise<{ frames: number; errors: string }> {
  const decoded = await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']);
  const counted = await run('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]);
  return { frames: Number(counted.stdout.trim()), errors: (decoded.stderr + counted.stderr).trim() };
}

/** One frame's region as 8-bit grey pixels. */
export async function greyCrop(file: string, atSeconds: number, box: { x: number; y: number; width: number; height: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', [
      '-nostdin', '-v', 'error', '-ss', String(atSeconds), '-i', file, '-frames:v', '1',
      '-vf', `crop=${box.width}:${box.height}:${box.x}:${box.y},format=gray`, '-f', 'rawvideo', '-',
    ], { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`ffmpeg exited with ${code}`))));
  });
}

/** Polls until the condition holds; the test's own timeout bounds the wait. */
export async function waitUntil(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** How many bytes a recording has written so far (0 before it exists). */
export function fileSize(file: string): Promise<number> {
  return stat(file).then((s) => s.size, () => 0);
}
