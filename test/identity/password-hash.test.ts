import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Algorithm, hash as argon2Hash } from '@node-rs/argon2';
import {
  parsePhcParams,
  PasswordHasher,
  PRODUCTION_ARGON2,
  TEST_ARGON2,
} from '../../src/identity/passwords/hash.js';

const hasher = new PasswordHasher(TEST_ARGON2);

describe('parameters', () => {
  it('PRODUCTION_ARGON2 is exactly the OWASP argon2id setting m=19456, t=2, p=1', () => {
    expect(PRODUCTION_ARGON2).toStrictEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it('TEST_ARGON2 is really cheaper than production', () => {
    expect(TEST_ARGON2.memoryCost).toBeLessThan(PRODUCTION_ARGON2.memoryCost);
    expect(TEST_ARGON2.timeCost).toBeLessThanOrEqual(PRODUCTION_ARGON2.timeCost);
    expect(TEST_ARGON2.parallelism).toBeLessThanOrEqual(PRODUCTION_ARGON2.parallelism);
  });

  it('a test hasher writes hashes with the test parameters, and defaults to production', async () => {
    expect(hasher.params).toEqual(TEST_ARGON2);
    expect(parsePhcParams(await hasher.hash('x'))).toEqual({ algorithm: 'argon2id', ...TEST_ARGON2 });
    expect(new PasswordHasher().params).toEqual(PRODUCTION_ARGON2);
  });
});

describe('hash and verify', () => {
  it('round-trips: the right password verifies, a wrong one does not', async () => {
    const phc = await hasher.hash('Tangerine orbit 93 lampshade');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(await hasher.verify(phc, 'Tangerine orbit 93 lampshade')).toEqual({ valid: true, needsRehash: false });
    expect(await hasher.verify(phc, 'Tangerine orbit 93 lampshadE')).toEqual({ valid: false, needsRehash: false });
    expect(await hasher.verify(phc, '')).toEqual({ valid: false, needsRehash: false });
  });

  it('salts: the same password hashes differently every time', async () => {
    const [a, b] = await Promise.all([hasher.hash('same'), hasher.hash('same')]);
    expect(a).not.toBe(b);
    expect((await hasher.verify(a, 'same')).valid).toBe(true);
    expect((await hasher.verify(b, 'same')).valid).toBe(true);
  });

  it('property: any password (up to 50 Unicode graphemes) round-trips', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }), async (password) => {
        const phc = await hasher.hash(password);
        expect((await hasher.verify(phc, password)).valid).toBe(true);
        expect((await hasher.verify(phc, password + 'x')).valid).toBe(false);
      }),
      { numRuns: 25 },
    );
  });
});

describe('needsRehash', () => {
  it('is set when the stored hash used other parameters, and the password still verifies', async () => {
    const phc = await hasher.hash('correct horse');
    const stronger = new PasswordHasher({ memoryCost: 2048, timeCost: 2, parallelism: 1 });
    expect(await stronger.verify(phc, 'correct horse')).toEqual({ valid: true, needsRehash: true });
    expect(await stronger.verify(phc, 'wrong horse')).toEqual({ valid: false, needsRehash: true });
    // Rehashing with the new parameters settles it.
    const rehashed = await stronger.hash('correct horse');
    expect(await stronger.verify(rehashed, 'correct horse')).toEqual({ valid: true, needsRehash: false });
  });

  it.each([
    ['memory', { ...TEST_ARGON2, memoryCost: TEST_ARGON2.memoryCost * 2 }],
    ['time', { ...TEST_ARGON2, timeCost: TEST_ARGON2.timeCost + 1 }],
    ['parallelism', { ...TEST_ARGON2, parallelism: TEST_ARGON2.parallelism + 1 }],
  ])('is set when only the %s cost differs', async (_name, params) => {
    const phc = await hasher.hash('p');
    expect(await new PasswordHasher(params).verify(phc, 'p')).toEqual({ valid: true, needsRehash: true });
  });

  it('is set for an argon2i hash even with the same costs', async () => {
    const phc = await argon2Hash('p', { ...TEST_ARGON2, algorithm: Algorithm.Argon2i });
    expect(phc.startsWith('$argon2i$')).toBe(true);
    expect(await hasher.verify(phc, 'p')).toEqual({ valid: true, needsRehash: true });
  });
});

