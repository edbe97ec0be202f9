import type { SecurityEventLog } from '../audit/security-event.js';
import { loginAccount, startedLockDetails, type LockoutAccountRecord, type LoginClient, type LoginLockout } from '../lockout/login-lockout.js';
import type { SecondStepLockout } from './second-factor.js';

/**
 * The login lockout as the second step of a login asks it: wrong second factors count in the same
 * per-(account, client) lockout as wrong passwords, and the locks they start are audited. The part
 * says what a client is (`clientOf`: an address, or a device cookie it trusts).
 */
export function secondStepLockoutOf<A extends LockoutAccountRecord>(
  lockout: Pick<LoginLockout, 'gate' | 'reserve' | 'succeeded' | 'policy'>,
  audit: SecurityEventLog,
  clientOf: (account: A, attempt: { sourceIp: string; deviceCookie?: string }) => LoginClient,
): SecondStepLockout<A> {
  return {
    async attempt(record, attempt) {
      const account = loginAccount(record, record.username);
      const client = clientOf(record, attempt);
      const gate = await lockout.gate(account, client);
      return {
        gate: gate.verdict === 'client_locked' ? { verdict: 'locked', retryAfterSeconds: gate.retryAfterSeconds } : { verdict: gate.verdict === 'open' ? 'open' : 'closed' },
        async succeeded() {
          await lockout.succeeded(account, client);
        },
        async failed(checkedProof) {
          const locks = await lockout.reserve(account, client, checkedProof);
          if (locks.verdict === 'client_locked') return;
          for (const details of startedLockDetails(client, locks, lockout.policy)) {
            audit.append({ type: 'auth.lockout', outcome: 'info', sourceIp: attempt.sourceIp, target: account.target, details });
          }
        },
      };
    },
  };
}
