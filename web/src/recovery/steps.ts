import type { RecoveryMethod } from '../../../src/recorder/recovery/methods.js';
import { ReservedEmailStep, ReservedPhoneStep } from './ReservedContactStep.js';
import type { RecoveryStep } from './types.js';

/** The paths the browser wizard knows, in the order it offers them (weakest evidence first). */
export const RECOVERY_STEPS: Partial<Record<RecoveryMethod, RecoveryStep>> = {
  email: { title: 'Code to my reserved email', needs: 'Access to the mailbox you reserved for recovery.', Component: ReservedEmailStep },
  phone: { title: 'Code to my reserved phone', needs: 'The phone whose number you reserved for recovery.', Component: ReservedPhoneStep },
};
