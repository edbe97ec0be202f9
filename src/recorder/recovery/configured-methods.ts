import type { SmsGateway } from '../../identity/senders/sms-gateway.js';
import type { RecoveryMethod } from '../api/recovery-methods.js';
import type { RecoveryKeyStore } from '../db/recovery-key-store.js';
import type { ReservedContactStore } from '../db/reserved-contact-store.js';
import type { SecurityQuestionsStore } from '../db/security-questions-store.js';
import type { MailService } from '../mail/mail-service.js';
import type { VendorSupport } from './vendor-support-keys.js';
import type { CloudDeviceSecret } from './cloud-offline.js';

/** What tells whether each path is set up. */
export interface RecoverySetup {
  mail: Pick<MailService, 'isEnabled'>;
  reservedContacts: { store: Pick<ReservedContactStore, 'anyAdminVerified'>; sms: Pick<SmsGateway, 'isEnabled'> };
  securityQuestions: Pick<SecurityQuestionsStore, 'anyAdminHasQuestions'>;
  recoveryKeys: Pick<RecoveryKeyStore, 'anyAdminHasUnusedKey'>;
  vendorSupport: Pick<VendorSupport, 'vendorKey'>;
  cloudBinding: CloudDeviceSecret;
}

/**
 * Whether each path is set up on this recorder (for any admin). Booleans only: which address or
 * which questions is nobody's business before they log in.
 */
const IS_CONFIGURED: Record<RecoveryMethod, (ctx: RecoverySetup) => boolean> = {
  // Only a verified address counts, and only while the recorder can send to it.
  email: (ctx) => ctx.mail.isEnabled() && ctx.reservedContacts.store.anyAdminVerified('email'),
  phone: (ctx) => ctx.reservedContacts.sms.isEnabled() && ctx.reservedContacts.store.anyAdminVerified('phone'),
  securityQuestions: (ctx) => ctx.securityQuestions.anyAdminHasQuestions(),
  // A used key file is spent: the path is back once a new file is exported.
  recoveryKey: (ctx) => ctx.recoveryKeys.anyAdminHasUnusedKey(),
  // The board's button is always there; using it needs the label code from the sticker.
  resetButton: () => true,
  // Set up at init, when the vendor's public key was given: responses from support are checked against it.
  vendorSupport: (ctx) => ctx.vendorSupport.vendorKey !== null,
  // Bound to a cloud account, with a secret that still opens (a replaced settings key loses it):
  // the owner's account can then vouch for them, online or by the offline challenge.
  cloud: (ctx) => ctx.cloudBinding.deviceSecret() !== undefined,
};

export function configuredRecoveryMethods(ctx: RecoverySetup): Record<RecoveryMethod, boolean> {
  return Object.fromEntries(Object.entries(IS_CONFIGURED).map(([method, check]) => [method, check(ctx)])) as Record<RecoveryMethod, boolean>;
}
