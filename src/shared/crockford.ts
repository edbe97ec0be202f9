import { randomBytes } from 'node:crypto';

/**
 * Crockford base32: the alphabet for codes people read off a sticker or paper and type back.
 * No I, L, O or U, so nothing looks like a digit or spells words by accident.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function randomCrockford(symbols: number): string {
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  return [...randomBytes(symbols)].map((b) => ALPHABET[b % 32]!).join('');
}

/**
 * Canonical form of what a person typed: case, spaces and dashes do not matter, and the letters
 * the alphabet leaves out because they look like digits (O, I, L) count as those digits.
 * Returns undefined when it cannot be a code of `symbols` symbols at all.
 */
export function normalizeCrockford(input: string, symbols: number): string | undefined {
  const compact = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (compact.length !== symbols) return undefined;
  for (const ch of compact) if (!ALPHABET.includes(ch)) return undefined;
  return compact;
}
