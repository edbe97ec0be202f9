import type { RecoveryMethod } from '../recorder/recovery/methods.js';
import { vendorSupportStep } from './steps/vendor-support.js';
import type { TerminalRecoveryStep } from './types.js';

/** The paths the terminal wizard knows, in the order it offers them (weakest evidence first). */
export const TERMINAL_STEPS: Partial<Record<RecoveryMethod, TerminalRecoveryStep>> = {
  vendorSupport: vendorSupportStep,
};
