#!/usr/bin/env node
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { systemClock } from './shared/clock.js';
import { cloudUrl, externalUrl, listenAddress, wholeNumber } from './shared/cli-arguments.js';
import { parseListenAddress } from './shared/listen-address.js';
import { parseEd25519PublicKey, publicKeyFingerprint } from './recorder/api/vendor-reset-file.js';
import { vigilVersion } from './shared/package-info.js';
import { refuseUnknownCommand } from './shared/unknown-command.js';
import { DEFAULT_LOCKOUT_POLICY } from './identity/lockout/policy.js';
import { PasswordHasher } from './identity/passwords/hash.js';
import { describeProblem } from './identity/audit/chain.js';
import { DataDirBusyError } from './recorder/device/data-dir-lock.js';
import { AlreadyInitialisedError, DEFAULT_MODEL, isInitialised, manufacture } from './recorder/device/manufacture.js';
import { ButtonUnavailableError, sendButtonPress } from './recorder/device/button-client.js';
import { dataPaths } from './recorder/device/data-dir.js';
import { runRecordingsCheck } from './recorder/media/recording/check-command.js';
import { parseByteSize } from './recorder/media/recording/retention-settings.js';
import type { ButtonPress } from './recorder/recovery/reset-button.js';
import { registerCameraCommand } from './camera/cli.js';
import { registerSimcamCommand } from './camera/stream/cli.js';
import { type RunningDemoCamera, startDemoCamera } from './camera/demo-camera.js';
import { DEMO_CAMERA_NAME } from './recorder/media/cameras/demo-camera.js';
import { createLogger } from './shared/logger.js';
import { registerSupportCommands } from './support/cli.js';
import { registerDiscoverCommands } from './discover/cli.js';
import { registerCloudCommand } from './cloud/cli.js';
import { createRecorderClient, RecorderUnreachableError } from './recover/client.js';
import { chooseNewPassword, runRecovery } from './recover/recover.js';
import { openTerminal } from './shared/terminal.js';

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a whole number of seconds above 0');
  return n;
}

