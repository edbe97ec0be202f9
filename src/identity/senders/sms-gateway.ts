import { open, seal } from '../sealing/secret-box.js';

/** Associated data of the sealed Authorization header value: it opens only as that. */
const SMS_AUTH_PURPOSE = 'vigil:sms-gateway-auth';
/** A gateway that does not answer within this long has failed; the recovery request did not wait for it anyway. */
export const SMS_GATEWAY_TIMEOUT_MS = 10_000;

export interface SmsGatewayView {
  enabled: boolean;
  url: string;
  /** The header value itself is never sent back. */
  authSet: boolean;
}

export interface SmsGatewayInput {
  enabled: boolean;
  url: string;
  /** Write-only: a string sets it, null removes it, absent keeps it (unless the URL changed). */
  authorization?: string | null;
}

/** The gateway's settings as stored: the Authorization header value only sealed. */
export interface SmsGatewayRecord {
  enabled: boolean;
  url: string;
  authSealed: Buffer | null;
}

/** Where the settings live: one record per installation. */
export interface SmsGatewaySettingsStore {
  getSmsGateway(): SmsGatewayRecord | undefined;
  putSmsGateway(settings: SmsGatewayRecord, now: number): void;
}

export class SmsDeliveryError extends Error {}

/**
 * Texts through the owner's SMS gateway: a plain HTTP POST of JSON `{ to, text }` to a URL the admin
 * chose, with an optional Authorization header sealed at rest like the SMTP password.
 */
export class SmsGateway {
  constructor(
    private readonly store: SmsGatewaySettingsStore,
    private readonly secretKey: Buffer,
  ) {}

  view(): SmsGatewayView {
    const stored = this.store.getSmsGateway();
    return stored ? { enabled: stored.enabled, url: stored.url, authSet: stored.authSealed !== null } : { enabled: false, url: '', authSet: false };
  }

  isEnabled(): boolean {
    return this.store.getSmsGateway()?.enabled === true;
  }

  /**
   * Returns the names of the fields that changed. A stored header is dropped when the URL changes
   * without a new one: an admin must not be able to send the stored credential to a server of theirs.
   */
  save(input: SmsGatewayInput, now: number): string[] {
    const before = this.store.getSmsGateway();
    let authSealed: Buffer | null;
    if (typeof input.authorization === 'string') authSealed = seal(this.secretKey, SMS_AUTH_PURPOSE, input.authorization);
    else if (input.authorization === null || (before !== undefined && before.url !== input.url)) authSealed = null;
    else authSealed = before?.authSealed ?? null;
    this.store.putSmsGateway({ enabled: input.enabled, url: input.url, authSealed }, now);
    const changed = (['enabled', 'url'] as const).filter((k) => before?.[k] !== input[k]);
    const authChanged = typeof input.authorization === 'string' || (before?.authSealed != null) !== (authSealed !== null);
    return authChanged ? [...changed, 'authorization'] : changed;
  }

  /** Sends one text through the saved gateway; throws SmsDeliveryError in plain words. */
  async send(to: string, text: string): Promise<void> {
    const stored = this.store.getSmsGateway();
    if (!stored) throw new SmsDeliveryError('No SMS gateway is set up.');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (stored.authSealed) {
      try {
        headers.authorization = open(this.secretKey, SMS_AUTH_PURPOSE, stored.authSealed);
      } catch {
        throw new SmsDeliveryError('The stored gateway credential cannot be decrypted (the settings key file was replaced): enter it again.');
      }
    }
    let response: Response;
    try {
      response = await fetch(stored.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ to, text }),
        redirect: 'error',
        signal: AbortSignal.timeout(SMS_GATEWAY_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? 'did not answer in time' : 'could not be reached';
      throw new SmsDeliveryError(`The SMS gateway ${reason}.`);
    }
    // The body is not needed; reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new SmsDeliveryError(`The SMS gateway refused the message (HTTP ${response.status}).`);
  }
}
