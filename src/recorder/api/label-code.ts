import { normalizeCrockford } from '../../shared/crockford.js';

/**
 * The label code is printed on the device's sticker and proves physical possession.
 * 16 symbols of Crockford base32 = 80 bits, shown in groups of four: easy to read out and type.
 * Here, in the API, because the cloud reads typed label codes too (binding).
 */
export const LABEL_CODE_SYMBOLS = 16;

/** Canonical form of a typed label code, or undefined when it cannot be one (see normalizeCrockford). */
export function normalizeLabelCode(input: string): string | undefined {
  return normalizeCrockford(input, LABEL_CODE_SYMBOLS);
}
