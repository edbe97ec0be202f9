// The options the camera benchmarks share: how many cameras, for how long.
import { parseArgs } from 'node:util';

export interface CameraBenchOptions {
  cameras: number;
  seconds: number;
}

/** `--cameras N --seconds S` from the command line after the benchmark's name, checked. */
export function cameraBenchOptions(defaults: CameraBenchOptions, maxCameras: number): CameraBenchOptions {
  const { values } = parseArgs({
    args: process.argv.slice(3),
    options: { cameras: { type: 'string', default: String(defaults.cameras) }, seconds: { type: 'string', default: String(defaults.seconds) } },
  });
  const cameras = Number(values.cameras);
  const seconds = Number(values.seconds);
  if (!Number.isInteger(cameras) || cameras < 1 || cameras > maxCameras) throw new Error(`--cameras: a whole number from 1 to ${maxCameras}`);
  if (!Number.isInteger(seconds) || seconds < 5) throw new Error('--seconds: a whole number from 5');
  return { cameras, seconds };
}
