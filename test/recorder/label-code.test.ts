import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateLabelCode, LABEL_CODE_SYMBOLS, normalizeLabelCode } from '../../src/recorder/device/label-code.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const FORMAT = /^[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

describe('generateLabelCode', () => {
  it('is 4 groups of 4 Crockford base32 symbols (16 symbols, 80 bits)', () => {
    expect(LABEL_CODE_SYMBOLS).toBe(16);
    expect(CROCKFORD).toHaveLength(32);
    for (let i = 0; i < 200; i++) {
      const code = generateLabelCode();
      expect(code).toMatch(FORMAT);
      expect(code).toHaveLength(19);
      expect(code).not.toMatch(/[ILOU]/);
    }
  });

  it('1,000 codes are all distinct and use every symbol about equally often', () => {
    const codes = Array.from({ length: 1000 }, () => generateLabelCode());
    expect(new Set(codes).size).toBe(1000);

    const counts = new Map<string, number>();
    for (const code of codes) for (const ch of code.replace(/-/g, '')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect([...counts.keys()].sort().join('')).toBe(CROCKFORD);
    // 16,000 symbols over 32: 500 expected each, standard deviation about 22. ±150 is ~7 sigma.
    for (const [symbol, count] of counts) {
      expect(count, `symbol ${symbol}`).toBeGreaterThan(350);
      expect(count, `symbol ${symbol}`).toBeLessThan(650);
    }
    // Each position varies too (a constant position would still pass the overall count).
    for (let pos = 0; pos < 16; pos++) {
      const seen = new Set(codes.map((c) => c.replace(/-/g, '')[pos]));
      expect(seen.size, `position ${pos}`).toBeGreaterThan(28);
    }
  });
});

describe('normalizeLabelCode', () => {
  it.each([
    ['canonical form', '7K2M-9QXT-4HBD-PR3W', '7K2M9QXT4HBDPR3W'],
    ['no dashes', '7K2M9QXT4HBDPR3W', '7K2M9QXT4HBDPR3W'],
    ['lower case', '7k2m-9qxt-4hbd-pr3w', '7K2M9QXT4HBDPR3W'],
    ['mixed case, spaces instead of dashes', '7k2M 9qXt 4Hbd pR3w', '7K2M9QXT4HBDPR3W'],
    ['surrounding whitespace, tabs and newlines', '  7K2M-9QXT\t4HBD\nPR3W  ', '7K2M9QXT4HBDPR3W'],
    ['dashes in odd places', '7-K-2-M-9QXT4HBDPR3W--', '7K2M9QXT4HBDPR3W'],
    ['O and o read as 0', 'OOOO-oooo-0000-AAAA', '000000000000AAAA'],
    ['I, i, L and l read as 1', 'IiLl-1111-AAAA-BBBB', '11111111AAAABBBB'],
    ['all of the alphabet', '0123-4567-89AB-CDEF', '0123456789ABCDEF'],
    ['the rest of the alphabet', 'GHJK-MNPQ-RSTV-WXYZ', 'GHJKMNPQRSTVWXYZ'],
  ])('accepts %s', (_name, input, expected) => {
    expect(normalizeLabelCode(input)).toBe(expected);
  });

  it.each([
    ['empty', ''],
    ['only dashes and spaces', '---- ---- ----'],
    ['15 symbols', '7K2M-9QXT-4HBD-PR3'],
    ['17 symbols', '7K2M-9QXT-4HBD-PR3WX'],
    ['32 symbols', '7K2M-9QXT-4HBD-PR3W-7K2M-9QXT-4HBD-PR3W'],
    ['U (not in Crockford base32)', '7K2M-9QXT-4HBD-PR3U'],
    ['lower-case u', '7k2m-9qxt-4hbd-pr3u'],
    ['a symbol', '7K2M-9QXT-4HBD-PR3!'],
    ['an underscore', '7K2M_9QXT_4HBD_PR3W'],
    ['a dot separator', '7K2M.9QXT.4HBD.PR3W'],
    ['a full-width digit', '7K2M-9QXT-4HBD-PR3\uFF17'],
    ['a Cyrillic letter that looks Latin', '7K2M-9QXT-4HBD-PR3\u0410'],
    ['a NUL byte', '7K2M-9QXT-4HBD-PR3\u0000'],
    ['an emoji', '7K2M-9QXT-4HBD-PR\u{1F600}'],
    ['a lone surrogate', '7K2M-9QXT-4HBD-PR3\uD800'],
  ])('rejects %s', (_name, input) => {
    expect(normalizeLabelCode(input)).toBeUndefined();
  });

  it('property: never throws, and returns either undefined or 16 Crockford symbols', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc.string({ maxLength: 40 }),
          fc.string({ unit: 'grapheme', maxLength: 20 }),
          fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz- '), maxLength: 24 }),
        ),
        (input) => {
          const out = normalizeLabelCode(input);
          if (out !== undefined) expect(out).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('property: normalize(generate()) round-trips to the code without dashes', () => {
    fc.assert(
      fc.property(fc.integer(), () => {
        const code = generateLabelCode();
        const normalized = normalizeLabelCode(code);
        expect(normalized).toBe(code.replace(/-/g, ''));
        expect(normalizeLabelCode(normalized!)).toBe(normalized); // idempotent
      }),
      { numRuns: 500 },
    );
  });

  it('property: how a generated code is typed (case, spacing, O/I/L) does not matter', () => {
    const typo = fc.record({
      lower: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
      separators: fc.array(fc.constantFrom('', '-', ' ', '  ', '\t'), { minLength: 17, maxLength: 17 }),
      confusable: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
    });
    fc.assert(
      fc.property(typo, ({ lower, separators, confusable }) => {
        const canonical = generateLabelCode().replace(/-/g, '');
        const typed =
          [...canonical]
            .map((ch, i) => {
              let c = ch;
              if (confusable[i] && c === '0') c = 'O';
              if (confusable[i] && c === '1') c = i % 2 ? 'I' : 'L';
              if (lower[i]) c = c.toLowerCase();
              return separators[i] + c;
            })
            .join('') + separators[16];
        expect(normalizeLabelCode(typed)).toBe(canonical);
      }),
      { numRuns: 500 },
    );
  });

  it('property: changing any one symbol of a code to a non-alphabet character rejects it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 15 }),
        fc.constantFrom('U', 'u', '!', '*', '#', '=', '+', '/', '.', ',', 'Ä', 'ß', '€', '\u00A0\u00A0'),
        (pos, bad) => {
          const symbols = [...generateLabelCode().replace(/-/g, '')];
          symbols[pos] = bad;
          expect(normalizeLabelCode(symbols.join(''))).toBeUndefined();
        },
      ),
    );
  });
});
