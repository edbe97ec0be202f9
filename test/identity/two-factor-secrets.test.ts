// TOTP secrets are sealed with the shared secret box: what earlier recorders stored must still open.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from '../../src/identity/two-factor/secrets.js';

describe('two-factor secrets', () => {
  it('opens a secret sealed by the former TOTP-only sealing code (same layout and associated data)', () => {
    // Made by the removed sealSecret with key 0x11…, IV 0x22…, user 7, the RFC 6238 SHA-1 seed.
    const sealed = Buffer.from('222222222222222222222222e0cb603df84a0da2c69a089418e986e026c5347df5f9a867dc0fef0e7b92dce328abf4d2', 'hex');
    expect(openSecret(Buffer.alloc(32, 0x11), 7, sealed).toString()).toBe('12345678901234567890');
  });

  it('binds the secret to its user: it opens for no other', () => {
    const key = randomBytes(32);
    const sealed = sealSecret(key, 7, Buffer.from('12345678901234567890'));
    expect(openSecret(key, 7, sealed).toString()).toBe('12345678901234567890');
    expect(() => openSecret(key, 8, sealed)).toThrow();
  });
});
