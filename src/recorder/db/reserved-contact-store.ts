import type { Database } from 'better-sqlite3';
import type { SentCodeStore } from '../../identity/codes/code-store.js';
import type { SmsGatewayRecord } from '../../identity/senders/sms-gateway.js';
import type { ContactChannel } from '../api/recovery-methods.js';
import type { AuditLog } from '../audit/audit-log.js';
import { withAccountId, withUserId } from './account-id.js';
import type { RecoveryStore } from './recovery-store.js';
import type { RecorderStore } from './store.js';

export interface ReservedContactRecord {
  userId: number;
  channel: ContactChannel;
  verifiedAddress: string | null;
  verifiedAt: number | null;
  pendingAddress: string | null;
  pendingCodeHmac: string | null;
  pendingExpiresAt: number | null;
  pendingFailures: number;
}

export interface ContactRequestRecord {
  requestId: string;
  /** Set only when something was really sent to the account's address. */
  userId: number | null;
  channel: ContactChannel;
  /** Null when no code was sent (and for a hint: nothing to type back). */
  codeHmac: string | null;
  /** Where wrong codes for this request are counted (see the migration). */
  lockScope: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/** Reserved email and phone per admin, the password hint, what was sent on request, the SMS gateway. */
export interface ReservedContactStore {
  getContact(userId: number, channel: ContactChannel): ReservedContactRecord | undefined;
  /** A new address waits for its code; the verified one (if any) stays until the code arrives. */
  putPending(userId: number, channel: ContactChannel, pending: { address: string; codeHmac: string; expiresAt: number }, now: number): void;
  countPendingFailure(userId: number, channel: ContactChannel, now: number): void;
  clearPending(userId: number, channel: ContactChannel, now: number): void;
  /** The pending address becomes the verified one. */
  promotePending(userId: number, channel: ContactChannel, now: number): void;
  removeContact(userId: number, channel: ContactChannel): void;
  /** Whether any admin has a verified address on this channel. */
  anyAdminVerified(channel: ContactChannel): boolean;

  getHint(userId: number): Buffer | undefined;
  putHint(userId: number, sealed: Buffer | null, now: number): void;

  insertRequest(request: ContactRequestRecord): void;
  findRequest(requestId: string): ContactRequestRecord | undefined;
  /** Marks a live code used; false if it was used already or has expired (one conditional UPDATE decides races). */
  spendRequest(requestId: string, now: number): boolean;
  /** Codes and hints really sent to the account since then. */
  countSendsSince(userId: number, since: number): number;

