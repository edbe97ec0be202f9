import { randomCrockford } from '../../shared/crockford.js';
import { LABEL_CODE_SYMBOLS } from '../api/label-code.js';

export { LABEL_CODE_SYMBOLS, normalizeLabelCode } from '../api/label-code.js';

export function generateLabelCode(): string {
  return randomCrockford(LABEL_CODE_SYMBOLS).match(/.{4}/g)!.join('-');
}
