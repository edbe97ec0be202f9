/**
 * The Vigil devices on the recorder's LAN, as `vigil discover` lists them (issue 14): the same scan
 * and the same rules for trusting an answer (src/discovery/), seen from the recorder, for its
 * Cameras page.
 */
import { isIPv4 } from 'node:net';
import { contactAddress, deviceView, type FoundDevice } from '../../discovery/found-devices.js';
import { scanLan } from '../../discovery/scan.js';

/** ONVIF's well-known address of a camera's device service (ONVIF Core, "Device management"). */
const ONVIF_DEVICE_SERVICE_PATH = '/onvif/device_service';

/** How long a scan listens: three probes a second apart, so one lost datagram loses no device. */
export const LAN_SCAN_MS = 3000;

const urlHost = (address: string) => (address.includes(':') ? `[${address}]` : address);

/**
 * Pure: where to act on a device: a recorder's web page, a camera's ONVIF device service (the
 * recorder adds or activates a camera by it). Null for an answer that is not the one signed answer
 * for its serial: no action is offered on a forgery, or beside one of two keys that claim a serial.
 */
export function actionUrl(device: FoundDevice): string | null {
  if (device.status !== 'verified') return null;
  const host = urlHost(contactAddress(device) ?? device.from);
  const { https, http } = device.answer.ports;
  if (device.answer.type === 'camera') return http ? `http://${host}:${http}${ONVIF_DEVICE_SERVICE_PATH}` : null;
  return https ? `https://${host}:${https}/` : http ? `http://${host}:${http}/` : null;
}

/** Pure: where the device says its API answers, as host:port (the address it answered from when it lists it). */
function apiAddress(device: FoundDevice): string {
  const host = contactAddress(device) ?? device.from;
  const port = device.answer.ports.https ?? device.answer.ports.http;
  return port ? `${urlHost(host)}:${port}` : host;
}

/** Pure: a found device as the recorder's API shows it; `ownKeyFingerprint` tells the recorder itself among them. */
export function lanDeviceView(device: FoundDevice, ownKeyFingerprint: string) {
  return {
    ...deviceView(device),
    address: apiAddress(device),
    self: device.status === 'verified' && device.answer.type === 'recorder' && device.answer.keyFingerprint === ownKeyFingerprint,
    url: actionUrl(device),
  };
}

/**
 * Pure: the interface to probe from, for a recorder listening on `host`: that address when it is
 * one IPv4 address of the LAN, else (a wildcard, loopback) the kernel's route to the group.
 */
export function lanInterfaceOf(host: string): string | undefined {
  return isIPv4(host) && host !== '0.0.0.0' && !host.startsWith('127.') ? host : undefined;
}

export interface LanDeviceScanner {
  /** Probes the LAN for LAN_SCAN_MS and returns every device that answered, forgeries flagged. */
  scan(): Promise<FoundDevice[]>;
}

/**
 * Scans on the discovery port the recorder answers on (`port`, moved in tests) and, when it listens
 * on one IPv4 address of the LAN, from that address's interface.
 */
export function lanDeviceScanner(options: { port?: number; interfaceAddress?: string }): LanDeviceScanner {
  return {
    scan: async () => (await scanLan({ timeoutMs: LAN_SCAN_MS, port: options.port, interfaceAddress: options.interfaceAddress })).list(),
  };
}