  getSmsGateway(): SmsGatewayRecord | undefined;
  putSmsGateway(settings: SmsGatewayRecord, now: number): void;
}

interface ContactRow {
  user_id: number;
  channel: ContactChannel;
  verified_address: string | null;
  verified_at: number | null;
  pending_address: string | null;
  pending_code_hmac: string | null;
  pending_expires_at: number | null;
  pending_failures: number;
}

interface RequestRow {
  request_id: string;
  user_id: number | null;
  channel: ContactChannel;
  code_hmac: string | null;
  lock_scope: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export function createReservedContactStore(db: Database): ReservedContactStore {
  const q = {
    getContact: db.prepare<[number, string], ContactRow>('SELECT * FROM reserved_contacts WHERE user_id = ? AND channel = ?'),
    putPending: db.prepare(
      `INSERT INTO reserved_contacts (user_id, channel, pending_address, pending_code_hmac, pending_expires_at, pending_failures, updated_at)
       VALUES (?, ?, ?, ?, ?, 0, ?)
       ON CONFLICT (user_id, channel) DO UPDATE SET pending_address = excluded.pending_address, pending_code_hmac = excluded.pending_code_hmac,
         pending_expires_at = excluded.pending_expires_at, pending_failures = 0, updated_at = excluded.updated_at`,
    ),
    countPendingFailure: db.prepare(
      'UPDATE reserved_contacts SET pending_failures = pending_failures + 1, updated_at = ? WHERE user_id = ? AND channel = ?',
    ),
    clearPending: db.prepare(
      `UPDATE reserved_contacts SET pending_address = NULL, pending_code_hmac = NULL, pending_expires_at = NULL, pending_failures = 0, updated_at = ?
       WHERE user_id = ? AND channel = ?`,
    ),
    promotePending: db.prepare(
      `UPDATE reserved_contacts SET verified_address = pending_address, verified_at = ?, pending_address = NULL, pending_code_hmac = NULL,
         pending_expires_at = NULL, pending_failures = 0, updated_at = ? WHERE user_id = ? AND channel = ? AND pending_address IS NOT NULL`,
    ),
    removeContact: db.prepare('DELETE FROM reserved_contacts WHERE user_id = ? AND channel = ?'),
    anyAdminVerified: db.prepare<[string], { found: number }>(
      `SELECT 1 AS found FROM reserved_contacts c JOIN users u ON u.id = c.user_id
       WHERE c.channel = ? AND c.verified_address IS NOT NULL AND u.role = 'admin' LIMIT 1`,
    ),
    getHint: db.prepare<[number], { hint_sealed: Buffer }>('SELECT hint_sealed FROM recovery_hints WHERE user_id = ?'),
    putHint: db.prepare(
      `INSERT INTO recovery_hints (user_id, hint_sealed, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET hint_sealed = excluded.hint_sealed, updated_at = excluded.updated_at`,
    ),
    deleteHint: db.prepare('DELETE FROM recovery_hints WHERE user_id = ?'),
    insertRequest: db.prepare(
      `INSERT INTO contact_recovery_requests (request_id, user_id, channel, code_hmac, lock_scope, created_at, expires_at, used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`,
    ),
    pruneRequests: db.prepare('DELETE FROM contact_recovery_requests WHERE created_at < ?'),
    findRequest: db.prepare<[string], RequestRow>('SELECT * FROM contact_recovery_requests WHERE request_id = ?'),
    spendRequest: db.prepare('UPDATE contact_recovery_requests SET used_at = ? WHERE request_id = ? AND used_at IS NULL AND expires_at > ?'),
    countSendsSince: db.prepare<[number, number], { n: number }>(
      'SELECT COUNT(*) AS n FROM contact_recovery_requests WHERE user_id = ? AND created_at > ?',
    ),
    getSmsGateway: db.prepare<[], { enabled: number; url: string; auth_sealed: Buffer | null }>(
      'SELECT enabled, url, auth_sealed FROM sms_gateway_settings WHERE id = 1',
    ),
    putSmsGateway: db.prepare(
      `INSERT INTO sms_gateway_settings (id, enabled, url, auth_sealed, updated_at) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, url = excluded.url, auth_sealed = excluded.auth_sealed, updated_at = excluded.updated_at`,
    ),
  };
  return {
    getContact(userId, channel) {
      const r = q.getContact.get(userId, channel);
      return (
        r && {
          userId: r.user_id,
          channel: r.channel,
          verifiedAddress: r.verified_address,
          verifiedAt: r.verified_at,
          pendingAddress: r.pending_address,
          pendingCodeHmac: r.pending_code_hmac,
          pendingExpiresAt: r.pending_expires_at,
          pendingFailures: r.pending_failures,
        }
      );
    },
    putPending(userId, channel, pending, now) {
      q.putPending.run(userId, channel, pending.address, pending.codeHmac, pending.expiresAt, now);
    },
    countPendingFailure(userId, channel, now) {
      q.countPendingFailure.run(now, userId, channel);
    },
    clearPending(userId, channel, now) {
      q.clearPending.run(now, userId, channel);
    },
    promotePending(userId, channel, now) {
      q.promotePending.run(now, now, userId, channel);
    },
    removeContact(userId, channel) {
      q.removeContact.run(userId, channel);
    },
    anyAdminVerified: (channel) => q.anyAdminVerified.get(channel) !== undefined,
    getHint: (userId) => q.getHint.get(userId)?.hint_sealed,
    putHint(userId, sealed, now) {
      if (sealed) q.putHint.run(userId, sealed, now);
      else q.deleteHint.run(userId);
    },
    insertRequest(request) {
      // The budget looks back one hour and codes live 15 minutes: a day later a row is history.
      q.pruneRequests.run(request.createdAt - 86_400_000);
      q.insertRequest.run(
        request.requestId,
        request.userId,
        request.channel,
        request.codeHmac,
        request.lockScope,
        request.createdAt,
        request.expiresAt,
      );
    },
    findRequest(requestId) {
      const r = q.findRequest.get(requestId);
      return (
        r && {
          requestId: r.request_id,
          userId: r.user_id,
          channel: r.channel,
          codeHmac: r.code_hmac,
          lockScope: r.lock_scope,
          createdAt: r.created_at,
          expiresAt: r.expires_at,
          usedAt: r.used_at,
        }
      );
    },
    spendRequest: (requestId, now) => q.spendRequest.run(now, requestId, now).changes === 1,
    countSendsSince: (userId, since) => q.countSendsSince.get(userId, since)!.n,
    getSmsGateway() {
      const r = q.getSmsGateway.get();
      return r && { enabled: r.enabled === 1, url: r.url, authSealed: r.auth_sealed };
    },
    putSmsGateway(settings, now) {
      q.putSmsGateway.run(settings.enabled ? 1 : 0, settings.url, settings.authSealed, now);
    },
  };
}

/** What redeeming a code writes to besides the codes: the grants and method locks, the audit log. */
export interface RedemptionTables {
  transaction: RecorderStore['transaction'];
  recovery: Pick<RecoveryStore, 'insertGrant' | 'clearMethodLock'>;
  /** Links each event into the chain (linkEntry) inside the transaction it is called in. */
  audit: Pick<AuditLog, 'append'>;
}

/** The codes sent on request as the security core's port; each method is one statement or one transaction. */
export function sentCodePort(
  store: Pick<ReservedContactStore, 'insertRequest' | 'findRequest' | 'spendRequest' | 'countSendsSince'>,
  tables: RedemptionTables,
): SentCodeStore<ContactChannel> {
  return {
    insert: async (code) => store.insertRequest(withUserId(code)),
    find: async (requestId) => {
      const found = store.findRequest(requestId);
      return found && withAccountId(found);
    },
    spend: async (requestId, now) => store.spendRequest(requestId, now),
    insertWithinBudget: async (code, budget, audit) =>
      tables.transaction(() => {
        const sends = code.accountId !== null && store.countSendsSince(code.accountId, budget.since) < budget.max;
        store.insertRequest(withUserId(sends ? code : { ...code, accountId: null, codeHmac: null }));
        for (const event of audit(sends)) tables.audit.append(event);
        return sends;
      }),
    redeem: async (requestId, now, grant, events) =>
      tables.transaction(() => {
        const request = store.findRequest(requestId);
        if (!request || !store.spendRequest(requestId, now)) return false;
        tables.recovery.clearMethodLock(request.channel, request.lockScope);
        tables.recovery.insertGrant(withUserId(grant));
        for (const event of events) tables.audit.append(event);
        return true;
      }),
    countSendsSince: async (accountId, since) => store.countSendsSince(accountId, since),
  };
}
