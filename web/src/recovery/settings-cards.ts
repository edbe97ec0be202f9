import type { ComponentType } from 'react';
import type { Me } from '../api.js';
import { RecoveryKeyCard } from './RecoveryKeyCard.js';
import { SecurityQuestionsCard } from './SecurityQuestionsCard.js';
import { DeviceResetCard } from './DeviceResetCard.js';

/** One card of the Recovery settings page: set up (or replace) one recovery path for your own admin account. */
export interface RecoverySettingsCard {
  id: string;
  Card: ComponentType<{ me: Me }>;
}

/** The cards in the order the page shows them. */
export const RECOVERY_SETTINGS_CARDS: RecoverySettingsCard[] = [
  { id: 'recovery-key', Card: RecoveryKeyCard },
  { id: 'security-questions', Card: SecurityQuestionsCard },
  // Last: the danger zone comes after every card that sets something up.
  { id: 'device-reset', Card: DeviceResetCard },
];