describe('parsePhcParams', () => {
  it.each([
    ['$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g', { algorithm: 'argon2id', memoryCost: 19456, timeCost: 2, parallelism: 1 }],
    ['$argon2i$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA', { algorithm: 'argon2i', memoryCost: 65536, timeCost: 3, parallelism: 4 }],
    ['$argon2d$v=16$m=8,t=1,p=1$c2FsdA$aGFzaA', { algorithm: 'argon2d', memoryCost: 8, timeCost: 1, parallelism: 1 }],
  ])('reads %s', (phc, expected) => {
    expect(parsePhcParams(phc)).toEqual(expected);
  });

  it.each([
    '',
    'plaintext',
    '$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
    '$argon2id$m=19456,t=2,p=1$c2FsdA$aGFzaA', // no version
    '$argon2id$v=19$t=2,m=19456,p=1$c2FsdA$aGFzaA', // wrong order
    '$argon2x$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    '$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA',
    'argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    '$argon2id$v=19$m=19456,t=2,p=1', // nothing after the parameters
  ])('returns undefined for %j', (phc) => {
    expect(parsePhcParams(phc)).toBeUndefined();
  });

  it('reads what hash() writes', async () => {
    const custom = new PasswordHasher({ memoryCost: 2048, timeCost: 2, parallelism: 2 });
    expect(parsePhcParams(await custom.hash('x'))).toEqual({ algorithm: 'argon2id', memoryCost: 2048, timeCost: 2, parallelism: 2 });
  });
});

describe('malformed stored hashes', () => {
  const goodPromise = hasher.hash('secret');

  it('never verify and never throw', async () => {
    const good = await goodPromise;
    const malformed = [
      '',
      ' ',
      'secret', // a plaintext "hash" equal to the password
      '$argon2id$',
      '$argon2id$v=19$m=1024,t=1,p=1$',
      '$argon2id$v=19$m=1024,t=1,p=1$$',
      '$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$',
      '$argon2id$v=19$m=0,t=0,p=0$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
      '$argon2id$v=19$m=1024,t=1,p=1$!!!!$????',
      '$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
      good.slice(0, -5), // truncated
      good.slice(0, 30),
      good.replace('$argon2id$', '$argon2i$'), // a real hash relabelled
      good.replace('m=1024', 'm=2048'), // parameters edited after hashing
      good + 'AAAA',
      good.replace(/\$[^$]+$/, '$' + 'A'.repeat(43)), // another digest
      '\u0000' + good,
      good + '\uD800',
      'x'.repeat(100_000),
    ];
    for (const phc of malformed) {
      const result = await hasher.verify(phc, 'secret');
      expect(result.valid, JSON.stringify(phc.slice(0, 80))).toBe(false);
    }
    // A real hash with garbage around it does not verify; the original still does.
    expect((await hasher.verify(good, 'secret')).valid).toBe(true);
  });

  it('a hash that cannot be parsed always needs a rehash', async () => {
    expect(await hasher.verify('not a hash', 'secret')).toEqual({ valid: false, needsRehash: true });
  });

  it('property: arbitrary stored strings never verify and never throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc
            .tuple(fc.constantFrom('argon2id', 'argon2i', 'argon2d', 'argon2', ''), fc.string({ maxLength: 60 }))
            .map(([alg, rest]) => `$${alg}$v=19$m=1024,t=1,p=1$${rest}`),
        ),
        fc.string({ maxLength: 20 }),
        async (phc, password) => {
          const result = await hasher.verify(phc, password);
          expect(result.valid).toBe(false);
          expect(typeof result.needsRehash).toBe('boolean');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('verifyDummy', () => {
  it('returns false for any input, including the empty string', async () => {
    for (const secret of ['', 'secret', 'Tangerine orbit 93 lampshade', '\uD800', 'x'.repeat(1024)]) {
      await expect(hasher.verifyDummy(secret)).resolves.toBe(false);
    }
  });

  it('does the work of a real verification (it is not an instant "false")', async () => {
    // Heavier parameters make the difference measurable: a real verify takes milliseconds.
    const heavy = new PasswordHasher({ memoryCost: 8192, timeCost: 3, parallelism: 1 });
    await heavy.verifyDummy('warm-up'); // the dummy hash is built lazily at construction
    const started = performance.now();
    for (let i = 0; i < 5; i++) expect(await heavy.verifyDummy(`guess ${i}`)).toBe(false);
    const perCall = (performance.now() - started) / 5;
    expect(perCall).toBeGreaterThan(1); // ms; a no-op would be ~0.01 ms
  });
});
