// Which answer `vigil discover` sends a label code or a reset file to: pure rules, no network.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newNonce, signAnswer, type DeviceFacts } from '../../src/discovery/protocol.js';
import { activationRefusal, apiReach, trustRefusal } from '../../src/discover/activate.js';
import { FoundDevices } from '../../src/discovery/found-devices.js';
import { deviceTable, progressLine } from '../../src/discover/device-table.js';

const SERIAL = 'VGL261207ABCDEFGH';
const key = generateKeyPairSync('ed25519').privateKey;
const otherKey = generateKeyPairSync('ed25519').privateKey;
const nonce = newNonce();

const facts = (overrides: Partial<DeviceFacts> = {}): DeviceFacts => ({
  type: 'recorder',
  model: 'VR-8',
  serial: SERIAL,
  firmwareVersion: '0.1.0',
  addresses: ['10.0.0.1'],
  ports: { https: 8443 },
  activated: false,
  recoveryMethods: { resetButton: true },
  cloudBound: false,
  tlsFingerprint: 'a'.repeat(64),
  ...overrides,
});

function found(...answers: [DeviceFacts, typeof key, string, ((a: ReturnType<typeof signAnswer>) => ReturnType<typeof signAnswer>)?][]) {
  const devices = new FoundDevices(new Set([nonce]));
  for (const [f, k, from, alter] of answers) {
    const answer = signAnswer(f, nonce, k);
    devices.add(alter ? alter(answer) : answer, from);
  }
  return devices.list().filter((d) => d.answer.serial === SERIAL);
}

describe('the device the tool trusts', () => {
  it('is the one signed answer for the serial, even beside a forged one', () => {
    expect(activationRefusal(SERIAL, found([facts(), key, '10.0.0.1']))).toBeUndefined();
    const withForgery = found([facts(), key, '10.0.0.1'], [facts({ addresses: ['10.0.0.66'] }), otherKey, '10.0.0.66', (a) => ({ ...a, activated: true })]);
    expect(withForgery).toHaveLength(2);
    expect(trustRefusal(SERIAL, withForgery)).toBeUndefined();
  });

  it('is none when two keys sign for the serial, when only forgeries answer, or when nothing does', () => {
    expect(trustRefusal(SERIAL, found([facts(), key, '10.0.0.1'], [facts(), otherKey, '10.0.0.66']))).toMatch(/two keys claim it/);
    expect(trustRefusal(SERIAL, found([facts(), key, '10.0.0.66', (a) => ({ ...a, activated: true })]))).toMatch(/No trustworthy answer/);
    expect(trustRefusal(SERIAL, [])).toMatch(/No device with serial/);
  });

  it('is not activated again, and must serve its API over HTTPS with a pinned certificate', () => {
    expect(activationRefusal(SERIAL, found([facts({ activated: true }), key, '10.0.0.1']))).toMatch(/activated already/);
    expect(trustRefusal(SERIAL, found([facts({ ports: { http: 8080 }, tlsFingerprint: null }), key, '10.0.0.1']))).toMatch(/not serve its API over HTTPS/);
  });
});

describe('how the tool reaches a device it trusts', () => {
  it('is HTTPS pinned by the answer, or plain HTTP only to a loopback port of a device that answered from this machine', () => {
    const loopbackOnly = facts({ addresses: ['127.0.0.1'], ports: { http: 8080 }, tlsFingerprint: null });
    // The demo recorder of `npm start`: plain HTTP on loopback, its answer from this machine's own address.
    expect(trustRefusal(SERIAL, found([loopbackOnly, key, '127.0.0.1']))).toBeUndefined();
    const [pinned] = found([facts(), key, '10.0.0.1']);
    expect(apiReach(pinned!, [])).toEqual({ tls: true, host: '10.0.0.1', port: 8443, tlsFingerprint: 'a'.repeat(64) });
    const [demo] = found([loopbackOnly, key, '192.0.2.2']);
    expect(apiReach(demo!, ['127.0.0.1', '192.0.2.2'])).toEqual({ tls: false, host: '127.0.0.1', port: 8080 });
    // Another machine that says its API is at 127.0.0.1 would have the tool talk to a port of its own machine: refused.
    expect(apiReach(demo!, ['127.0.0.1', '192.0.2.9'])).toBeUndefined();
    const [lanHttp] = found([facts({ ports: { http: 8080 }, tlsFingerprint: null }), key, '10.0.0.1']);
    expect(apiReach(lanHttp!, ['10.0.0.1'])).toBeUndefined();
  });
});

describe('the table', () => {
  it('shows each device with its checks, and the progress with the count', () => {
    const lines = deviceTable(found([facts(), key, '10.0.0.1'], [facts(), otherKey, '10.0.0.66', (a) => ({ ...a, activated: true })]));
    expect(lines[0]).toMatch(/^TYPE\s+MODEL\s+SERIAL\s+ADDRESS/);
    expect(lines.slice(1).map((l) => l.replace(/\s+/g, ' '))).toEqual([
      expect.stringMatching(/^recorder VR-8 VGL261207ABCDEFGH 10\.0\.0\.1:8443 0\.1\.0 NO resetButton no SHA256:\S+ signed$/),
      expect.stringMatching(/ yes resetButton no SHA256:\S+ FORGED: signature does not match its key$/),
    ]);
    expect(progressLine(1, 1500, 3000, false)).toBe('Searching the LAN [##########..........] 1.5/3 s, 1 device found');
    expect(progressLine(2, 3000, 3000, true)).toBe('2 devices found in 3 s.');
  });
});
