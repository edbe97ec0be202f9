import { codeMac, deriveCodeMacKey } from '../../identity/codes/contact-code.js';
import { open, seal } from '../../identity/sealing/secret-box.js';
import type { SmsGateway } from '../../identity/senders/sms-gateway.js';
import type { ReservedContactStore } from '../db/reserved-contact-store.js';

const HINT_PURPOSE = 'vigil:password-hint';

/**
 * The reserved email / phone path's state and keys: the store, the SMS gateway, the key that seals
 * hints and keys code HMACs (the settings key, outside the database), and the sends under way.
 */
export class ReservedContacts {
  readonly #macKey: Buffer;
  readonly #pending = new Set<Promise<void>>();

  constructor(
    readonly store: ReservedContactStore,
    readonly sms: SmsGateway,
    private readonly secretKey: Buffer,
  ) {
    this.#macKey = deriveCodeMacKey(secretKey);
  }

  /**
   * HMAC of `value` bound to what it is for: a code to its request id or pending address (a code for
   * one is worthless for another), a decoy's lock scope to what was asked.
   */
  mac(binding: string, value: string): string {
    return codeMac(this.#macKey, binding, value);
  }

  sealHint(hint: string): Buffer {
    return seal(this.secretKey, HINT_PURPOSE, hint);
  }

  openHint(sealed: Buffer): string {
    return open(this.secretKey, HINT_PURPOSE, sealed);
  }

  /** Runs a send without making anyone wait for it (so a request's answer does not tell whether something was sent). */
  inBackground(task: Promise<void>): void {
    const tracked = task.finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  /** Resolves when every send started so far has finished: tests and shutdown wait on this, never on a timer. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
