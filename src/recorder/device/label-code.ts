import { randomBytes } from 'node:crypto';

/**
 * The label code is printed on the device's sticker and proves physical possession.
 * 16 symbols of Crockford base32 = 80 bits, shown in groups of four: easy to read out and type.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const LABEL_CODE_SYMBOLS = 16;

export function generateLabelCode(): string {
  const bytes = randomBytes(LABEL_CODE_SYMBOLS);
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  const symbols = [...bytes].map((b) => ALPHABET[b % 32]!).join('');
  return symbols.match(/.{4}/g)!.join('-');
}

/**
 * Canonical form of what a person typed: case, spaces and dashes do not matter, and the letters
 * Crockford base32 leaves out because they look like digits (O, I, L) count as those digits.
 * Returns undefined when it cannot be a label code at all.
 */
export function normalizeLabelCode(input: string): string | undefined {
  const compact = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (compact.length !== LABEL_CODE_SYMBOLS) return undefined;
  for (const ch of compact) if (!ALPHABET.includes(ch)) return undefined;
  return compact;
}
