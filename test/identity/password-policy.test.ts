import { describe, expect, it, beforeAll } from 'vitest';
import fc from 'fast-check';
import { dictionary } from '@zxcvbn-ts/language-common';
import { translations } from '@zxcvbn-ts/language-en';
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PRODUCT_NAME,
  evaluatePassword,
  normalizePassword,
  type PasswordContext,
  type PasswordVerdict,
} from '../../src/identity/passwords/policy.js';

const codes = (v: PasswordVerdict) => v.reasons.map((r) => r.code);

// Deterministic, high-entropy filler so length tests aren't tripped up by guessability.
function randomish(length: number, alphabet: string[]): string {
  let seed = 0x2f6b3a1d;
  let out = '';
  for (let i = 0; i < length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    out += alphabet[(seed >>> 8) % alphabet.length];
  }
  return out;
}
const ASCII = [...'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#$%&*+-=?@^_~'];

beforeAll(async () => {
  await evaluatePassword('warm-up'); // first call loads zxcvbn dictionaries
});

describe('constants', () => {
  it('match the policy', () => {
    expect(PRODUCT_NAME).toBe('Vigil');
    expect(PASSWORD_MIN_LENGTH).toBe(8);
    expect(PASSWORD_MAX_LENGTH).toBe(128);
  });
});

describe('normalizePassword', () => {
  it('composes to NFC', () => {
    expect(normalizePassword('e\u0301')).toBe('\u00e9');
    expect(normalizePassword('\u00e9')).toBe('\u00e9');
  });
});

describe('length', () => {
  it('rejects empty and short passwords with too_short first', async () => {
    for (const pw of ['', 'a', 'zq8#Lm2']) {
      const v = await evaluatePassword(pw);
      expect(codes(v)[0]).toBe('too_short');
      expect(v.reasons[0]?.message).toBe('Use at least 8 characters');
      expect(v.accepted).toBe(false);
      expect(v.level).toBe('risky');
    }
  });

  it('accepts a strong password of exactly 8 ASCII characters as far as length goes', async () => {
    const v = await evaluatePassword('kT9$wQ2!');
    expect(codes(v)).not.toContain('too_short');
  });

  it('counts code points, not UTF-16 units', async () => {
    // 7 code points but 11 UTF-16 units.
    const seven = '\u{1F511}\u{1F40D}\u{1F9ED}\u{1F680}zq#';
    expect(seven.length).toBe(11);
    expect(codes(await evaluatePassword(seven))).toContain('too_short');

    const eight = '\u{1F511}\u{1F40D}\u{1F9ED}\u{1F680}zq#7';
    expect(codes(await evaluatePassword(eight))).not.toContain('too_short');
  });

  it('counts after NFC normalisation (e + combining acute is one character)', async () => {
    // 11 code points as typed, 7 after NFC.
    const decomposed = 'Zq#' + 'e\u0301'.repeat(4);
    expect([...decomposed].length).toBe(11);
    expect(codes(await evaluatePassword(decomposed))).toContain('too_short');

    // 9 code points as typed, exactly 8 after NFC.
    const eight = 'Zq#7\u00e9\u00e9' + 'e\u0301' + '\u{1F511}';
    expect([...eight.normalize('NFC')].length).toBe(8);
    expect(codes(await evaluatePassword(eight))).not.toContain('too_short');
  });

  it('accepts 128 code points and rejects 129', async () => {
    const max = randomish(PASSWORD_MAX_LENGTH, ASCII);
    const ok = await evaluatePassword(max);
    expect(ok.reasons).toEqual([]);
    expect(ok.accepted).toBe(true);

    const tooLong = await evaluatePassword(max + 'x');
    expect(codes(tooLong)).toEqual(['too_long']);
    expect(tooLong.reasons[0]?.message).toBe('Use at most 128 characters');
    expect(tooLong.accepted).toBe(false);
    expect(tooLong.level).toBe('risky');
  });

  it('measures the maximum in code points too (128 astral characters = 256 units)', async () => {
    const emoji = [...Array(64)].map((_, i) => String.fromCodePoint(0x1f400 + i));
    const max = randomish(PASSWORD_MAX_LENGTH, emoji);
    expect(max.length).toBe(256);
    expect(codes(await evaluatePassword(max))).not.toContain('too_long');
    expect(codes(await evaluatePassword(max + '\u{1F511}'))).toContain('too_long');
  });
});

