import { resolve } from 'node:path';
import { request } from 'node:http';
import { type Command, Option } from 'commander';
import { PasswordHasher } from '../identity/passwords/hash.js';
import { listenAddress, wholeNumber } from '../shared/cli-arguments.js';
import { systemClock } from '../shared/clock.js';
import { type ListenAddress, parseListenAddress } from '../shared/listen-address.js';
import { createLogger } from '../shared/logger.js';
import type { VideoCodec } from '../media/types.js';
import { cameraPaths } from './device/data-dir.js';
import { DEFAULT_CAMERA_MODEL, isCameraDataDir, manufactureCamera } from './device/manufacture.js';
import type { ButtonOutcome, ButtonRequest } from './reset-button.js';
import { bitrate, formatListenAddress, frameSize } from './stream/cli.js';
import type { SourceKind } from './stream/simulated-cameras.js';
import { simulateMotion } from './simulated-motion.js';
import { startVigilCamera } from './vigil-camera.js';

const dataOption = () => new Option('--data <dir>', 'data directory of the camera').env('VIGIL_CAMERA_DATA').default('./camera-data');

interface RunOptions {
  data: string;
  listen: ListenAddress;
  httpsPort: number;
  rtspListen: ListenAddress;
  source: SourceKind;
  codec: VideoCodec;
  size: { width: number; height: number };
  fps: number;
  bitrate: number;
  discovery: boolean;
  motionEvery?: number;
}

/** Presses the button of the camera running on `dataDir`, through its local socket. */
function pressButton(dataDir: string, body: ButtonRequest): Promise<ButtonOutcome> {
  return new Promise((done, fail) => {
    const req = request({ socketPath: cameraPaths(dataDir).buttonSocket, path: '/button', method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(JSON.parse(text) as ButtonOutcome));
    });
    req.on('error', fail);
    req.end(JSON.stringify(body));
  });
}

