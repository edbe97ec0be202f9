import type { RecorderContext } from '../context.js';
import type { RecoveryMethod } from '../api/recovery-methods.js';

/**
 * Whether each path is set up on this recorder (for any admin). Booleans only: which address or
 * which questions is nobody's business before they log in.
 */
const IS_CONFIGURED: Record<RecoveryMethod, (ctx: RecorderContext) => boolean> = {
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
  // The cloud service is a later issue: no recorder can be bound to an account yet.
  cloud: () => false,
};

export function configuredRecoveryMethods(ctx: RecorderContext): Record<RecoveryMethod, boolean> {
  return Object.fromEntries(Object.entries(IS_CONFIGURED).map(([method, check]) => [method, check(ctx)])) as Record<RecoveryMethod, boolean>;
}