describe('common passwords', () => {
  it('rejects top passwords', async () => {
    for (const pw of ['password', '123456789', 'qwertyuiop', 'iloveyou1', 'football', 'sunshine']) {
      const v = await evaluatePassword(pw);
      expect(codes(v), pw).toContain('common_password');
      expect(v.reasons.find((r) => r.code === 'common_password')?.message).toBe(
        'This is one of the most common passwords',
      );
      expect(v.level).toBe('risky');
    }
  });

  it('compares case-insensitively', async () => {
    for (const pw of ['PassWord', 'QWERTYuiop', 'ILOVEYOU1']) {
      expect(codes(await evaluatePassword(pw)), pw).toContain('common_password');
    }
  });

  it('uses exactly the first 10,000 entries of the ranked list', async () => {
    const ranked = dictionary['passwords-common'];
    const last = ranked[9_999]!;
    const next = ranked[10_000]!;
    expect([...last].length).toBeGreaterThanOrEqual(8);
    expect([...next].length).toBeGreaterThanOrEqual(8);
    expect(codes(await evaluatePassword(last))).toContain('common_password');
    expect(codes(await evaluatePassword(next))).not.toContain('common_password');
  });
});

describe('context words', () => {
  const cases: Array<[string, PasswordContext, string]> = [
    ['zq8#alice!Lm2', { username: 'alice' }, 'contains_username'],
    ['zq8#ecila!Lm2', { username: 'alice' }, 'contains_username'],
    ['zq8#ALiCe!Lm2', { username: 'Alice' }, 'contains_username'],
    ['zq8#bob!Lm2vR', { username: 'bob' }, 'contains_username'],
    ['zq8#SN12345!Lm2', { serial: 'sn12345' }, 'contains_serial'],
    ['zq8#54321ns!Lm2', { serial: 'SN12345' }, 'contains_serial'],
    ['zq8#vx200!Lm2', { model: 'VX200' }, 'contains_model'],
    ['zq8#002xv!Lm2', { model: 'VX200' }, 'contains_model'],
    ['zq8#vIgIL!Lm2', {}, 'contains_product_name'],
    ['zq8#LIGIV!Lm2', {}, 'contains_product_name'],
  ];
  it.each(cases)('rejects %s with %o', async (pw, context, code) => {
    const v = await evaluatePassword(pw, context);
    expect(codes(v)).toContain(code);
    expect(v.accepted).toBe(false);
    expect(v.level).toBe('risky');
  });

  it('has actionable messages', async () => {
    const v = await evaluatePassword('alice-sn12345-vx200-vigil', { username: 'alice', serial: 'sn12345', model: 'vx200' });
    expect(v.reasons.find((r) => r.code === 'contains_username')?.message).toBe(
      "Don't include your username (also reversed)",
    );
    expect(v.reasons.find((r) => r.code === 'contains_serial')?.message).toMatch(/serial number/);
    expect(v.reasons.find((r) => r.code === 'contains_model')?.message).toMatch(/model/);
    expect(v.reasons.find((r) => r.code === 'contains_product_name')?.message).toMatch(/product name/);
  });

  it('matches context words after NFC normalisation', async () => {
    const v = await evaluatePassword('zq8#jos\u00e9!Lm2', { username: 'Jose\u0301' });
    expect(codes(v)).toContain('contains_username');
  });

  it('ignores context values shorter than 3 characters', async () => {
    const v = await evaluatePassword('zq8#al!Lm2vR7@x', { username: 'al', serial: '2v', model: 'Lm' });
    expect(v.reasons).toEqual([]);
    expect(v.accepted).toBe(true);
  });

  it('does not strip anything from context values', async () => {
    // " bob" (with the space) is not in the password, so it must not match "bob".
    const v = await evaluatePassword('zq8#bob!Lm2vR', { username: ' bob' });
    expect(codes(v)).not.toContain('contains_username');
  });

  it('passes the username to zxcvbn as a user input (catches l33t variants)', async () => {
    const pw = 'Gr1mbl3wick9';
    const without = await evaluatePassword(pw);
    expect(without.accepted).toBe(true);
    const withUser = await evaluatePassword(pw, { username: 'grimblewick' });
    expect(codes(withUser)).toEqual(['too_guessable']);
    expect(withUser.score).toBeLessThan(without.score);
  });

  it('passes the product name to zxcvbn as a user input', async () => {
    // Scores 3 without "vigil" as a user input; l33t keeps it out of the substring rule.
    const v = await evaluatePassword('V1g1l#42x');
    expect(codes(v)).toEqual(['too_guessable']);
  });
});

