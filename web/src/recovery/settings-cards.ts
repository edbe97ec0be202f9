import type { ComponentType } from 'react';
import type { Me } from '../api.js';
import { ReservedContactCard } from './ReservedContactCard.js';
import { SmsGatewayCard } from './SmsGatewayCard.js';
import { RecoveryKeyCard } from './RecoveryKeyCard.js';
import { SecurityQuestionsCard } from './SecurityQuestionsCard.js';
import { DeviceResetCard } from './DeviceResetCard.js';
import { VendorKeyCard } from './VendorKeyCard.js';
import { CloudResetCard } from './CloudResetCard.js';
import { CloudBindingCard } from './CloudBindingCard.js';

/** One card of the Recovery settings page: set up (or replace) one recovery path for your own admin account. */
export interface RecoverySettingsCard {
  id: string;
  Card: ComponentType<{ me: Me }>;
}

/** The cards in the order the page shows them. */
export const RECOVERY_SETTINGS_CARDS: RecoverySettingsCard[] = [
  // The strong path first: it is the one to set up if only one is.
  { id: 'recovery-key', Card: RecoveryKeyCard },
  { id: 'reserved-contacts', Card: ReservedContactCard },
  { id: 'security-questions', Card: SecurityQuestionsCard },
  { id: 'sms-gateway', Card: SmsGatewayCard },
  { id: 'vendor-support', Card: VendorKeyCard },
  { id: 'cloud-reset', Card: CloudResetCard },
  { id: 'cloud-binding', Card: CloudBindingCard },
  // Last: the danger zone comes after every card that sets something up.
  { id: 'device-reset', Card: DeviceResetCard },
];
