import type { RecoveryMethod } from '../../../src/recorder/recovery/methods.js';
import { ResetButtonStep } from './ResetButtonStep.js';
import type { RecoveryStep } from './types.js';

/** The paths the browser wizard knows, in the order it offers them (weakest evidence first). */
export const RECOVERY_STEPS: Partial<Record<RecoveryMethod, RecoveryStep>> = {
  resetButton: {
    title: 'Reset button and label code',
    needs: 'You are at the recorder: press its reset button briefly, then type the label code from its sticker.',
    Component: ResetButtonStep,
  },
};
