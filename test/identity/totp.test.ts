import { describe, expect, it } from 'vitest';
import { base32Encode, hotp, matchTotpStep, otpauthUri, STANDARD_TOTP, timeStep, totpAt, type TotpAlgorithm } from '../../src/identity/two-factor/totp.js';

// RFC 6238 appendix B: the seeds are ASCII "1234567890" repeated to the hash's block-ish length.
const SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from('12345678901234567890', 'ascii'),
  sha256: Buffer.from('12345678901234567890123456789012', 'ascii'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii'),
};

const RFC_6238_VECTORS: [number, TotpAlgorithm, string][] = [
  [59, 'sha1', '94287082'],
  [59, 'sha256', '46119246'],
  [59, 'sha512', '90693936'],
  [1111111109, 'sha1', '07081804'],
  [1111111109, 'sha256', '68084774'],
  [1111111109, 'sha512', '25091201'],
  [1111111111, 'sha1', '14050471'],
  [1111111111, 'sha256', '67062674'],
  [1111111111, 'sha512', '99943326'],
  [1234567890, 'sha1', '89005924'],
  [1234567890, 'sha256', '91819424'],
  [1234567890, 'sha512', '93441116'],
  [2000000000, 'sha1', '69279037'],
  [2000000000, 'sha256', '90698825'],
  [2000000000, 'sha512', '38618901'],
  [20000000000, 'sha1', '65353130'],
  [20000000000, 'sha256', '77737706'],
  [20000000000, 'sha512', '47863826'],
];

describe('TOTP (RFC 6238)', () => {
  it('has the 20-, 32- and 64-byte seeds of the RFC', () => {
    expect([SEEDS.sha1.length, SEEDS.sha256.length, SEEDS.sha512.length]).toEqual([20, 32, 64]);
  });

  it.each(RFC_6238_VECTORS)('at %i s with %s the 8-digit code is %s', (seconds, algorithm, expected) => {
    const params = { algorithm, digits: 8, periodSeconds: 30 };
    expect(totpAt(SEEDS[algorithm], seconds * 1000, params)).toBe(expected);
    expect(matchTotpStep(SEEDS[algorithm], expected, seconds * 1000, params)).toBe(timeStep(seconds * 1000, params));
  });

  it('passes RFC 4226 appendix D (HOTP) for the first counters', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, counter) => hotp(SEEDS.sha1, counter, 'sha1', 6))).toEqual(expected);
  });

  describe('window', () => {
    const secret = SEEDS.sha1;
    const now = 1_700_000_015_000; // 15 s into a step
    const step = timeStep(now);
    const codeOf = (s: number) => hotp(secret, s, 'sha1', 6);

    it.each([
      ['the current step', 0, 0],
      ['the previous step', -1, -1],
      ['the next step', 1, 1],
    ])('accepts %s and says which step matched', (_name, offset, matched) => {
      expect(matchTotpStep(secret, codeOf(step + offset), now)).toBe(step + matched);
    });

    it.each([-3, -2, 2, 3])('refuses the code of step %i from now', (offset) => {
      // A code equal to one inside the window would make this test wrong, not the code under test.
      const code = codeOf(step + offset);
      expect([-1, 0, 1].map((o) => codeOf(step + o))).not.toContain(code);
      expect(matchTotpStep(secret, code, now)).toBeUndefined();
    });

    it('refuses malformed codes', () => {
      for (const code of ['', '12345', '1234567', 'abcdef', `${codeOf(step)} `, ` ${codeOf(step)}`]) {
        expect(matchTotpStep(secret, code, now), JSON.stringify(code)).toBeUndefined();
      }
    });

    it('moves with the clock: 30 s later the old code is the previous step, 60 s later it is gone', () => {
      const code = totpAt(secret, now);
      expect(matchTotpStep(secret, code, now + 30_000)).toBe(step);
      expect(matchTotpStep(secret, code, now + 60_000)).toBeUndefined();
    });
  });

  it('encodes base32 as RFC 4648 (test vectors of section 10, without padding)', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, encoded] of cases) expect(base32Encode(Buffer.from(plain))).toBe(encoded);
  });

  it('builds the otpauth:// URI apps read from the QR code', () => {
    const uri = new URL(otpauthUri(SEEDS.sha1, 'Vigil', 'admin@VGL260101ABC'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Vigil:admin@VGL260101ABC');
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
      issuer: 'Vigil',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
    expect(STANDARD_TOTP).toEqual({ algorithm: 'sha1', digits: 6, periodSeconds: 30 });
  });
});

