// Received frames back into a file ffmpeg and ffprobe can read, to check them with a real decoder.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { AccessUnit, ParameterSets } from '../../src/media/types.js';

const run = promisify(execFile);
const START_CODE = Buffer.from([0, 0, 0, 1]);

/** Writes the frames as an Annex B elementary stream, led by the parameter sets. */
export async function writeAnnexB(path: string, parameterSets: ParameterSets, frames: readonly AccessUnit[]): Promise<void> {
  const leading = [parameterSets.vps, parameterSets.sps, parameterSets.pps].filter((nal): nal is Buffer => nal !== undefined);
  const nalus = [...leading, ...frames.flatMap((frame) => frame.nalus)];
  await writeFile(path, Buffer.concat(nalus.flatMap((nal) => [START_CODE, nal])));
}

export interface DecodeResult {
  /** Frames ffprobe decoded. */
  frames: number;
  /** What ffmpeg reported while decoding the whole file (empty when it decoded cleanly). */
  errors: string;
}

/** Decodes an Annex B file with ffprobe (frame count) and ffmpeg (errors). */
export async function decodeAnnexB(path: string, codec: ParameterSets['codec']): Promise<DecodeResult> {
  const format = codec === 'h264' ? 'h264' : 'hevc';
  const probe = await run('ffprobe', ['-v', 'error', '-f', format, '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', path]);
  const decode = await run('ffmpeg', ['-v', 'error', '-f', format, '-i', path, '-f', 'null', '-']);
  return { frames: Number(probe.stdout.trim()), errors: (probe.stderr + decode.stderr).trim() };
}
