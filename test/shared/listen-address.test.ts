import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isLoopbackHost, parseListenAddress, urlFor } from '../../src/shared/listen-address.js';

describe('parseListenAddress', () => {
  it.each([
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
    [':8080', { host: '0.0.0.0', port: 8080 }],
    ['0.0.0.0:443', { host: '0.0.0.0', port: 443 }],
    ['[::]:443', { host: '::', port: 443 }],
    ['localhost:3000', { host: 'localhost', port: 3000 }],
    ['recorder.lan:8443', { host: 'recorder.lan', port: 8443 }],
    ['192.168.1.20:65535', { host: '192.168.1.20', port: 65535 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['  127.0.0.1:8080\n', { host: '127.0.0.1', port: 8080 }],
    ['[fe80::1:2]:80', { host: 'fe80::1:2', port: 80 }],
  ])('parses %j', (input, expected) => {
    expect(parseListenAddress(input)).toEqual(expected);
  });

  it.each([
    'abc',
    '',
    ':',
    '127.0.0.1',
    '127.0.0.1:',
    '1.2.3.4:99999',
    '1.2.3.4:65536',
    '1.2.3.4:123456',
    '1.2.3.4:-1',
    '1.2.3.4:80a',
    '1.2.3.4: 80',
    '::1:8080',
    '[::1]8080',
    '[::1:8080',
    '::1]:8080',
    '[localhost]:8080',
    'a:b:80',
    'host:80:90',
  ])('rejects %j with a message showing the expected form', (input) => {
    expect(() => parseListenAddress(input)).toThrow(/is not HOST:PORT \(for example 127\.0\.0\.1:8080/);
  });

  it('property: every host:port it accepts has a port 0..65535 and a host without stray brackets', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789abcdef:.[]- x'), maxLength: 24 }), (input) => {
        let parsed;
        try {
          parsed = parseListenAddress(input);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          return;
        }
        expect(Number.isInteger(parsed.port)).toBe(true);
        expect(parsed.port).toBeGreaterThanOrEqual(0);
        expect(parsed.port).toBeLessThanOrEqual(65535);
        expect(parsed.host).not.toMatch(/[[\]]/);
        expect(parsed.host.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: formatting an IPv4 or IPv6 address and port and parsing it back is the identity', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 0, max: 65535 }), (host, port) => {
        const text = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
        expect(parseListenAddress(text)).toEqual({ host, port });
      }),
    );
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.0.0.2', true],
    ['127.255.255.254', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['10.0.0.1', false],
    ['128.0.0.1', false],
    ['1.127.0.0', false],
    ['::2', false],
    ['fe80::1', false],
    ['127.0.0.1.example.com', false],
    ['127.example.com', false],
    ['localhost.example.com', false],
    ['recorder.lan', false],
    ['', false],
    ['127.0.0.256', false],
  ])('%j → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it('property: no IPv4 address outside 127/8 is loopback', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(isLoopbackHost(ip)).toBe(ip.split('.')[0] === '127');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('urlFor', () => {
  it.each([
    [{ host: '127.0.0.1', port: 8080 }, false, 'http://127.0.0.1:8080'],
    [{ host: '127.0.0.1', port: 8443 }, true, 'https://127.0.0.1:8443'],
    [{ host: '0.0.0.0', port: 443 }, true, 'https://127.0.0.1:443'],
    [{ host: '::', port: 443 }, true, 'https://[::1]:443'],
    [{ host: '::1', port: 8080 }, false, 'http://[::1]:8080'],
    [{ host: 'fe80::1', port: 8443 }, true, 'https://[fe80::1]:8443'],
    [{ host: 'localhost', port: 3000 }, false, 'http://localhost:3000'],
    [{ host: 'recorder.lan', port: 8443 }, true, 'https://recorder.lan:8443'],
    [{ host: '192.168.1.20', port: 443 }, true, 'https://192.168.1.20:443'],
  ])('%j https=%s → %s', (address, https, expected) => {
    expect(urlFor(address, https)).toBe(expected);
  });

  it('property: the URL of any parsed address is a valid URL for that port and scheme', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 1, max: 65535 }), fc.boolean(), (host, port, https) => {
        const address = parseListenAddress(host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
        const url = new URL(urlFor(address, https));
        expect(url.protocol).toBe(https ? 'https:' : 'http:');
        // URL drops default ports (80 for http, 443 for https).
        expect(url.port).toBe(port === (https ? 443 : 80) ? '' : String(port));
        expect(url.pathname).toBe('/');
      }),
    );
  });
});
