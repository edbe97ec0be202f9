import { randomBytes } from 'node:crypto';
import { SmsGateway, type SmsGatewayRecord } from '../identity/senders/sms-gateway.js';

/** The HTTP SMS gateway `--sms-gateway` names, and the Authorization header it wants, if any. */
export interface CloudSmsSettings {
  url: string;
  authorization?: string;
}

/**
 * The core's SMS gateway adapter on settings given at start: kept in memory for the process, the
 * header sealed under a key made for it (the adapter keeps it sealed at rest, as the recorder's
 * settings page does).
 */
export function smsGatewayTexter(settings: CloudSmsSettings, now: number): SmsGateway {
  let record: SmsGatewayRecord | undefined;
  const gateway = new SmsGateway({ getSmsGateway: () => record, putSmsGateway: (next) => (record = next) }, randomBytes(32));
  gateway.save({ enabled: true, url: settings.url, authorization: settings.authorization ?? null }, now);
  return gateway;
}
