import { spawn } from 'node:child_process';

/** A picture that has not come back by then is not coming (ffmpeg stuck or the machine overloaded). */
const SNAPSHOT_TIMEOUT_MS = 10_000;

/**
 * One JPEG from an init segment and a keyframe's fragment: a short ffmpeg child decodes the one
 * frame. Costs a process start and one decode (tens of milliseconds of a core at 720p, more at
 * 4K), hence the per-user rate limit on the route. ffmpeg is the recorder's only decoder: the
 * recording path never decodes.
 */
export function snapshotJpeg(init: Buffer, keyframeFragment: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'mp4', '-i', 'pipe:0', '-frames:v', '1', '-q:v', '3', '-f', 'mjpeg', 'pipe:1'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), SNAPSHOT_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => undefined); // ffmpeg may stop reading once it has its frame; its exit code tells
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const jpeg = Buffer.concat(out);
      if (code === 0 && jpeg.length > 0) resolve(jpeg);
      else reject(new Error(`ffmpeg could not decode the keyframe (exit ${code}): ${Buffer.concat(err).toString('utf8').slice(0, 500)}`));
    });
    child.stdin.end(Buffer.concat([init, keyframeFragment]));
  });
}
