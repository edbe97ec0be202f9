/** How found devices are shown: the table of a terminal and the JSON of scripts. Pure. */
import type { DeviceStatus, FoundDevice } from '../discovery/found-devices.js';
import { contactAddress } from '../discovery/found-devices.js';

const STATUS_TEXT: Record<DeviceStatus, string> = {
  verified: 'signed',
  key_mismatch: 'FORGED: key is not the fingerprint it claims',
  bad_signature: 'FORGED: signature does not match its key',
  serial_conflict: 'CONFLICT: another key answers for this serial',
};

function row(device: FoundDevice): string[] {
  const a = device.answer;
  const address = contactAddress(device) ?? device.from;
  const port = a.ports.https ?? a.ports.http;
  const recovery = Object.entries(a.recoveryMethods)
    .filter(([, on]) => on)
    .map(([name]) => name)
    .join(',');
  return [
    a.type,
    a.model,
    a.serial,
    port ? `${address}:${port}` : address,
    a.firmwareVersion,
    a.activated ? 'yes' : 'NO',
    recovery || '-',
    a.cloudBound ? 'yes' : 'no',
    a.keyFingerprint.slice(0, 19),
    STATUS_TEXT[device.status],
  ];
}

const HEADINGS = ['TYPE', 'MODEL', 'SERIAL', 'ADDRESS', 'FIRMWARE', 'ACTIVATED', 'RECOVERY', 'CLOUD', 'KEY', 'ANSWER'];

/** The table, its columns as wide as their widest cell. */
export function deviceTable(devices: readonly FoundDevice[]): string[] {
  const rows = [HEADINGS, ...devices.map(row)];
  const widths = HEADINGS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}

/** The line above the live table: how long, and how many found. */
export function progressLine(count: number, elapsedMs: number, timeoutMs: number, done: boolean): string {
  const found = `${count} device${count === 1 ? '' : 's'} found`;
  if (done) return `${found} in ${timeoutMs / 1000} s.`;
  const width = 20;
  const filled = Math.round((elapsedMs / timeoutMs) * width);
  return `Searching the LAN [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(elapsedMs / 1000).toFixed(1)}/${timeoutMs / 1000} s, ${found}`;
}
