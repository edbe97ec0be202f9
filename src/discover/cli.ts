import { isIPv4 } from 'node:net';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEVICE_TYPES, type DeviceType } from '../discovery/protocol.js';
import { openTerminal } from '../shared/terminal.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ResetGrant } from '../recorder/api/recovery.js';
import type { Terminal } from '../shared/terminal.js';
import { activateFound, activationRefusal, deviceClient, trustedDevice, trustRefusal } from './activate.js';
import { deviceView, type FoundDevice } from '../discovery/found-devices.js';
import { saveResetRequest, sendResetResponse } from './vendor-reset.js';
import { deviceTable, progressLine } from './device-table.js';
import { DeviceUnreachableError, type PinnedClient } from './pinned-https.js';
import { ScanError, scanLan } from '../discovery/scan.js';

function timeout(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0.5 || n > 60) throw new InvalidArgumentError('expected seconds from 0.5 to 60');
  return n * 1000;
}

function ipv4(value: string): string {
  if (!isIPv4(value)) throw new InvalidArgumentError('expected an IPv4 address of this computer, such as 192.168.1.10');
  return value;
}

const timeoutOption = () => new Option('--timeout <seconds>', 'how long to listen for answers').default(3000, '3').argParser(timeout);
const interfaceOption = () => new Option('--interface <address>', "this computer's IPv4 address on the LAN to search (default: the route to the group)").argParser(ipv4);

/** Redraws the table in place on a terminal: up over what was drawn last, then clear below. */
function liveTable(out: NodeJS.WriteStream) {
  let drawn = 0;
  return (lines: string[]) => {
    if (drawn > 0) out.write(`\x1b[${drawn}F\x1b[J`);
    out.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
}

async function scanOrExit(program: Command, options: Parameters<typeof scanLan>[0]) {
  try {
    return await scanLan(options);
  } catch (error) {
    if (error instanceof ScanError) program.error(error.message, { exitCode: 2 });
    throw error;
  }
}

/** What the tool borrows from the recovery wizard (given by src/cli.ts: a part does not import another's internals). */
export interface RecoverySteps {
  /** The wizard's last step: a new password for the account a grant names; returns the exit code. */
  chooseNewPassword(terminal: Terminal, client: PinnedClient, grant: ResetGrant): Promise<number>;
}

export function registerDiscoverCommands(program: Command, steps: RecoverySteps): void {
  const discover = program.command('discover').description('find the Vigil recorders and cameras on this LAN, and activate new ones');

  discover
    .command('scan', { isDefault: true })
    .description('list the devices that answer on this LAN, each answer checked against its device key (the default)')
    .option('--json', 'print one JSON array for scripts, when the time is up')
    .addOption(new Option('--type <type>', 'only this kind of device').choices([...DEVICE_TYPES]))
    .option('--inactive', 'only devices not activated yet')
    .addOption(timeoutOption())
    .addOption(interfaceOption())
    .action(async (opts: { json?: boolean; type?: DeviceType; inactive?: boolean; timeout: number; interface?: string }) => {
      const filter = { type: opts.type, inactiveOnly: Boolean(opts.inactive) };
      const live = !opts.json && process.stdout.isTTY ? liveTable(process.stdout) : undefined;
      const found = await scanOrExit(program, {
        timeoutMs: opts.timeout,
        interfaceAddress: opts.interface,
        onProgress: live && ((f, elapsed) => live([progressLine(f.list(filter).length, elapsed, opts.timeout, false), ...deviceTable(f.list(filter))])),
      });
      const devices = found.list(filter);
      if (opts.json) {
        console.log(JSON.stringify(devices.map(deviceView), null, 2));
      } else if (live) {
        live([progressLine(devices.length, opts.timeout, opts.timeout, true), ...deviceTable(devices)]);
      } else {
        console.log([progressLine(devices.length, opts.timeout, opts.timeout, true), ...deviceTable(devices)].join('\n'));
      }
    });

  /**
   * The action of a command about one device: scans, then hands the trusted device with the
   * serial (the command's first argument) to `run` with the command, to read its own arguments
   * and options from; exit code 1 with the reason when there is no such device.
   */
  const withDevice =
    (refuse: typeof trustRefusal, run: (device: FoundDevice, command: Command) => Promise<number>) =>
    async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const serial = command.processedArgs[0] as string;
      const opts = command.opts<{ timeout: number; interface?: string }>();
      const found = await scanOrExit(program, { timeoutMs: opts.timeout, interfaceAddress: opts.interface });
      const candidates = found.list().filter((d) => d.answer.serial === serial);
      const refusal = refuse(serial, candidates);
      if (refusal) {
        console.error(refusal);
        process.exitCode = 1;
        return;
      }
      try {
        process.exitCode = await run(trustedDevice(candidates)!, command);
      } catch (error) {
        if (!(error instanceof DeviceUnreachableError)) throw error;
        console.error(error.message);
        process.exitCode = 1;
      }
    };

  /** Runs a conversation at the terminal, closed after. */
  const talking = async (conversation: (terminal: Terminal) => Promise<number>) => {
    const terminal = openTerminal();
    try {
      return await conversation(terminal);
    } finally {
      terminal.close();
    }
  };

  discover
    .command('activate')
    .description('set the admin password of a new device found on this LAN: asks for its label code, over its HTTPS API pinned by its signed answer')
    .argument('<serial>', "the serial number on the device's label")
    .addOption(timeoutOption())
    .addOption(interfaceOption())
    .action(withDevice(activationRefusal, (device) => talking((terminal) => activateFound(terminal, device))));

  discover
    .command('reset-request')
    .description("locked out? Ask the device for a reset request signed by its key, to send to the vendor's support (vigil support sign)")
    .argument('<serial>', "the serial number on the device's label")
    .requiredOption('--out <file>', 'where to write the request (an existing file is never replaced)')
    .option('--user <name>', 'the admin account to reset', 'admin')
    .addOption(timeoutOption())
    .addOption(interfaceOption())
    .action(
      withDevice(trustRefusal, async (device, command) => {
        const opts = command.opts<{ out: string; user: string }>();
        const saved = await saveResetRequest(deviceClient(device), opts.user, resolve(opts.out));
        (saved.ok ? console.log : console.error)(saved.message);
        return saved.ok ? 0 : 1;
      }),
    );

  discover
    .command('reset-response')
    .description("give the device support's signed response to a reset request, then choose the account's new password")
    .argument('<serial>', "the serial number on the device's label")
    .argument('<file>', "the response file from the vendor's support")
    .addOption(timeoutOption())
    .addOption(interfaceOption())
    .action(
      withDevice(trustRefusal, async (device, command) => {
        const file = command.processedArgs[1] as string;
        let text: string;
        try {
          text = readFileSync(resolve(file), 'utf8');
        } catch {
          console.error(`Cannot read ${resolve(file)}: check the path of the response file from support.`);
          return 1;
        }
        const client = deviceClient(device);
        const verdict = await sendResetResponse(client, text);
        if ('refusal' in verdict) {
          console.error(verdict.refusal);
          return 1;
        }
        return talking((terminal) => steps.chooseNewPassword(terminal, client, verdict.grant));
      }),
    );
}
