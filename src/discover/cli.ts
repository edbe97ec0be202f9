import { isIPv4 } from 'node:net';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEVICE_TYPES, type DeviceType } from '../discovery/protocol.js';
import { openTerminal } from '../shared/terminal.js';
import { activateFound, activationRefusal } from './activate.js';
import { deviceJson, deviceTable, progressLine } from './device-table.js';
import { DeviceUnreachableError } from './pinned-https.js';
import { ScanError, scanLan } from './scan.js';

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

export function registerDiscoverCommands(program: Command): void {
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
        console.log(JSON.stringify(devices.map(deviceJson), null, 2));
      } else if (live) {
        live([progressLine(devices.length, opts.timeout, opts.timeout, true), ...deviceTable(devices)]);
      } else {
        console.log([progressLine(devices.length, opts.timeout, opts.timeout, true), ...deviceTable(devices)].join('\n'));
      }
    });

  discover
    .command('activate')
    .description('set the admin password of a new device found on this LAN: asks for its label code, over its HTTPS API pinned by its signed answer')
    .argument('<serial>', 'the serial number on the device\'s label')
    .addOption(timeoutOption())
    .addOption(interfaceOption())
    .action(async (serial: string, opts: { timeout: number; interface?: string }) => {
      const found = await scanOrExit(program, { timeoutMs: opts.timeout, interfaceAddress: opts.interface });
      const candidates = found.list().filter((d) => d.answer.serial === serial);
      const refusal = activationRefusal(serial, candidates);
      if (refusal) {
        console.error(refusal);
        process.exitCode = 1;
        return;
      }
      const terminal = openTerminal();
      try {
        process.exitCode = await activateFound(terminal, candidates[0]!);
      } catch (error) {
        if (!(error instanceof DeviceUnreachableError)) throw error;
        console.error(error.message);
        process.exitCode = 1;
      } finally {
        terminal.close();
      }
    });
}
