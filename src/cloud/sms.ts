import { randomBytes } from 'node:crypto';
import { SmsGateway, type SmsGatewayRecord } from '../identity/senders/sms-gateway.js';
import type { TextSender } from './senders.js';

/** How the cloud sends texts: a POST of `{ to, text }` to this URL, with this Authorization header if given. */
export interface CloudSmsSettings {
  url: string;
  authorization?: string;
}

/**
 * The recorder's SMS gateway adapter, configured once from the command line instead of an admin's
 * settings page: its settings live in memory, the header sealed under a key made for this process.
 */
export function smsGatewaySender(settings: CloudSmsSettings, now: number): TextSender {
  let record: SmsGatewayRecord | undefined;
  const gateway = new SmsGateway({ getSmsGateway: () => record, putSmsGateway: (saved) => void (record = saved) }, randomBytes(32));
  gateway.save({ enabled: true, url: settings.url, authorization: settings.authorization ?? null }, now);
  return { send: (to, text) => gateway.send(to, text) };
}
