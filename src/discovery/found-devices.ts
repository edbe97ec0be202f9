/**
 * What the asking side (`vigil discover`, a recorder's list of the devices on its LAN) makes of the
 * answers it gets: pure, so every rule about trusting an answer is tested without a network.
 */
import { checkAnswer, type Answer, type DeviceType } from './protocol.js';

/**
 * `verified`: the answer's key signed it and no other key claims its serial. The others are flagged:
 * `key_mismatch` (the fingerprint is not the key's), `bad_signature` (the key did not sign it),
 * `serial_conflict` (two keys answer for one serial: one of them is not that device).
 */
export type DeviceStatus = 'verified' | 'key_mismatch' | 'bad_signature' | 'serial_conflict';

export interface FoundDevice {
  answer: Answer;
  /** The address the answer came from. */
  from: string;
  status: DeviceStatus;
}

/** The answer's own key signed it (whether or not another key also claims the serial). */
function signedByItsKey(status: DeviceStatus): boolean {
  return status === 'verified' || status === 'serial_conflict';
}

export class FoundDevices {
  /** By serial and key fingerprint: one device answering several probes is listed once. */
  readonly #devices = new Map<string, FoundDevice>();

  /** Nonces of the probes sent: an answer to none of them is a replay or another tool's, and is ignored. */
  constructor(private readonly nonces: ReadonlySet<string>) {}

  /** Adds an answer; false when it was ignored (not to one of our probes). */
  add(answer: Answer, from: string): boolean {
    if (!this.nonces.has(answer.nonce)) return false;
    const check = checkAnswer(answer);
    // A forged answer is listed apart, by where it came from: it can neither unseat the signed
    // answer it imitates nor hide behind it.
    const key = [answer.serial, answer.keyFingerprint, ...(check === 'verified' ? [] : [from, 'forged'])].join('\u0000');
    this.#devices.set(key, { answer, from, status: check });
    if (check === 'verified') this.#flagConflicts(answer.serial);
    return true;
  }

  #flagConflicts(serial: string): void {
    const same = [...this.#devices.values()].filter((d) => d.answer.serial === serial && signedByItsKey(d.status));
    if (same.length > 1) for (const device of same) device.status = 'serial_conflict';
  }

  list(filter: { type?: DeviceType; inactiveOnly?: boolean } = {}): FoundDevice[] {
    return [...this.#devices.values()]
      .filter((d) => (filter.type === undefined || d.answer.type === filter.type) && (!filter.inactiveOnly || !d.answer.activated))
      .sort((a, b) => (a.answer.serial < b.answer.serial ? -1 : a.answer.serial > b.answer.serial ? 1 : a.from < b.from ? -1 : 1));
  }
}

/** The address to reach a device's API at: the one it answered from if it lists it, else its first. */
export function contactAddress(device: FoundDevice): string | undefined {
  return device.answer.addresses.includes(device.from) ? device.from : device.answer.addresses[0];
}

/** Every fact of the answer, where it came from and what its checks say: what `--json` prints and a recorder's API returns. */
export function deviceView(device: FoundDevice) {
  const { nonce: _nonce, signature: _signature, deviceKey: _deviceKey, ...facts } = device.answer;
  return { ...facts, from: device.from, status: device.status };
}
