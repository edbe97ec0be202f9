import { type Command, InvalidArgumentError, Option } from 'commander';
import { listenAddress, wholeNumber } from '../../shared/cli-arguments.js';
import { type ListenAddress, parseListenAddress } from '../../shared/listen-address.js';
import { createLogger } from '../../shared/logger.js';
import type { AuthScheme } from './auth.js';
import { type SimulatedCameras, type SourceKind, startSimulatedCameras } from './simulated-cameras.js';
import type { VideoCodec } from '../../media/types.js';

export function formatListenAddress(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

export function frameSize(value: string): { width: number; height: number } {
  const match = /^(\d{2,4})x(\d{2,4})$/.exec(value);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  // Even sizes: 4:2:0 video has half-resolution colour planes.
  if (!match || width % 2 || height % 2 || width < 64 || height < 64) throw new InvalidArgumentError('expected WIDTHxHEIGHT, even, at least 64x64, such as 1280x720');
  return { width, height };
}

/** `2M`, `1500k` or a plain number of bits per second. */
export function bitrate(value: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(value);
  const unit = { '': 1, k: 1e3, m: 1e6 }[match?.[2]?.toLowerCase() ?? ''] ?? 1;
  const bits = match ? Math.round(Number(match[1]) * unit) : NaN;
  if (!(bits >= 100_000 && bits <= 50_000_000)) throw new InvalidArgumentError('expected 100k to 50M bits per second, such as 2M');
  return bits;
}

interface SimcamOptions {
  listen: ListenAddress;
  cameras: number;
  source: SourceKind;
  codec: VideoCodec;
  size: { width: number; height: number };
  fps: number;
  bitrate: number;
  username?: string;
  password?: string;
  auth: AuthScheme;
}

/** `vigil simcam`: simulated RTSP cameras, for the demo, tests and the benchmark. */
export function registerSimcamCommand(program: Command): void {
  program
    .command('simcam')
    .description('simulated RTSP cameras showing a test pattern, at rtsp://HOST:PORT/cam1 ... /camN')
    .addOption(new Option('--listen <host:port>', 'address to serve RTSP on').default(parseListenAddress('127.0.0.1:8554'), '127.0.0.1:8554').argParser(listenAddress))
    .addOption(new Option('--cameras <n>', 'how many cameras').default(1).argParser(wholeNumber(1, 256)))
    .addOption(new Option('--source <kind>', 'pattern: live, with the wall clock burned in; clip: a clip encoded once and looped (cheap for many streams)').choices(['pattern', 'clip']).default('pattern'))
    .addOption(new Option('--codec <codec>', 'video codec').choices(['h264', 'h265']).default('h264'))
    .addOption(new Option('--size <WxH>', 'picture size').default({ width: 1280, height: 720 }, '1280x720').argParser(frameSize))
    .addOption(new Option('--fps <n>', 'frames per second').default(25).argParser(wholeNumber(1, 60)))
    .addOption(new Option('--bitrate <rate>', 'video bitrate').default(2_000_000, '2M').argParser(bitrate))
    .addOption(new Option('--username <name>', 'require this username (with --password)').env('VIGIL_SIMCAM_USERNAME'))
    .addOption(new Option('--password <password>', 'require this password (with --username)').env('VIGIL_SIMCAM_PASSWORD'))
    .addOption(new Option('--auth <scheme>', 'how the cameras ask for credentials').choices(['digest', 'basic']).default('digest'))
    .action(async (opts: SimcamOptions) => {
      if (Boolean(opts.username) !== Boolean(opts.password)) program.error('--username and --password go together: give both or neither');
      let cameras: SimulatedCameras;
      try {
        cameras = await startSimulatedCameras({
          host: opts.listen.host,
          port: opts.listen.port,
          cameras: opts.cameras,
          source: opts.source,
          encoding: { codec: opts.codec, ...opts.size, fps: opts.fps, bitrate: opts.bitrate },
          username: opts.username,
          password: opts.password,
          authScheme: opts.auth,
          log: createLogger({ destination: process.stderr }),
        });
      } catch (error) {
        const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
        console.error(inUse ? `${formatListenAddress(opts.listen)} is in use: choose another --listen address.` : (error as Error).message);
        process.exitCode = 1;
        return;
      }
      const login = opts.username ? ` (${opts.auth} login as ${opts.username})` : '';
      for (const camera of cameras.cameras) console.log(`Simulated camera ${camera.name} is ready at ${camera.url}${login}`);
      const stop = () => {
        void cameras.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
