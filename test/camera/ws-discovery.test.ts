import { describe, expect, it } from 'vitest';
import { parseSoapRequest } from '../../src/media/onvif/soap.js';
import { endpointAddress, probeMatches, type DiscoveryIdentity } from '../../src/media/onvif/ws-discovery.js';

const identity: DiscoveryIdentity = { endpoint: endpointAddress('VGC260601ABCDEFGH'), model: 'VC-1', active: false, xaddr: 'http://10.0.0.5:8080/onvif/device_service' };

const probe = (types: string, scopes: string) =>
  parseSoapRequest(
    '<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope"><Header><MessageID>urn:uuid:1</MessageID></Header>' +
      `<Body><Probe xmlns="http://schemas.xmlsoap.org/ws/2005/04/discovery"><Types>${types}</Types><Scopes>${scopes}</Scopes></Probe></Body></Envelope>`,
  );

describe('probeMatches', () => {
  it.each([
    ['any type', '', '', true],
    ['NetworkVideoTransmitter', 'dn:NetworkVideoTransmitter', '', true],
    ['Device, with another prefix', 'x:Device', '', true],
    ['a printer', 'wsdp:Printer', '', false],
    ['our hardware scope', 'dn:NetworkVideoTransmitter', 'onvif://www.onvif.org/hardware/VC-1', true],
    ['a prefix of our scopes by whole segments', '', 'onvif://www.onvif.org/type', true],
    ['a prefix that cuts a segment', '', 'onvif://www.onvif.org/typ', false],
    ['inactive cameras only', '', 'onvif://www.onvif.org/vigil/activation/inactive', true],
    ['active cameras only', '', 'onvif://www.onvif.org/vigil/activation/active', false],
    ['another hardware', '', 'onvif://www.onvif.org/hardware/OTHER', false],
  ])('%s', async (_name, types, scopes, expected) => {
    expect(probeMatches(await probe(types, scopes), identity)).toBe(expected);
  });
});

describe('endpointAddress', () => {
  it('is a UUID URN, the same for one serial and different for another', () => {
    expect(identity.endpoint).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(endpointAddress('VGC260601ABCDEFGH')).toBe(identity.endpoint);
    expect(endpointAddress('VGC260601ABCDEFGJ')).not.toBe(identity.endpoint);
  });
});
