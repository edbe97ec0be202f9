import type { ComponentType } from 'react';
import type { ResetGrant } from '../../../src/recorder/api/recovery.js';

export type { ResetGrant };

export interface RecoveryStepProps {
  /** The admin account being recovered, as the person typed it. */
  username: string;
  /** Call with the grant once the evidence was accepted: the wizard moves on to the new password. */
  onGrant: (grant: ResetGrant) => void;
}

/** One recovery path as the wizard offers it. */
export interface RecoveryStep {
  title: string;
  /** One sentence: what the person needs for this path. */
  needs: string;
  Component: ComponentType<RecoveryStepProps>;
}
