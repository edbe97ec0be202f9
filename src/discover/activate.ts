/**
 * `vigil discover activate SERIAL`: sets the first admin password of a device found on the LAN,
 * over its HTTPS API pinned by its signed answer. The label code and the password are typed at
 * hidden prompts and travel only inside that pinned connection, never over UDP.
 */
import { evaluatePassword } from '../identity/passwords/policy.js';
import { FIRST_ADMIN_USERNAME, type Activated } from '../recorder/api/activation.js';
import type { Terminal } from '../shared/terminal.js';
import { contactAddress, type FoundDevice } from './found-devices.js';
import { pinnedJson } from './pinned-https.js';

/** Pure: why this device cannot be activated from here, or undefined when it can. */
export function activationRefusal(serial: string, candidates: readonly FoundDevice[]): string | undefined {
  if (candidates.length === 0) return `No device with serial ${serial} answered. Check the serial on its label, and that it is on this LAN.`;
  if (candidates.some((d) => d.status !== 'verified')) {
    return `The answers for serial ${serial} are not trustworthy (forged, or two keys claim it): not sending the label code to any of them.`;
  }
  const device = candidates[0]!;
  if (device.answer.activated) return `${serial} is activated already: log in at its web page, or recover access with vigil recover.`;
  if (!device.answer.ports.https || !device.answer.tlsFingerprint) return `${serial} does not serve its API over HTTPS on the LAN: activate it at its web page.`;
  return undefined;
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

/** The conversation; returns the exit code. */
export async function activateFound(terminal: Terminal, device: FoundDevice): Promise<number> {
  const host = contactAddress(device) ?? device.from;
  const port = device.answer.ports.https!;
  terminal.say(`Activating ${device.answer.model} ${device.answer.serial} at ${host}:${port} (key ${device.answer.keyFingerprint}).`);
  const labelCode = await terminal.askSecret("The label code on the device's sticker");
  const password = await askNewPassword(terminal, device);
  const answer = await pinnedJson({ host, port, tlsFingerprint: device.answer.tlsFingerprint! }, 'POST', '/api/v1/activate', { labelCode, password });
  if (answer.status === 201) {
    terminal.say(`Activated. Log in as ${(answer.body as Activated).username} at https://${host.includes(':') ? `[${host}]` : host}:${port}`);
    return 0;
  }
  const error = answer.body.error as { message?: unknown } | undefined;
  const message = typeof error?.message === 'string' ? error.message : `The device answered with HTTP ${answer.status}.`;
  terminal.say(answer.retryAfter !== null ? `${message} (wait ${answer.retryAfter} s)` : message);
  return 1;
}