/** `vigil camera`: the Vigil IP camera (docs/camera.md). */
export function registerCameraCommand(program: Command): void {
  const camera = program.command('camera').description('the Vigil IP camera: RTSP, ONVIF, its own accounts (docs/camera.md)');

  camera
    .command('init')
    .description('"manufacture" a camera: serial, device key, label code; it starts inactive, with no account')
    .addOption(dataOption())
    .addOption(new Option('--model <name>', 'model name').default(DEFAULT_CAMERA_MODEL))
    .option('--json', 'print one JSON object {serial, model, labelCode} for scripts')
    .action(async (opts: { data: string; model: string; json?: boolean }) => {
      const dataDir = resolve(opts.data);
      try {
        const made = await manufactureCamera(dataDir, { model: opts.model, clock: systemClock, hasher: new PasswordHasher() });
        if (opts.json) return console.log(JSON.stringify(made));
        console.log(`Camera created in ${dataDir}\n  Model       ${made.model}\n  Serial      ${made.serial}\n  Label code  ${made.labelCode}`);
        console.log('The label code is shown only this once (it is on the sticker of a real camera): it activates the camera, and resets its admin password with the button.');
      } catch (error) {
        console.error((error as Error).message);
        process.exitCode = 2;
      }
    });

  camera
    .command('run', { isDefault: true })
    .description('run the camera: ONVIF and activation over HTTP, the stream over RTSP (nothing streams until it is activated)')
    .addOption(dataOption())
    .addOption(new Option('--listen <host:port>', 'address of the HTTP service (ONVIF, activation)').default(parseListenAddress('127.0.0.1:8080'), '127.0.0.1:8080').argParser(listenAddress))
    .addOption(
      new Option('--https-port <n>', "port of the same services over HTTPS, on the --listen host, with the camera's own certificate (vigil discover activates over it, pinned); 0: a free one")
        .default(0)
        .argParser(wholeNumber(0, 65535)),
    )
    .addOption(new Option('--rtsp-listen <host:port>', 'address of the RTSP stream').default(parseListenAddress('127.0.0.1:8554'), '127.0.0.1:8554').argParser(listenAddress))
    .addOption(new Option('--source <kind>', 'pattern (live, clock burned in) or clip (encoded once, looped)').choices(['pattern', 'clip']).default('pattern'))
    .addOption(new Option('--codec <codec>', 'video codec').choices(['h264', 'h265']).default('h264'))
    .addOption(new Option('--size <WxH>', 'picture size').default({ width: 1280, height: 720 }, '1280x720').argParser(frameSize))
    .addOption(new Option('--fps <n>', 'frames per second').default(25).argParser(wholeNumber(1, 60)))
    .addOption(new Option('--bitrate <rate>', 'video bitrate').default(2_000_000, '2M').argParser(bitrate))
    .addOption(new Option('--motion-every <seconds>', 'simulated motion: the motion alarm goes on for 5 s every N seconds').argParser(wholeNumber(10, 86_400)))
    .option('--no-discovery', 'answer no discovery probes: neither `vigil discover` (public facts signed by the device key) nor WS-Discovery on 239.255.255.250:3702, and no announcements')
    .action(async (opts: RunOptions) => {
      const dataDir = resolve(opts.data);
      if (!isCameraDataDir(dataDir)) {
        console.error(`${dataDir} holds no camera: make one first with vigil camera init --data ${opts.data}`);
        process.exitCode = 2;
        return;
      }
      try {
        const running = await startVigilCamera({
          dataDir,
          host: opts.listen.host,
          httpPort: opts.listen.port,
          httpsPort: opts.httpsPort,
          rtspPort: opts.rtspListen.port,
          source: opts.source,
          encoding: { codec: opts.codec, ...opts.size, fps: opts.fps, bitrate: opts.bitrate },
          discovery: opts.discovery,
          lanDiscovery: opts.discovery ? {} : false,
          log: createLogger({ destination: process.stderr }),
        });
        const state = running.isActive() ? 'active' : 'inactive: activate it with its label code (POST /vigil/activate)';
        console.log(`Vigil camera ${running.serial} is ready: ONVIF at ${running.httpUrl}/onvif/device_service (and ${running.httpsUrl}), stream at ${running.rtspUrl} (${state})`);
        const stopMotion = opts.motionEvery ? simulateMotion(running, opts.motionEvery) : undefined;
        const stop = () => {
          stopMotion?.();
          void running.stop().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (error) {
        const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
        console.error(inUse ? `${formatListenAddress(opts.listen)} or ${formatListenAddress(opts.rtspListen)} is in use: choose other addresses.` : (error as Error).message);
        process.exitCode = 1;
      }
    });

  camera
    .command('button')
    .description("press the running camera's reset button: short (with the label code) sets a new admin password and keeps the rest; long is a factory reset")
    .addOption(dataOption())
    .addOption(new Option('--press <kind>', 'short or long').choices(['short', 'long']).makeOptionMandatory())
    .addOption(new Option('--label-code <code>', 'the label code (short press)'))
    .addOption(new Option('--password <password>', 'the new admin password (short press)').env('VIGIL_CAMERA_PASSWORD'))
    .action(async (opts: { data: string; press: 'short' | 'long'; labelCode?: string; password?: string }) => {
      if (opts.press === 'short' && (!opts.labelCode || !opts.password)) {
        console.error('A short press needs --label-code and the new password (--password or VIGIL_CAMERA_PASSWORD).');
        process.exitCode = 2;
        return;
      }
      const body: ButtonRequest = opts.press === 'long' ? { press: 'long' } : { press: 'short', labelCode: opts.labelCode!, password: opts.password! };
      try {
        const outcome = await pressButton(resolve(opts.data), body);
        console.log(outcome.ok ? (outcome.press === 'long' ? 'Factory reset: the camera is inactive again.' : 'The admin password is set; everything else is kept.') : `Refused: ${outcome.reason}`);
        if (!outcome.ok) process.exitCode = 1;
      } catch {
        console.error(`No camera is running on ${opts.data}.`);
        process.exitCode = 2;
      }
    });
}
