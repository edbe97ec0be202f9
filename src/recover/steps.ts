import type { RecoveryMethod } from '../recorder/api/recovery-methods.js';
import { reservedEmailStep, reservedPhoneStep } from './steps/reserved-contact.js';
import { resetButtonStep } from './steps/reset-button.js';
import { recoveryKeyStep } from './steps/recovery-key.js';
import { securityQuestionsStep } from './steps/security-questions.js';
import { vendorSupportStep } from './steps/vendor-support.js';
import { cloudStep } from './steps/cloud.js';
import type { TerminalRecoveryStep } from './types.js';

/** The paths the terminal wizard knows; it offers them in RECOVERY_OFFER_ORDER. */
export const TERMINAL_STEPS: Partial<Record<RecoveryMethod, TerminalRecoveryStep>> = {
  email: reservedEmailStep,
  phone: reservedPhoneStep,
  resetButton: resetButtonStep,
  securityQuestions: securityQuestionsStep,
  recoveryKey: recoveryKeyStep,
  vendorSupport: vendorSupportStep,
  cloud: cloudStep,
};