function byteSize(value: string): number {
  try {
    return parseByteSize(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function modelName(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,31}$/.test(value)) {
    throw new InvalidArgumentError('1 to 32 letters, digits, spaces, dots, dashes or underscores');
  }
  return value;
}

const dataOption = () =>
  new Option('--data <dir>', 'data directory of the recorder').env('VIGIL_DATA').default('./data');

const program = new Command('vigil')
  .description('Vigil: an open-source security camera system')
  .version(vigilVersion())
  .showHelpAfterError();

const recorder = program
  .command('recorder')
  .description('the recorder (NVR) daemon and its maintenance commands');

recorder
  .command('run', { isDefault: true })
  .description('run the recorder daemon (the default: `vigil recorder --data DIR --listen HOST:PORT`)')
  .addOption(dataOption())
  .addOption(
    new Option('--listen <host:port>', 'address to serve the API and web UI on; plain HTTP only on loopback, HTTPS elsewhere')
      .env('VIGIL_LISTEN')
      .default(parseListenAddress('127.0.0.1:8080'), '127.0.0.1:8080')
      .argParser(listenAddress),
  )
  .addOption(new Option('--tls-cert <file>', 'TLS certificate (PEM) instead of the self-signed one made at init').env('VIGIL_TLS_CERT'))
  .addOption(new Option('--tls-key <file>', 'private key (PEM) of --tls-cert').env('VIGIL_TLS_KEY'))
  .addOption(
    new Option('--session-idle <seconds>', 'log a session out after this long without a request')
      .env('VIGIL_SESSION_IDLE')
      .default(1800)
      .argParser(seconds),
  )
  .addOption(
    new Option('--session-max <seconds>', 'log a session out this long after login, whatever happens')
      .env('VIGIL_SESSION_MAX')
      .default(43200)
      .argParser(seconds),
  )
  .addOption(
    new Option('--external-url <url>', 'the address people use to reach the recorder (for links in security mails)')
      .env('VIGIL_EXTERNAL_URL')
      .argParser(externalUrl),
  )
  .addOption(
    new Option('--lockout-user-threshold <n>', 'failed logins in a row after which a client is locked out of a user account')
      .env('VIGIL_LOCKOUT_USER_THRESHOLD')
      .default(DEFAULT_LOCKOUT_POLICY.userThreshold)
      .argParser(wholeNumber(1, 1000)),
  )
  .addOption(
    new Option('--lockout-admin-threshold <n>', 'the same for admin accounts (by default the same number: a different one tells which names are admins)')
      .env('VIGIL_LOCKOUT_ADMIN_THRESHOLD')
      .default(DEFAULT_LOCKOUT_POLICY.adminThreshold)
      .argParser(wholeNumber(1, 1000)),
  )
  .addOption(
    new Option('--retention-days <n>', 'delete footage older than this many days (default: keep what fits on the disk)')
      .env('VIGIL_RETENTION_DAYS')
      .argParser(wholeNumber(1, 36500)),
  )
  .addOption(
    new Option('--footage-quota <size>', 'at most this much footage, such as 500M or 50G; the oldest goes first (default: the disk less 5%, at least 1G, kept free)')
      .env('VIGIL_FOOTAGE_QUOTA')
      .argParser(byteSize),
  )
  .addOption(
    new Option('--cloud <url>', 'keep a connection to this Vigil cloud, so its owner can bind the recorder to an account and reset its admin from there')
      .env('VIGIL_CLOUD')
      .argParser(cloudUrl),
  )
  .addOption(new Option('--no-discovery', 'do not answer `vigil discover` on the LAN (it answers with public facts only, signed by the device key)'))
  .addOption(
    new Option('--demo-camera', 'also run a Vigil camera (test pattern with a clock, motion every minute) on loopback, in DATA/demo-camera: the recorder activates it with a password of its own and adds it the first time; what `npm start` does')
      .env('VIGIL_DEMO_CAMERA'),
  )
  .addOption(
    new Option('--demo-camera-port <port>', 'RTSP port of the demo camera, its ONVIF service on the next one; keep it the same from run to run, its address identifies it')
      .env('VIGIL_DEMO_CAMERA_PORT')
      .default(8554)
      .argParser(wholeNumber(1, 65534)),
  )
  .action(async (opts: {
    data: string;
    listen: ReturnType<typeof parseListenAddress>;
    demoCamera?: boolean;
    demoCameraPort: number;
    retentionDays?: number;
    footageQuota?: number;
    tlsCert?: string;
    tlsKey?: string;
    sessionIdle: number;
    sessionMax: number;
    externalUrl?: string;
    lockoutUserThreshold: number;
    lockoutAdminThreshold: number;
    discovery: boolean;
    cloud?: string;
  }) => {
    if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey)) {
      program.error('--tls-cert and --tls-key go together: give both or neither');
    }
    // The demo camera is a peer of the recorder that happens to share its process: the recorder
    // learns its addresses, and on its first run its label code, as an installer would give them.
    let demoCamera: RunningDemoCamera | undefined;
    if (opts.demoCamera && isInitialised(resolve(opts.data))) {
      try {
        demoCamera = await startDemoCamera(join(resolve(opts.data), 'demo-camera'), opts.demoCameraPort, opts.discovery, createLogger({ destination: process.stderr }));
      } catch (error) {
        const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
        program.error(
          inUse
            ? `Port ${opts.demoCameraPort} or ${opts.demoCameraPort + 1} is in use: choose another --demo-camera-port.`
            : `The demo camera cannot start: ${(error as Error).message}`,
        );
      }
    }
    // The daemon (Fastify, SQLite, the media stack) loads only for the commands that run it: every
    // other command starts in a fraction of the time.
    const { startRecorder } = await import('./recorder/daemon.js');
    let running: Awaited<ReturnType<typeof startRecorder>>;
    try {
      running = await startRecorder({
        demoCamera: demoCamera && { rtspUrl: demoCamera.camera.rtspUrl, deviceUrl: demoCamera.deviceUrl, labelCode: demoCamera.labelCode },
        retention: { maxAgeDays: opts.retentionDays, quotaBytes: opts.footageQuota },
        dataDir: resolve(opts.data),
        listen: opts.listen,
        tls: opts.tlsCert && opts.tlsKey ? { certFile: opts.tlsCert, keyFile: opts.tlsKey } : undefined,
        sessionLifetime: { idleSeconds: opts.sessionIdle, absoluteSeconds: opts.sessionMax },
        externalUrl: opts.externalUrl,
        lockoutPolicy: { ...DEFAULT_LOCKOUT_POLICY, userThreshold: opts.lockoutUserThreshold, adminThreshold: opts.lockoutAdminThreshold },
        discovery: opts.discovery ? {} : false,
        cloudUrl: opts.cloud,
      });
    } catch (error) {
      await demoCamera?.stop();
      if (error instanceof DataDirBusyError) program.error(error.message);
      throw error;
    }
    const device = running.ctx.store.getDevice()!;
    console.log(`Vigil recorder ${device.model} ${device.serial} is running at ${running.url}`);
    if (!device.activatedAt) console.log('It is not activated yet: open the URL and enter the label code to set the admin password.');
    if (running.https) console.log('It uses a self-signed certificate unless --tls-cert is given: your browser will ask you to trust it.');
    if (demoCamera) console.log(`The demo camera is served at ${demoCamera.camera.rtspUrl} (ONVIF at ${demoCamera.deviceUrl}) and recorded as "${DEMO_CAMERA_NAME}".`);
    const stop = () => {
      console.log('Stopping the recorder...');
      void running.close().then(() => demoCamera?.stop()).then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

recorder
  .command('init')
  .description('"manufacture" a recorder: serial number, device keys, label code; it starts inactive')
  .addOption(dataOption())
  .addOption(new Option('--model <name>', 'model name').default(DEFAULT_MODEL).argParser(modelName))
  .addOption(
    new Option('--vendor-key <file>', "the vendor's public key (vigil support keygen): lets vendor support reset the admin password").env(
      'VIGIL_VENDOR_KEY',
    ),
  )
  .option('--json', 'print one JSON object {serial, model, labelCode} for scripts')
  .action(async (opts: { data: string; model: string; vendorKey?: string; json?: boolean }) => {
    const dataDir = resolve(opts.data);
    let vendorPublicKey: KeyObject | undefined;
    if (opts.vendorKey) {
      try {
        vendorPublicKey = parseEd25519PublicKey(readFileSync(opts.vendorKey, 'utf8'));
      } catch (error) {
        console.error(`The vendor key ${opts.vendorKey} cannot be used (${(error as Error).message}); nothing was created.`);
        console.error('Give the .pub.pem file that `vigil support keygen` wrote.');
        process.exitCode = 2;
        return;
      }
    }
    try {
      const made = await manufacture(dataDir, { model: opts.model, clock: systemClock, hasher: new PasswordHasher(), vendorPublicKey });
      if (opts.json) {
        console.log(JSON.stringify(made));
        return;
      }
      console.log(`Recorder created in ${dataDir}`);
      console.log(`  Model       ${made.model}`);
      console.log(`  Serial      ${made.serial}`);
      console.log(`  Label code  ${made.labelCode}`);
      if (vendorPublicKey) console.log(`  Vendor key  ${publicKeyFingerprint(vendorPublicKey)}`);
      console.log('The label code is shown only this once and proves you hold the device (it would be on the');
      console.log('sticker of a real recorder). Keep it: you need it to activate, and later to recover access.');
    } catch (error) {
      if (!(error instanceof AlreadyInitialisedError)) throw error;
      console.error(error.message);
      process.exitCode = 2;
    }
  });

recorder
  .command('button')
  .description("press the recorder's reset button (stands in for the board's): short opens a 10-minute window to reset the admin password with the label code; long is a factory reset")
  .addOption(dataOption())
  .addOption(new Option('--press <kind>', 'short or long').choices(['short', 'long']).makeOptionMandatory())
  .action(async (opts: { data: string; press: ButtonPress }) => {
    const dataDir = resolve(opts.data);
    try {
      const answer = await sendButtonPress(dataPaths(dataDir).buttonSocket, opts.press);
      if (!answer.ok) {
        console.error(answer.error);
        process.exitCode = 1;
      } else if (answer.press === 'short') {
        console.log(`Reset window open until ${answer.windowClosesAt}: enter the label code in the recovery wizard ("Forgot password?") to choose a new admin password.`);
      } else {
        console.log('Factory reset done: accounts, configuration, recovery secrets and footage are erased. Activate the recorder again with its label code.');
      }
    } catch (error) {
      if (!(error instanceof ButtonUnavailableError)) throw error;
      if (error.reason === 'permission_denied') {
        console.error(`Permission denied on the button of ${dataDir}: run this as the user the recorder runs as.`);
      } else if (!isInitialised(dataDir)) {
        console.error(`${dataDir} holds no recorder: give the --data directory of the running recorder.`);
      } else {
        console.error(`No recorder is running on ${dataDir}. Start it first: vigil recorder --data ${dataDir}`);
      }
      process.exitCode = 2;
    }
  });

recorder
  .command('check')
  .description('compare the recordings index with the footage files, like fsck; exits 1 if a problem is left unrepaired. Run it while the recorder is stopped')
  .addOption(dataOption())
  .option('--repair', 'fix what can be fixed: truncate torn fragments, rebuild rows of files, remove rows of missing files')
  .action(async (opts: { data: string; repair?: boolean }) => {
    process.exitCode = await runRecordingsCheck(resolve(opts.data), { repair: Boolean(opts.repair) });
  });

const audit = recorder.command('audit').description('the security audit log');
audit
  .command('verify')
  .description('check that no audit entry was edited, removed or reordered; exits 1 if one was')
  .addOption(dataOption())
  .action(async (opts: { data: string }) => {
    const { verifyAuditLog } = await import('./recorder/daemon.js');
    const result = verifyAuditLog(resolve(opts.data));
    if (result.problems.length === 0) {
      console.log(`Audit log intact: ${result.checked} entries, hash chain and head verified.`);
      return;
    }
    console.error(`Audit log TAMPERED: ${result.problems.length} problem(s) in ${result.checked} entries:`);
    for (const problem of result.problems) console.error(`  - ${describeProblem(problem)}`);
    process.exitCode = 1;
  });

program
  .command('recover')
  .description('forgot the admin password? The recovery wizard, in this terminal, for the recorder at --url')
  .addOption(
    new Option('--url <url>', 'the recorder, e.g. https://192.168.1.20:8443 (or http://127.0.0.1:8080 on the recorder itself)')
      .argParser(externalUrl)
      .makeOptionMandatory(),
  )
  .option('--ca <file>', "trust this certificate (PEM) for HTTPS, e.g. a copy of the recorder's tls/cert.pem")
  .action(async (opts: { url: string; ca?: string }) => {
    const terminal = openTerminal();
    try {
      const client = createRecorderClient(opts.url, { ca: opts.ca ? readFileSync(opts.ca, 'utf8') : undefined });
      process.exitCode = await runRecovery(terminal, client);
    } catch (error) {
      if (!(error instanceof RecorderUnreachableError)) throw error;
      console.error(`${error.message} Check the address, and that the recorder is running.`);
      process.exitCode = 1;
    } finally {
      terminal.close();
    }
  });

registerCloudCommand(program);
registerSupportCommands(program);
registerDiscoverCommands(program, { chooseNewPassword });
registerSimcamCommand(program);
registerCameraCommand(program);

refuseUnknownCommand(program, process.argv.slice(2));
await program.parseAsync(process.argv);
