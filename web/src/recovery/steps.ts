import type { RecoveryMethod } from '../../../src/recorder/recovery/methods.js';
import type { RecoveryStep } from './types.js';

/** The paths the browser wizard knows, in the order it offers them (weakest evidence first). */
export const RECOVERY_STEPS: Partial<Record<RecoveryMethod, RecoveryStep>> = {};
