import { normalizeCrockford, randomCrockford } from '../../shared/crockford.js';

/**
 * Recovery codes: 10 per user, each 10 symbols of Crockford base32 (50 bits) shown as two groups
 * of five, "K7Q2M-9XD4T". Easy to read off paper and type; far too many to guess within the login
 * throttle, and stored only as keyed hashes.
 */
export const RECOVERY_CODE_COUNT = 10;
const SYMBOLS = 10;

export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const symbols = randomCrockford(SYMBOLS);
    return `${symbols.slice(0, 5)}-${symbols.slice(5)}`;
  });
}

export function normalizeRecoveryCode(input: string): string | undefined {
  return normalizeCrockford(input, SYMBOLS);
}
