import { describe, expect, it } from 'vitest';
import { relyingPartyFor } from '../../src/recorder/accounts/relying-party.js';

describe('the WebAuthn relying party comes from the Host the browser used', () => {
  it.each([
    ['http', 'localhost:8080', { rpId: 'localhost', origin: 'http://localhost:8080' }],
    ['https', 'Recorder.Local', { rpId: 'recorder.local', origin: 'https://recorder.local' }],
    ['https', 'nvr-1.example.org:8443', { rpId: 'nvr-1.example.org', origin: 'https://nvr-1.example.org:8443' }],
  ])('%s://%s is a relying party', (protocol, host, expected) => {
    expect(relyingPartyFor(protocol, host)).toEqual(expected);
  });

  it.each([
    ['127.0.0.1:8080', 'an IPv4 address'],
    ['192.168.1.20', 'a LAN address'],
    ['[::1]:8080', 'an IPv6 address'],
    ['', 'nothing'],
    ['bad host', 'a space'],
    ['exa_mple.com', 'an underscore'],
    ['123.456', 'digits only'],
  ])('%s is not (%s): WebAuthn refuses IP addresses as rpID', (host) => {
    expect(relyingPartyFor('http', host)).toBeUndefined();
  });

  it('without a Host header there is none', () => {
    expect(relyingPartyFor('http', undefined)).toBeUndefined();
  });
});
