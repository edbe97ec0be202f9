import type { RecoveryMethod } from '../../../src/recorder/api/recovery-methods.js';
import { ReservedEmailStep, ReservedPhoneStep } from './ReservedContactStep.js';
import { ResetButtonStep } from './ResetButtonStep.js';
import { RecoveryKeyStep } from './RecoveryKeyStep.js';
import { SecurityQuestionsStep } from './SecurityQuestionsStep.js';
import type { RecoveryStep } from './types.js';
import { VendorSupportStep } from './VendorSupportStep.js';
import { CloudStep } from './CloudStep.js';

/** The paths the browser wizard knows. */
export const RECOVERY_STEPS: Partial<Record<RecoveryMethod, RecoveryStep>> = {
  email: { title: 'Code to my reserved email', needs: 'Access to the mailbox you reserved for recovery.', Component: ReservedEmailStep },
  phone: { title: 'Code to my reserved phone', needs: 'The phone whose number you reserved for recovery.', Component: ReservedPhoneStep },
  resetButton: {
    title: 'Reset button and label code',
    needs: 'You are at the recorder: press its reset button briefly, then type the label code from its sticker.',
    Component: ResetButtonStep,
  },
  securityQuestions: {
    title: 'Answer your security questions',
    needs: 'The answers to the three questions you chose (from your local network), and your authenticator app or a recovery code if you use two-step login.',
    Component: SecurityQuestionsStep,
  },
  recoveryKey: {
    title: 'Use your recovery key file',
    needs: 'The recovery key file you downloaded and kept (for example on a USB stick).',
    Component: RecoveryKeyStep,
  },
  vendorSupport: {
    title: 'Vendor support',
    needs: "The vendor's support desk checks that the recorder is yours and sends a response file (it works for 48 hours).",
    Component: VendorSupportStep,
  },
  cloud: {
    title: 'My cloud account',
    needs: 'A phone or computer with internet where you can log in to the Vigil cloud account this recorder is bound to (with two-step login if it has it).',
    Component: CloudStep,
  },
};
