import type { ComponentType } from 'react';
import type { Me } from '../api.js';
import { VendorKeyCard } from './VendorKeyCard.js';

/** One card of the Recovery settings page: set up (or replace) one recovery path for your own admin account. */
export interface RecoverySettingsCard {
  id: string;
  Card: ComponentType<{ me: Me }>;
}

/** The cards in the order the page shows them. */
export const RECOVERY_SETTINGS_CARDS: RecoverySettingsCard[] = [{ id: 'vendor-support', Card: VendorKeyCard }];
