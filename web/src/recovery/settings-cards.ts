import type { ComponentType } from 'react';
import type { RecoveryCardProps } from './recovery-card-props.js';
import { ReservedContactCard } from './ReservedContactCard.js';
import { SmsGatewayCard } from './SmsGatewayCard.js';
import { RecoveryKeyCard } from './RecoveryKeyCard.js';
import { SecurityQuestionsCard } from './SecurityQuestionsCard.js';
import { DeviceResetCard } from './DeviceResetCard.js';
import { VendorKeyCard } from './VendorKeyCard.js';
import { CloudResetCard } from './CloudResetCard.js';
import { CloudBindingCard } from './CloudBindingCard.js';

/**
 * One card of the Recovery settings page: set up (or replace) one recovery path for your own admin
 * account. The page shows it collapsed under `title`, with `state` beside it when the readiness
 * check says something about this path.
 */
export interface RecoverySettingsCard {
  id: string;
  title: string;
  state?: (configured: readonly string[]) => string;
  Card: ComponentType<RecoveryCardProps>;
}

const isSet = (method: string) => (configured: readonly string[]) => (configured.includes(method) ? 'Set up' : 'Not set up');

function contactState(configured: readonly string[]): string {
  const email = configured.includes('email');
  const phone = configured.includes('phone');
  return email && phone ? 'Email and phone set up' : email ? 'Email set up' : phone ? 'Phone set up' : 'Not set up';
}

/** The cards in the order the page shows them. */
export const RECOVERY_SETTINGS_CARDS: RecoverySettingsCard[] = [
  // The strong path first: it is the one to set up if only one is.
  { id: 'recovery-key', title: 'Recovery key file', state: isSet('recoveryKey'), Card: RecoveryKeyCard },
  { id: 'reserved-contacts', title: 'Reserved email and phone', state: contactState, Card: ReservedContactCard },
  { id: 'security-questions', title: 'Security questions', state: isSet('securityQuestions'), Card: SecurityQuestionsCard },
  { id: 'sms-gateway', title: 'SMS gateway', Card: SmsGatewayCard },
  {
    id: 'vendor-support',
    title: 'Vendor support',
    state: (configured) => (configured.includes('vendorSupport') ? 'Vendor key installed' : 'No vendor key'),
    Card: VendorKeyCard,
  },
  { id: 'cloud-reset', title: 'Cloud reset waiting period', Card: CloudResetCard },
  { id: 'cloud-binding', title: 'Cloud account', state: (configured) => (configured.includes('cloud') ? 'Bound' : 'Not bound'), Card: CloudBindingCard },
  // Last: the danger zone comes after every card that sets something up.
  { id: 'device-reset', title: 'Restore defaults or factory reset', Card: DeviceResetCard },
];
