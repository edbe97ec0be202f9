import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { AttemptThrottle } from './accounts/attempt-throttle.js';
import type { PasswordHasher } from './accounts/password-hash.js';
import type { SessionLifetime } from './accounts/session-policy.js';
import type { RecorderStore } from './db/store.js';

/** What the recorder's services share: one per running daemon (or per test server). */
export interface RecorderContext {
  store: RecorderStore;
  clock: Clock;
  hasher: PasswordHasher;
  logger: Logger;
  sessionLifetime: SessionLifetime;
  /** Failed logins and activations per source address, checked before any hashing. */
  sourceThrottle: AttemptThrottle;
  firmwareVersion: string;
}
