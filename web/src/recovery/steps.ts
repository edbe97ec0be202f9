import type { RecoveryMethod } from '../../../src/recorder/recovery/methods.js';
import type { RecoveryStep } from './types.js';
import { VendorSupportStep } from './VendorSupportStep.js';

/** The paths the browser wizard knows, in the order it offers them (weakest evidence first). */
export const RECOVERY_STEPS: Partial<Record<RecoveryMethod, RecoveryStep>> = {
  vendorSupport: {
    title: 'Vendor support',
    needs: "The vendor's support desk checks that the recorder is yours and sends a response file (it works for 48 hours).",
    Component: VendorSupportStep,
  },
};
