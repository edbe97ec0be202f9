import { attributeOf, child, children, textOf, xmlText, type SoapRequest, parseSoapRequest } from './soap.js';
import { usernameTokenHeader } from './username-token.js';

/**
 * The few ONVIF calls a recorder makes to a camera (Core and Media 1, SOAP 1.2 over HTTP): its
 * time, its identity, and where its stream is. Logins go as a WS-UsernameToken digest made on the
 * camera's own clock (learnt first from GetSystemDateAndTime, which needs no login), so a camera
 * whose clock is off still takes it; the password itself never crosses the wire.
 */

export interface OnvifCredentials {
  username: string;
  password: string;
}

export type OnvifErrorKind = 'unreachable' | 'timeout' | 'unauthorized' | 'protocol';

export class OnvifError extends Error {
  constructor(
    readonly kind: OnvifErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface OnvifUser {
  username: string;
  level: string;
}

/** A call's own timeout, and a signal that ends it early (the caller stops). */
export interface CallWait {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface OnvifDeviceInformation {
  manufacturer: string;
  model: string;
  firmwareVersion: string;
  serialNumber: string;
}

const NS = 'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema"';
/** A SOAP answer is a few kilobytes; a device that sends more is not one we talk to. */
const MAX_ANSWER_BYTES = 256 * 1024;

export class OnvifClient {
  /** The camera's clock minus ours, learnt once per client. */
  #clockOffsetMs: number | undefined;

  constructor(
    /** The device service's address, as WS-Discovery's XAddrs gives it. */
    readonly deviceUrl: string,
    private readonly options: { timeoutMs: number; now: () => number },
  ) {}

  async deviceInformation(credentials?: OnvifCredentials): Promise<OnvifDeviceInformation> {
    const answer = await this.#call(this.deviceUrl, '<tds:GetDeviceInformation/>', credentials);
    const field = (name: string) => textOf(child(answer.body, name)) ?? '';
    return { manufacturer: field('Manufacturer'), model: field('Model'), firmwareVersion: field('FirmwareVersion'), serialNumber: field('SerialNumber') };
  }

  /** The RTSP address of the camera's first media profile, as the camera gives it (without credentials). */
  async streamUri(credentials: OnvifCredentials): Promise<string> {
    const capabilities = await this.#call(this.deviceUrl, '<tds:GetCapabilities><tds:Category>Media</tds:Category></tds:GetCapabilities>', credentials);
    const mediaUrl = textOf(child(child(child(capabilities.body, 'Capabilities'), 'Media'), 'XAddr')) ?? this.deviceUrl;
    const profiles = await this.#call(mediaUrl, '<trt:GetProfiles/>', credentials);
    const token = attributeOf(child(profiles.body, 'Profiles'), 'token');
    if (!token) throw new OnvifError('protocol', 'The camera has no media profile.');
    const stream = await this.#call(
      mediaUrl,
      '<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup>' +
        `<trt:ProfileToken>${xmlText(token)}</trt:ProfileToken></trt:GetStreamUri>`,
      credentials,
    );
    const uri = textOf(child(child(stream.body, 'MediaUri'), 'Uri'));
    if (!uri || !/^rtsps?:\/\//i.test(uri)) throw new OnvifError('protocol', 'The camera gave no RTSP address for its stream.');
    return uri;
  }

  /** The camera's accounts and their levels (Administrator, Operator, User, ...); needs an Administrator's login. */
  async users(credentials: OnvifCredentials): Promise<OnvifUser[]> {
    const answer = await this.#call(this.deviceUrl, '<tds:GetUsers/>', credentials);
    return children(answer.body, 'User').map((user) => ({ username: textOf(child(user, 'Username')) ?? '', level: textOf(child(user, 'UserLevel')) ?? '' }));
  }

  /**
   * SetUser: gives `user` a new password at the level it has. A fault answered means the camera
   * did not take it; no answer (`unreachable`, `timeout`) leaves it unknown whether it did.
   */
  async setPassword(user: OnvifUser, newPassword: string, credentials: OnvifCredentials): Promise<void> {
    await this.#call(
      this.deviceUrl,
      `<tds:SetUser><tds:User><tt:Username>${xmlText(user.username)}</tt:Username><tt:Password>${xmlText(newPassword)}</tt:Password>` +
        `<tt:UserLevel>${xmlText(user.level)}</tt:UserLevel></tds:User></tds:SetUser>`,
      credentials,
    );
  }

  /**
   * One signed call to any of the camera's services (the events client uses it); `wait` gives a
   * call that holds on purpose (PullMessages) a longer timeout, and a signal that ends it early.
   */
  call(url: string, body: string, credentials: OnvifCredentials, wait?: CallWait): Promise<SoapRequest> {
    return this.#call(url, body, credentials, wait);
  }

  /** The camera's clock minus ours, once learnt (every signed call learns it first). */
  get clockOffsetMs(): number | undefined {
    return this.#clockOffsetMs;
  }

  async #call(url: string, body: string, credentials: OnvifCredentials | undefined, wait?: CallWait): Promise<SoapRequest> {
    const header = credentials ? usernameTokenHeader(credentials.username, credentials.password, await this.#cameraTime()) : '';
    return this.#post(url, body, header, wait);
  }

  /** Now on the camera's clock, to the second, as xsd:dateTime in UTC. */
  async #cameraTime(): Promise<string> {
    if (this.#clockOffsetMs === undefined) {
      const answer = await this.#post(this.deviceUrl, '<tds:GetSystemDateAndTime/>', '');
      const utc = child(child(answer.body, 'SystemDateAndTime'), 'UTCDateTime');
      const n = (parent: string, name: string) => Number(textOf(child(child(utc, parent), name)));
      const camera = Date.UTC(n('Date', 'Year'), n('Date', 'Month') - 1, n('Date', 'Day'), n('Time', 'Hour'), n('Time', 'Minute'), n('Time', 'Second'));
      // A camera that does not tell its time gets ours: most keep it by NTP.
      this.#clockOffsetMs = Number.isFinite(camera) ? camera - this.options.now() : 0;
    }
    return new Date(this.options.now() + this.#clockOffsetMs).toISOString().replace(/\.\d+Z$/, 'Z');
  }

  async #post(url: string, body: string, header: string, wait?: CallWait): Promise<SoapRequest> {
    let response: Response;
    try {
      const timeout = AbortSignal.timeout(wait?.timeoutMs ?? this.options.timeoutMs);
      response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/soap+xml; charset=utf-8' },
        body: `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" ${NS}><env:Header>${header}</env:Header><env:Body>${body}</env:Body></env:Envelope>`,
        signal: wait?.signal ? AbortSignal.any([timeout, wait.signal]) : timeout,
        redirect: 'error',
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new OnvifError(timedOut ? 'timeout' : 'unreachable', timedOut ? 'The camera did not answer in time.' : 'The camera could not be reached.');
    }
    const text = await response.text();
    if (text.length > MAX_ANSWER_BYTES) throw new OnvifError('protocol', 'The camera answered with more than an ONVIF message.');
    const answer = await parseSoapRequest(text).catch(() => {
      throw new OnvifError(response.status === 401 ? 'unauthorized' : 'protocol', `The camera answered HTTP ${response.status} without a SOAP message.`);
    });
    if (answer.operation === 'Fault') {
      const subcodes = JSON.stringify(child(answer.body, 'Code'));
      const unauthorized = response.status === 401 || subcodes.includes('NotAuthorized');
      throw new OnvifError(unauthorized ? 'unauthorized' : 'protocol', unauthorized ? 'The camera refused the user name or password.' : 'The camera refused the request.');
    }
    return answer;
  }
}
