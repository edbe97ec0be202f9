import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { CLI } from '../../helpers/cli.js';
import { probe } from './ffmpeg-peer.js';

/** The children a process has now (from /proc, so no ps parsing). */
function childrenOf(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text ? text.split(' ').map(Number) : [];
}

it('vigil simcam prints a ready line per camera, serves them, and stops its ffmpeg on SIGTERM', async () => {
  const child = spawn(process.execPath, [CLI, 'simcam', '--listen', '127.0.0.1:0', '--cameras', '2', '--size', '320x240', '--codec', 'h265'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  try {
    const urls = await new Promise<string[]>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => {
        out += text;
        const found = [...out.matchAll(/^Simulated camera cam\d is ready at (rtsp:\/\/\S+)$/gm)].map((match) => match[1]!);
        if (found.length === 2) resolve(found);
      });
      child.once('close', (code) => reject(new Error(`vigil simcam exited with ${code}: ${out}`)));
    });
    expect(urls[1]).toMatch(/^rtsp:\/\/127\.0\.0\.1:\d+\/cam2$/);
    const seen = await probe(urls[1]!, 'tcp');
    expect(seen, seen.stderr).toMatchObject({ ok: true, codec: 'hevc', width: 320, height: 240 });
    const encoders = childrenOf(child.pid!);
    expect(encoders).toHaveLength(1);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(() => process.kill(encoders[0]!, 0)).toThrow(); // the encoder is gone too
  } finally {
    child.kill('SIGKILL');
  }
});
