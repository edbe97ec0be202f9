/**
 * `vigil discover activate SERIAL`: sets the first admin password of a device found on the LAN,
 * over its HTTPS API pinned by its signed answer. The label code and the password are typed at
 * hidden prompts and travel only inside that pinned connection, never over UDP.
 */
import { networkInterfaces } from 'node:os';
import { evaluatePassword } from '../identity/passwords/policy.js';
import { FIRST_ADMIN_USERNAME, type Activated } from '../recorder/api/activation.js';
import type { Terminal } from '../shared/terminal.js';
import { contactAddress, type FoundDevice } from '../discovery/found-devices.js';
import { loopbackClient, pinnedClient, type DeviceAnswer, type PinnedClient } from './pinned-https.js';

/** Pure: the device to send secrets to among the answers for one serial: the one signed by its key, unless another key also signs for that serial. */
export function trustedDevice(candidates: readonly FoundDevice[]): FoundDevice | undefined {
  const signed = candidates.filter((d) => d.status === 'verified' || d.status === 'serial_conflict');
  return signed.length === 1 && signed[0]!.status === 'verified' ? signed[0] : undefined;
}

/**
 * Pure: why the answers for `serial` hold no device to send secrets to, or undefined when they do.
 * A forged answer beside a signed one does not stop the tool: it cannot pass for the signed one.
 */
export function trustRefusal(serial: string, candidates: readonly FoundDevice[]): string | undefined {
  if (candidates.length === 0) return `No device with serial ${serial} answered. Check the serial on its label, and that it is on this LAN.`;
  const device = trustedDevice(candidates);
  if (!device) return `No trustworthy answer for serial ${serial} (forged, or two keys claim it): not sending anything to any of them.`;
  if (!apiReach(device, thisMachine())) return `${serial} does not serve its API over HTTPS on the LAN: use its web page.`;
  return undefined;
}

/** The IPv4 and IPv6 addresses of this machine's interfaces. */
function thisMachine(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .map((nic) => nic!.address);
}

const isLoopback = (address: string) => address === '::1' || /^127\./.test(address);

/**
 * Pure: how to reach a device's API: over HTTPS pinned by its signed answer; or, for a device that
 * answered from this machine and serves only on its loopback (the demo recorder of `npm start`),
 * in plain HTTP that never leaves the machine; undefined when neither.
 */
export function apiReach(
  device: FoundDevice,
  localAddresses: readonly string[],
): { tls: true; host: string; port: number; tlsFingerprint: string } | { tls: false; host: string; port: number } | undefined {
  const host = contactAddress(device) ?? device.from;
  const { https, http } = device.answer.ports;
  if (https && device.answer.tlsFingerprint) return { tls: true, host, port: https, tlsFingerprint: device.answer.tlsFingerprint };
  if (http && isLoopback(host) && localAddresses.includes(device.from)) return { tls: false, host, port: http };
  return undefined;
}

/** Pure: why this device cannot be activated from here, or undefined when it can. */
export function activationRefusal(serial: string, candidates: readonly FoundDevice[]): string | undefined {
  const refusal = trustRefusal(serial, candidates);
  if (refusal || !trustedDevice(candidates)!.answer.activated) return refusal;
  return `${serial} is activated already: log in at its web page, or recover access with vigil discover reset-request.`;
}

/** Where to reach a trusted device's API (trustRefusal said it can be). */
export function deviceClient(device: FoundDevice): PinnedClient {
  const reach = apiReach(device, thisMachine())!;
  return reach.tls ? pinnedClient(reach) : loopbackClient(reach);
}

/** Asks for a password until one passes the policy and is typed the same twice. */
async function askNewPassword(terminal: Terminal, device: FoundDevice): Promise<string> {
  for (;;) {
    const password = await terminal.askSecret(`New password for ${FIRST_ADMIN_USERNAME}`);
    const verdict = await evaluatePassword(password, { username: FIRST_ADMIN_USERNAME, serial: device.answer.serial, model: device.answer.model });
    if (!verdict.accepted) {
      terminal.say(`That password is refused: ${verdict.reasons.map((r) => r.message).join('; ')}.`);
      continue;
    }
    if ((await terminal.askSecret('The same password again')) === password) return password;
    terminal.say('The two passwords differ. Again, please.');
  }
}

/**
 * A camera's refusals of `POST /vigil/activate` (docs/camera.md), which name a reason where a
 * recorder's API gives its own words.
 */
const CAMERA_REFUSALS: Record<string, string> = {
  wrong_label_code: "That label code is not right. Check the label on the camera.",
  throttled: 'The camera refuses more label codes for now, after too many wrong ones.',
  weak_password: "The camera's password policy refused that password",
  already_active: 'The camera is activated already.',
};

/** The device's own words for a refusal (a camera's by its reason), with how long to wait when it says so. */
export function refusalText(answer: DeviceAnswer): string {
  const error = answer.body.error as { message?: unknown } | undefined;
  const reason = typeof answer.body.reason === 'string' ? CAMERA_REFUSALS[answer.body.reason] : undefined;
  const problems = Array.isArray(answer.body.problems) ? `: ${answer.body.problems.join('; ')}.` : '';
  const message = typeof error?.message === 'string' ? error.message : reason ? `${reason}${problems}` : `The device answered with HTTP ${answer.status}.`;
  return answer.retryAfter !== null ? `${message} (wait ${answer.retryAfter} s)` : message;
}

/** Where each kind of device takes its first admin password over its API, and the status that says it did. */
const ACTIVATION: Record<FoundDevice['answer']['type'], { path: string; done: number }> = {
  recorder: { path: '/api/v1/activate', done: 201 },
  camera: { path: '/vigil/activate', done: 200 },
};

/** The conversation; returns the exit code. */
export async function activateFound(terminal: Terminal, device: FoundDevice): Promise<number> {
  const client = deviceClient(device);
  terminal.say(`Activating ${device.answer.model} ${device.answer.serial} at ${client.url} (key ${device.answer.keyFingerprint}).`);
  const labelCode = await terminal.askSecret("The label code on the device's sticker");
  const password = await askNewPassword(terminal, device);
  const activation = ACTIVATION[device.answer.type];
  const answer = await client.post(activation.path, { labelCode, password });
  if (answer.status === activation.done) {
    terminal.say(`Activated. Log in as ${(answer.body as Partial<Activated>).username ?? FIRST_ADMIN_USERNAME} at ${client.url}`);
    return 0;
  }
  terminal.say(refusalText(answer));
  return 1;
}
