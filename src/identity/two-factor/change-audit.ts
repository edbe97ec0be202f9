import type { SecurityEvent, SecurityEventLog } from '../audit/security-event.js';

export const actorOf = (account: { id: number; username: string }) => ({ id: account.id, username: account.username });

/** Audits a change an account made, with its password checked again: to its own factors, or to the `target` it names. */
export function auditChange(
  ctx: { audit: SecurityEventLog },
  account: { id: number; username: string },
  sourceIp: string,
  change: Pick<SecurityEvent, 'type' | 'details'>,
  target = `user:${account.id}`,
): void {
  ctx.audit.append({ ...change, outcome: 'success', actor: actorOf(account), sourceIp, target });
}
