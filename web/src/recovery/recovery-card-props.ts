import type { Me } from '../api.js';

/** What a card is given: `onChanged` after it set up, replaced or removed a path, so the page's readiness follows. */
export interface RecoveryCardProps {
  me: Me;
  onChanged: () => void;
}
