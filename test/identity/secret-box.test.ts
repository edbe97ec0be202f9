// Sealing settings secrets at rest: only the same key and purpose open them, and any change is caught.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecretKey, open, seal } from '../../src/identity/sealing/secret-box.js';

describe('secret box', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-secret-box-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a private 32-byte key once and reads the same one back', () => {
    const path = join(dir, 'settings.key');
    const key = loadOrCreateSecretKey(path);
    expect(key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecretKey(path).equals(key)).toBe(true);
    writeFileSync(path, readFileSync(path).subarray(0, 16));
    expect(() => loadOrCreateSecretKey(path)).toThrow(/damaged/);
  });

  it('round-trips, never holds the plaintext, and refuses another key, another purpose or any altered byte', () => {
    const key = randomBytes(32);
    const sealed = seal(key, 'vigil:smtp-password', 'hunter2 smtp password');
    expect(sealed.includes(Buffer.from('hunter2'))).toBe(false);
    expect(open(key, 'vigil:smtp-password', sealed)).toBe('hunter2 smtp password');
    expect(seal(key, 'vigil:smtp-password', 'hunter2 smtp password').equals(sealed)).toBe(false); // fresh IV each time
    expect(() => open(randomBytes(32), 'vigil:smtp-password', sealed)).toThrow();
    expect(() => open(key, 'vigil:other', sealed)).toThrow();
    for (const at of [0, 13, sealed.length - 1]) {
      const altered = Buffer.from(sealed);
      altered[at]! ^= 1;
      expect(() => open(key, 'vigil:smtp-password', altered)).toThrow();
    }
  });
});
