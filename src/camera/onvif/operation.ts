import type { Clock } from '../../shared/clock.js';
import type { CameraAccount } from '../accounts/account-store.js';
import type { CameraDevice } from '../device/device-store.js';
import type { EncodingSpec } from '../stream/encoding.js';
import type { Required } from './access.js';
import type { SoapFault, SoapRequest } from '../../media/onvif/soap.js';

/** What every ONVIF operation may read of the camera. */
export interface OnvifCamera {
  device(): CameraDevice;
  encoding: EncodingSpec;
  firmwareVersion: string;
  clock: Clock;
  /** The RTSP server's port; the host is the address the request came in on. */
  rtspPort: number;
  /** The stream's path on the RTSP server, such as `/cam1`. */
  streamPath: string;
}

/** One request, authenticated (`caller`) unless the operation is open to anyone. */
export interface OnvifCall {
  request: SoapRequest;
  caller: CameraAccount | undefined;
  sourceIp: string;
  /** `host:port` of the ONVIF service as the client reached it, for the addresses in answers. */
  httpHost: string;
  /** The host part of it, for the RTSP address. */
  host: string;
  /** The request URL's query: a pull point's address names its subscription there. */
  query: URLSearchParams;
}

export interface OnvifOperation {
  required: Required;
  /** The answer's Body content. */
  handle(call: OnvifCall): string | Promise<string>;
}

/** What a handler throws to answer a fault. */
export class OnvifFault extends Error {
  constructor(readonly fault: SoapFault) {
    super(fault.reason);
  }
}

/** A request the camera understood but cannot do as asked: ter:InvalidArgVal and ONVIF's reason (`NoProfile`, `UsernameClash`, ...). */
export const invalidArgument = (innerSubcode: string, reason: string) =>
  new OnvifFault({ code: 'env:Sender', subcode: 'ter:InvalidArgVal', innerSubcode: `ter:${innerSubcode}`, reason });
