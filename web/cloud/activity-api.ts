// The account's own security events (GET /api/v1/account/audit), newest first, a page at a time.
import { call } from './api.js';

export interface AccountEvent {
  seq: number;
  at: string;
  type: string;
  outcome: string;
  sourceIp: string | null;
  details: Record<string, unknown>;
}

export interface ActivityPage {
  events: AccountEvent[];
  /** The `before` of the next, older page; null at the end. */
  next: number | null;
}

export const listActivity = (before: number | null) => call<ActivityPage>('GET', `/account/audit${before === null ? '' : `?before=${before}`}`);
