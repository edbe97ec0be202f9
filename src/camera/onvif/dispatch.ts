import type { Logger } from '../../shared/logger.js';
import { mayCall } from './access.js';
import { type OnvifCall, OnvifFault, type OnvifOperation } from './operation.js';
import type { OnvifRequestAuth } from './request-auth.js';
import { faultEnvelope, parseSoapRequest, SoapParseError, type SoapFault, soapEnvelope } from '../../media/onvif/soap.js';

export interface OnvifHttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface OnvifHttpRequest {
  path: string;
  body: string;
  authorization: string | undefined;
  sourceIp: string;
  /** `host:port` as the client reached the camera, and the host alone. */
  httpHost: string;
  host: string;
  query: URLSearchParams;
}

const SOAP_TYPE = { 'Content-Type': 'application/soap+xml; charset=utf-8' };

const NOT_AUTHORIZED: SoapFault = { code: 'env:Sender', subcode: 'ter:NotAuthorized', reason: 'Sender not authorized' };

const answerFault = (status: number, fault: SoapFault, headers: Record<string, string> = {}): OnvifHttpAnswer => ({
  status,
  headers: { ...SOAP_TYPE, ...headers },
  body: faultEnvelope(fault),
});

/**
 * One ONVIF request, from its HTTP body to its answer: parse the envelope, find the operation of
 * the service the path names, authenticate unless it is open to anyone, check the caller's level,
 * run it. Every refusal of credentials is the same ter:NotAuthorized, whatever was wrong.
 */
export class OnvifDispatcher {
  constructor(
    private readonly services: Record<string, Record<string, OnvifOperation>>,
    private readonly auth: Pick<OnvifRequestAuth, 'authenticate' | 'challenge'>,
    private readonly log: Logger | undefined,
  ) {}

  async answer(http: OnvifHttpRequest): Promise<OnvifHttpAnswer> {
    const service = this.services[http.path];
    if (!service) return { status: 404, headers: {}, body: '' };
    let request;
    try {
      request = await parseSoapRequest(http.body);
    } catch (error) {
      if (!(error instanceof SoapParseError)) throw error;
      return answerFault(400, { code: 'env:Sender', subcode: 'ter:WellFormed', reason: error.message });
    }
    const operation = Object.hasOwn(service, request.operation) ? service[request.operation]! : undefined;
    if (!operation) return answerFault(400, { code: 'env:Receiver', subcode: 'ter:ActionNotSupported', reason: 'This camera does not offer that operation' });
    const call: OnvifCall = { request, caller: undefined, sourceIp: http.sourceIp, httpHost: http.httpHost, host: http.host, query: http.query };
    if (operation.required !== 'anyone') {
      const who = await this.auth.authenticate(request, http.authorization, http.sourceIp);
      if (!who.ok) return answerFault(who.status, NOT_AUTHORIZED, who.status === 401 ? { 'WWW-Authenticate': this.auth.challenge() } : {});
      if (!mayCall(who.account.level, operation.required)) return answerFault(400, NOT_AUTHORIZED);
      call.caller = who.account;
    }
    try {
      return { status: 200, headers: SOAP_TYPE, body: soapEnvelope(await operation.handle(call)) };
    } catch (error) {
      if (error instanceof OnvifFault) return answerFault(400, error.fault);
      this.log?.error({ err: error, operation: request.operation }, 'camera: ONVIF operation failed');
      return answerFault(500, { code: 'env:Receiver', subcode: 'ter:Action', reason: 'The camera could not do that' });
    }
  }
}
