import xml2js from 'xml2js';

/**
 * SOAP 1.2 as ONVIF uses it: reading a request's envelope (with xml2js, namespace prefixes dropped:
 * ONVIF names are unique enough within one message) and writing answers and faults.
 */

/** An element as xml2js gives it without arrays: text, or children by name, `$` attributes and `_` text. */
export type XmlElement = string | { [name: string]: unknown };

export interface SoapRequest {
  /** The Body's first element: the operation, such as `GetProfiles`. */
  operation: string;
  body: XmlElement;
  header: XmlElement | undefined;
}

export class SoapParseError extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The child elements named `name` (xml2js gives one as an object, several as an array). */
export function children(element: unknown, name: string): unknown[] {
  if (!isObject(element) || element[name] === undefined) return [];
  const found = element[name];
  return Array.isArray(found) ? found : [found];
}

export function child(element: unknown, name: string): unknown {
  return children(element, name)[0];
}

/** An element's text, whether or not it has attributes; undefined for no element or one with children only. */
export function textOf(element: unknown): string | undefined {
  if (typeof element === 'string') return element;
  if (isObject(element) && (typeof element._ === 'string' || Object.keys(element).every((key) => key === '$'))) {
    return typeof element._ === 'string' ? element._ : '';
  }
  return undefined;
}

export function attributeOf(element: unknown, name: string): string | undefined {
  const attributes = isObject(element) ? element.$ : undefined;
  return isObject(attributes) && typeof attributes[name] === 'string' ? attributes[name] : undefined;
}

export async function parseSoapRequest(xml: string): Promise<SoapRequest> {
  let document: unknown;
  try {
    document = await xml2js.parseStringPromise(xml, {
      explicitArray: false,
      tagNameProcessors: [xml2js.processors.stripPrefix],
      attrNameProcessors: [xml2js.processors.stripPrefix],
    });
  } catch {
    throw new SoapParseError('not well-formed XML');
  }
  const envelope = child(document, 'Envelope');
  const body = child(envelope, 'Body');
  const operation = isObject(body) ? Object.keys(body).find((key) => key !== '$') : undefined;
  if (!operation) throw new SoapParseError('not a SOAP envelope with an operation in its Body');
  return { operation, body: child(body, operation) as XmlElement, header: child(envelope, 'Header') as XmlElement | undefined };
}

/** Escapes text for an element or an attribute. */
export function xmlText(value: string | number | boolean): string {
  return String(value).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export const NAMESPACES = {
  env: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tev: 'http://www.onvif.org/ver10/events/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  ter: 'http://www.onvif.org/ver10/error',
  wsnt: 'http://docs.oasis-open.org/wsn/b-2',
  wsa5: 'http://www.w3.org/2005/08/addressing',
  wstop: 'http://docs.oasis-open.org/wsn/t-1',
  tns1: 'http://www.onvif.org/ver10/topics',
} as const;

const DECLARATIONS = Object.entries(NAMESPACES)
  .map(([prefix, uri]) => `xmlns:${prefix}="${uri}"`)
  .join(' ');

export function soapEnvelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope ${DECLARATIONS}><env:Body>${body}</env:Body></env:Envelope>`;
}

/** A SOAP 1.2 fault with ONVIF's subcodes (ter:NotAuthorized, ter:ActionNotSupported, ...). */
export interface SoapFault {
  code: 'env:Sender' | 'env:Receiver';
  subcode: string;
  /** ONVIF nests a second subcode for argument errors: ter:InvalidArgVal / ter:NoProfile. */
  innerSubcode?: string;
  reason: string;
}

export function faultEnvelope(fault: SoapFault): string {
  const inner = fault.innerSubcode ? `<env:Subcode><env:Value>${fault.innerSubcode}</env:Value></env:Subcode>` : '';
  return soapEnvelope(
    `<env:Fault><env:Code><env:Value>${fault.code}</env:Value><env:Subcode><env:Value>${fault.subcode}</env:Value>${inner}</env:Subcode></env:Code>` +
      `<env:Reason><env:Text xml:lang="en">${xmlText(fault.reason)}</env:Text></env:Reason></env:Fault>`,
  );
}
