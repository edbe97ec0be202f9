// How the recorder shows a device found on its LAN, and where it offers to act on it: pure, no network.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FoundDevices } from '../../src/discovery/found-devices.js';
import { newNonce, signAnswer, type DeviceFacts } from '../../src/discovery/protocol.js';
import { publicKeyFingerprint } from '../../src/shared/key-fingerprint.js';
import { lanDeviceView, lanInterfaceOf } from '../../src/recorder/device/lan-devices.js';

const nonce = newNonce();
const key = generateKeyPairSync('ed25519');
const otherKey = generateKeyPairSync('ed25519').privateKey;
const ownFingerprint = publicKeyFingerprint(key.publicKey);

const recorder: DeviceFacts = {
  type: 'recorder',
  model: 'VR-8',
  serial: 'VGL261208AAAAAAAA',
  firmwareVersion: '0.1.0',
  addresses: ['10.0.0.1'],
  ports: { https: 8443 },
  activated: true,
  recoveryMethods: { resetButton: true },
  cloudBound: false,
  tlsFingerprint: 'a'.repeat(64),
};
const camera: DeviceFacts = { ...recorder, type: 'camera', model: 'VC-1', addresses: ['10.0.0.2'], serial: 'VGC261208BBBBBBBB', ports: { http: 8080, rtsp: 8554 }, tlsFingerprint: null };

function views(...answers: [DeviceFacts, Parameters<typeof signAnswer>[2], string][]) {
  const found = new FoundDevices(new Set([nonce]));
  for (const [facts, signer, from] of answers) found.add(signAnswer(facts, nonce, signer), from);
  return found.list().map((d) => lanDeviceView(d, ownFingerprint));
}

describe('a device on the LAN as the recorder shows it', () => {
  it("offers a recorder's web page and a camera's ONVIF service, and tells the recorder itself", () => {
    const [cam, self] = views([camera, otherKey, '10.0.0.2'], [recorder, key.privateKey, '10.0.0.1']);
    expect(cam).toMatchObject({ type: 'camera', self: false, url: 'http://10.0.0.2:8080/onvif/device_service', address: '10.0.0.2:8080', status: 'verified' });
    expect(self).toMatchObject({ type: 'recorder', self: true, url: 'https://10.0.0.1:8443/', address: '10.0.0.1:8443' });
    expect(self).not.toHaveProperty('signature');
    expect(self).not.toHaveProperty('nonce');
  });

  it('offers nothing on a forged answer, nor on either of two keys that claim one serial', () => {
    const found = new FoundDevices(new Set([nonce]));
    found.add({ ...signAnswer(recorder, nonce, otherKey), deviceKey: signAnswer(recorder, nonce, key.privateKey).deviceKey }, '10.0.0.66');
    const [forged] = found.list().map((d) => lanDeviceView(d, ownFingerprint));
    expect(forged).toMatchObject({ status: 'key_mismatch', url: null, self: false });

    const conflict = views([camera, key.privateKey, '10.0.0.2'], [camera, otherKey, '10.0.0.3']);
    expect(conflict.map((d) => [d.status, d.url])).toEqual([
      ['serial_conflict', null],
      ['serial_conflict', null],
    ]);
  });

  it('probes from the address it listens on when that is one address of the LAN', () => {
    expect(lanInterfaceOf('10.0.0.1')).toBe('10.0.0.1');
    expect(lanInterfaceOf('0.0.0.0')).toBeUndefined();
    expect(lanInterfaceOf('127.0.0.1')).toBeUndefined();
    expect(lanInterfaceOf('::')).toBeUndefined();
  });
});
