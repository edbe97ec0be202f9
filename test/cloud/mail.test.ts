import { describe, expect, it } from 'vitest';
import { parseSmtpUrl } from '../../src/cloud/mail.js';

describe('the --smtp URL', () => {
  it.each([
    ['smtps://cloud:p%40ss@mail.example.net', { host: 'mail.example.net', port: 465, security: 'tls', username: 'cloud', password: 'p@ss' }],
    ['smtp://cloud:secret@mail.example.net:2525', { host: 'mail.example.net', port: 2525, security: 'starttls', username: 'cloud', password: 'secret' }],
    ['smtp://127.0.0.1:25?security=none', { host: '127.0.0.1', port: 25, security: 'none', username: '', password: null }],
    ['smtp://[::1]', { host: '::1', port: 587, security: 'starttls', username: '', password: null }],
  ])('%s', (url, server) => {
    expect(parseSmtpUrl(url)).toEqual(server);
  });

  it('refuses other schemes, and plain SMTP unless asked for by name', () => {
    expect(() => parseSmtpUrl('http://mail.example.net')).toThrow('expected smtp:// or smtps://');
    expect(() => parseSmtpUrl('smtps://mail.example.net?security=none')).toThrow('the only security= setting is none, on smtp://');
    expect(() => parseSmtpUrl('smtp://mail.example.net?security=tls')).toThrow('the only security= setting is none, on smtp://');
  });
});
