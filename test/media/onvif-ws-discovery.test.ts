// The client's side of WS-Discovery's messages (pure), against the camera's side.
import { expect, it } from 'vitest';
import { parseSoapRequest } from '../../src/media/onvif/soap.js';
import { activationOf, probeMatches, probeMatchesMessage, probeMessage, readProbeMatches, type DiscoveryIdentity } from '../../src/media/onvif/ws-discovery.js';

const camera: DiscoveryIdentity = { endpoint: 'urn:uuid:1', model: 'VC-1 Dome', active: false, xaddr: 'http://10.0.0.7/onvif/device_service' };

it("a recorder's Probe is one the camera answers, and the answer reads back as the camera's endpoint, scopes and address", async () => {
  const probe = await parseSoapRequest(probeMessage('urn:uuid:probe-1'));
  expect(probeMatches(probe, camera)).toBe(true);
  const answer = await parseSoapRequest(probeMatchesMessage(probe, camera));
  const [match, ...more] = readProbeMatches(answer, 'urn:uuid:probe-1');
  expect(more).toEqual([]);
  expect(match).toMatchObject({ endpoint: 'urn:uuid:1', xaddrs: ['http://10.0.0.7/onvif/device_service'] });
  expect(match!.scopes).toContain('onvif://www.onvif.org/hardware/VC-1%20Dome');
  expect(activationOf(match!.scopes)).toBe('inactive');
});

it("answers to someone else's Probe, and other messages, are not read as matches", async () => {
  const answer = await parseSoapRequest(probeMatchesMessage(await parseSoapRequest(probeMessage('urn:uuid:theirs')), camera));
  expect(readProbeMatches(answer, 'urn:uuid:ours')).toEqual([]);
  expect(readProbeMatches(await parseSoapRequest(probeMessage('urn:uuid:ours')), 'urn:uuid:ours')).toEqual([]);
});

it('a camera that does not say whether it is active (another make) is unknown', () => {
  expect(activationOf(['onvif://www.onvif.org/hardware/X'])).toBe('unknown');
  expect(activationOf(['onvif://www.onvif.org/vigil/activation/active'])).toBe('active');
});

it('a forged answer with no usable HTTP address is dropped, not passed on', async () => {
  const probe = await parseSoapRequest(probeMessage('urn:uuid:p'));
  const forged = (xaddr: string) => parseSoapRequest(probeMatchesMessage(probe, { ...camera, xaddr }));
  for (const xaddr of ['http://[', 'ftp://10.0.0.7/x', '']) expect(readProbeMatches(await forged(xaddr), 'urn:uuid:p')).toEqual([]);
});
