import { createHash, randomUUID } from 'node:crypto';
import { child, children, textOf, xmlText, type SoapRequest } from './soap.js';

/**
 * WS-Discovery (2005/04, as ONVIF uses it) messages, pure. A camera's side: whether a Probe asks
 * for it, and the ProbeMatches, Hello and Bye it sends (its socket: src/camera/discovery-responder.ts).
 * A client's side: the Probe, and what a ProbeMatches says (its socket: discovery-scan.ts).
 */
export const DISCOVERY_ADDRESS = '239.255.255.250';
export const DISCOVERY_PORT = 3702;

const NS = {
  env: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  d: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
  dn: 'http://www.onvif.org/ver10/network/wsdl',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
};
const ACTION = 'http://schemas.xmlsoap.org/ws/2005/04/discovery';
const TYPES = 'dn:NetworkVideoTransmitter tds:Device';

/** What a camera announces of itself. */
export interface DiscoveryIdentity {
  /** `urn:uuid:...`, the same across restarts (see endpointAddress). */
  endpoint: string;
  model: string;
  active: boolean;
  /** The device service's address, `http://host:port/onvif/device_service`. */
  xaddr: string;
}

/** A stable endpoint address from the serial: a name-based (v5-style) UUID, so a recorder recognises the camera after a restart. */
export function endpointAddress(serial: string): string {
  const hex = createHash('sha1').update(`vigil-camera:${serial}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** ONVIF's scopes, and one of Vigil's own: whether the camera still waits for activation. */
export function scopesOf(identity: DiscoveryIdentity): string[] {
  return [
    'onvif://www.onvif.org/type/video_encoder',
    'onvif://www.onvif.org/Profile/Streaming',
    `onvif://www.onvif.org/hardware/${encodeURIComponent(identity.model)}`,
    'onvif://www.onvif.org/name/Vigil',
    `onvif://www.onvif.org/vigil/activation/${identity.active ? 'active' : 'inactive'}`,
  ];
}

const words = (text: string | undefined) => (text ?? '').split(/\s+/).filter(Boolean);
const localName = (qname: string) => qname.slice(qname.indexOf(':') + 1);

/**
 * Whether a Probe asks for a camera like this one: no Types, or one of ours (prefixes are not
 * resolved: ONVIF clients all use these names), and every Scope a prefix of one of ours (the
 * default RFC 3986 matching, by whole path segments). Pure.
 */
export function probeMatches(probe: SoapRequest, identity: DiscoveryIdentity): boolean {
  if (probe.operation !== 'Probe') return false;
  const wanted = words(textOf(child(probe.body, 'Types'))).map(localName);
  if (wanted.length > 0 && !wanted.some((type) => type === 'NetworkVideoTransmitter' || type === 'Device')) return false;
  const ours = scopesOf(identity);
  return words(textOf(child(probe.body, 'Scopes'))).every((scope) => ours.some((own) => own === scope || own.startsWith(`${scope.replace(/\/$/, '')}/`)));
}

function envelope(header: string, body: string): string {
  const declarations = Object.entries(NS)
    .map(([prefix, uri]) => `xmlns:${prefix}="${uri}"`)
    .join(' ');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope ${declarations}><env:Header><wsa:MessageID>urn:uuid:${randomUUID()}</wsa:MessageID>${header}</env:Header><env:Body>${body}</env:Body></env:Envelope>`;
}

function description(identity: DiscoveryIdentity): string {
  return (
    `<wsa:EndpointReference><wsa:Address>${identity.endpoint}</wsa:Address></wsa:EndpointReference>` +
    `<d:Types>${TYPES}</d:Types><d:Scopes>${xmlText(scopesOf(identity).join(' '))}</d:Scopes>` +
    `<d:XAddrs>${xmlText(identity.xaddr)}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>`
  );
}

/** The answer to a matching Probe, sent to its sender. */
export function probeMatchesMessage(probe: SoapRequest, identity: DiscoveryIdentity): string {
  const relatesTo = textOf(child(probe.header, 'MessageID')) ?? '';
  return envelope(
    `<wsa:RelatesTo>${xmlText(relatesTo)}</wsa:RelatesTo><wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>` +
      `<wsa:Action>${ACTION}/ProbeMatches</wsa:Action>`,
    `<d:ProbeMatches><d:ProbeMatch>${description(identity)}</d:ProbeMatch></d:ProbeMatches>`,
  );
}

/** Hello (on start) or Bye (on stop), to the multicast group. */
export function announcement(kind: 'Hello' | 'Bye', identity: DiscoveryIdentity): string {
  return envelope(
    `<wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To><wsa:Action>${ACTION}/${kind}</wsa:Action>`,
    `<d:${kind}>${description(identity)}</d:${kind}>`,
  );
}

/** A Probe for ONVIF cameras (`dn:NetworkVideoTransmitter`), with its MessageID so answers can be told from others' traffic. */
export function probeMessage(messageId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope xmlns:env="${NS.env}" xmlns:wsa="${NS.wsa}" xmlns:d="${NS.d}" xmlns:dn="${NS.dn}">` +
    `<env:Header><wsa:MessageID>${xmlText(messageId)}</wsa:MessageID><wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>` +
    `<wsa:Action>${ACTION}/Probe</wsa:Action></env:Header><env:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></env:Body></env:Envelope>`
  );
}

/** One camera's answer to a Probe. */
export interface ProbeMatch {
  endpoint: string;
  scopes: string[];
  /** The device service's addresses (a camera may give several). */
  xaddrs: string[];
}

/** The matches of a ProbeMatches answering the Probe `messageId`; none for any other message. Pure. */
export function readProbeMatches(message: SoapRequest, messageId: string): ProbeMatch[] {
  if (message.operation !== 'ProbeMatches' || textOf(child(message.header, 'RelatesTo')) !== messageId) return [];
  return children(message.body, 'ProbeMatch').flatMap((match) => {
    const endpoint = textOf(child(child(match, 'EndpointReference'), 'Address'));
    // Anyone on the LAN can answer: only addresses that are really HTTP URLs are kept.
    const xaddrs = words(textOf(child(match, 'XAddrs'))).filter((x) => /^https?:\/\//.test(x) && URL.canParse(x));
    return endpoint && xaddrs.length > 0 ? [{ endpoint, scopes: words(textOf(child(match, 'Scopes'))), xaddrs }] : [];
  });
}

/** Whether a camera waits for activation, from Vigil's scope; `unknown` for cameras that do not say (other makes). */
export function activationOf(scopes: readonly string[]): 'active' | 'inactive' | 'unknown' {
  const prefix = 'onvif://www.onvif.org/vigil/activation/';
  const state = scopes.find((scope) => scope.startsWith(prefix))?.slice(prefix.length);
  return state === 'active' || state === 'inactive' ? state : 'unknown';
}