describe('guessability and levels', () => {
  it('accepts a strong passphrase', async () => {
    const v = await evaluatePassword('correct horse battery staple orbit');
    expect(v.reasons).toEqual([]);
    expect(v.accepted).toBe(true);
    expect(['medium', 'strong']).toContain(v.level);
  });

  it('maps scores to levels', async () => {
    const expectations: Array<[string, PasswordVerdict['score'], string, boolean]> = [
      ['aaaaaaaaaaaa', 0, 'risky', false],
      ['hunter22', 1, 'risky', false],
      ['coffee mug', 2, 'weak', false],
      ['summer tulip', 3, 'medium', true],
      ['blue garden 7', 4, 'strong', true],
    ];
    for (const [pw, score, level, accepted] of expectations) {
      const v = await evaluatePassword(pw);
      expect({ pw, score: v.score, level: v.level, accepted: v.accepted }).toEqual({ pw, score, level, accepted });
      expect(codes(v)).toEqual(accepted ? [] : ['too_guessable']);
    }
  });

  it('is risky whenever a hard rule fails, even with a top score', async () => {
    const v = await evaluatePassword('zq8#vigil!Lm2vR7@x');
    expect(v.score).toBe(4);
    expect(v.level).toBe('risky');
    expect(codes(v)).toEqual(['contains_product_name']);
  });

  it('explains guessability without composition rules', async () => {
    const v = await evaluatePassword('aaaaaaaaaaaa');
    const message = v.reasons.find((r) => r.code === 'too_guessable')?.message ?? '';
    expect(message.length).toBeGreaterThan(0);
    expect(message).not.toMatch(/must contain|digit|number|symbol|uppercase/i);
    // An all-lowercase passphrase without digits or symbols is fine.
    expect((await evaluatePassword('purple monkey dishwasher')).accepted).toBe(true);
  });

  it('lists reasons in a stable order: length, common, context words, guessability', async () => {
    const v = await evaluatePassword('abc123', { username: 'abc', serial: '123', model: 'c12' });
    expect(codes(v)).toEqual([
      'too_short',
      'common_password',
      'contains_username',
      'contains_serial',
      'contains_model',
      'too_guessable',
    ]);
    const long = await evaluatePassword('vigil' + 'a'.repeat(130), { model: 'aaa' });
    expect(codes(long)).toEqual(['too_long', 'contains_model', 'contains_product_name', 'too_guessable']);
  });
});

describe('properties', () => {
  const slow = { timeout: 60_000 };
  const unicode = fc.string({ unit: 'binary', maxLength: 200 });
  const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n));
  const withLoneSurrogates = fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), loneSurrogate), maxLength: 200 });
  const anyContext = fc.record(
    { username: fc.string({ unit: 'binary' }), serial: fc.string(), model: withLoneSurrogates },
    { requiredKeys: [] },
  );

  it('never throws and always returns a consistent verdict', slow, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), unicode, withLoneSurrogates), anyContext, async (pw, context) => {
        const v = await evaluatePassword(pw, context);
        expect([0, 1, 2, 3, 4]).toContain(v.score);
        expect(v.accepted).toBe(v.reasons.length === 0);
        const hard = v.reasons.some((r) => r.code !== 'too_guessable');
        const expectedLevel = hard || v.score <= 1 ? 'risky' : (['weak', 'medium', 'strong'] as const)[v.score - 2];
        expect(v.level).toBe(expectedLevel);
        expect(codes(v).includes('too_guessable')).toBe(v.score < 3);
      }),
    );
  });

  it('handles lone surrogates explicitly', async () => {
    for (const pw of ['\ud800', '\udfff\ud800abcdefgh', 'abc\ud83dxyz12345', '\ud800'.repeat(300)]) {
      await expect(evaluatePassword(pw, { username: '\udc00ab\ud800' })).resolves.toHaveProperty('level');
    }
  });

  it('never echoes the password in a reason', slow, async () => {
    // Every message is one of these texts or a zxcvbn English feedback string; an input
    // that happens to be a substring of them cannot tell an echo from a coincidence.
    const known = [
      ...Object.values(translations.warnings),
      ...Object.values(translations.suggestions),
      'Add another word or two; uncommon words are better',
    ];
    for (const v of await Promise.all(
      ['', 'x'.repeat(200), 'password', 'abc123', 'vigil'].map((pw) =>
        evaluatePassword(pw, { username: 'abc', serial: '123', model: 'c12' }),
      ),
    )) {
      known.push(...v.reasons.map((r) => r.message));
    }
    const corpus = known.join('\n');

    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ minLength: 4 }), fc.string({ unit: 'binary', minLength: 4 })), async (pw) => {
        fc.pre(!corpus.includes(pw) && !corpus.includes(pw.normalize('NFC')));
        const v = await evaluatePassword(pw, { username: pw.slice(0, 3) });
        for (const r of v.reasons) {
          expect(r.message).not.toContain(pw);
          expect(r.message).not.toContain(pw.normalize('NFC'));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never echoes realistic passwords, including ones that fail every rule', async () => {
    for (const pw of ['hunter22', 'Password1', 'aaaaaaaaaaaa', 'zq8#alice!Lm2', 'Gr1mbl3wick9']) {
      const v = await evaluatePassword(pw, { username: 'alice', serial: 'grimblewick' });
      expect(v.reasons.length).toBeGreaterThan(0);
      for (const r of v.reasons) expect(r.message.toLowerCase()).not.toContain(pw.toLowerCase());
    }
  });
});
