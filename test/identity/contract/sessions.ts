import { describe, expect, it } from 'vitest';
import { verifyAuditSink } from '../../../src/identity/audit/audit-sink.js';
import type { SecurityEvent } from '../../../src/identity/audit/security-event.js';
import type { StoredSession } from '../../../src/identity/sessions/session-store.js';
import { newSessionToken } from '../../../src/identity/sessions/tokens.js';
import { concurrently, freshAdapterEachTest, type MakeAdapter } from './adapter.js';

export function describeSessionContract(makeAdapter: MakeAdapter): void {
  describe('sessions', () => {
    const t = freshAdapterEachTest(makeAdapter);

    async function open(accountId = t.adapter.accounts[0], audit?: SecurityEvent[]): Promise<StoredSession> {
      const now = t.clock.now();
      const { id, tokenHash } = newSessionToken();
      const session = {
        id,
        tokenHash,
        accountId,
        createdAt: now,
        createdIp: '192.0.2.10',
        userAgent: 'contract-test',
        lastSeenAt: now,
        lastSeenIp: '192.0.2.10',
        revokedAt: null,
        revokedReason: null,
      };
      await t.adapter.sessions.create(session, audit);
      t.clock.advance(1); // so sessions opened one after another have distinct creation times
      return session;
    }

    it('finds a session by its token hash, and nothing by an unknown one', async () => {
      const session = await open();
      expect(await t.adapter.sessions.findByTokenHash(session.tokenHash)).toEqual(session);
      expect(await t.adapter.sessions.findByTokenHash(newSessionToken().tokenHash)).toBeUndefined();
    });

    it('a touch records when and from where the session was last seen, and nothing else', async () => {
      const session = await open();
      t.clock.advance(60);
      await t.adapter.sessions.touch(session.id, t.clock.now(), '198.51.100.4');
      expect(await t.adapter.sessions.findByTokenHash(session.tokenHash)).toEqual({
        ...session,
        lastSeenAt: t.clock.now(),
        lastSeenIp: '198.51.100.4',
      });
    });

    it('of 20 concurrent revocations of one session exactly one ends it, and its first reason stays', async () => {
      const session = await open();
      const results = await concurrently(20, () => t.adapter.sessions.revoke(session.id, 'logout', t.clock.now()));
      expect(results.filter(Boolean)).toHaveLength(1);
      const revokedAt = t.clock.now();
      t.clock.advance(5);
      expect(await t.adapter.sessions.revoke(session.id, 'password_changed', t.clock.now())).toBe(false);
      expect(await t.adapter.sessions.findByTokenHash(session.tokenHash)).toMatchObject({ revokedAt, revokedReason: 'logout' });
    });

    const login = (target: string): SecurityEvent => ({ type: 'auth.login', outcome: 'success', actor: { id: 1, username: 'alice' }, target });
    // JSON has no BigInt: no adapter can store this event.
    const unstorable: SecurityEvent = { type: 'auth.login', outcome: 'success', details: { n: 1n as unknown as number } };

    it('stores a new session with its audit entries in one step, linked into the chain', async () => {
      const session = await open(t.adapter.accounts[0], [login('session:first')]);
      expect(await t.adapter.sessions.findByTokenHash(session.tokenHash)).toEqual(session);
      expect(await t.adapter.auditSink.readAfter(0, 10)).toMatchObject([{ seq: 1, type: 'auth.login', actorUsername: 'alice', target: 'session:first' }]);
      expect(await verifyAuditSink(t.adapter.auditKey, t.adapter.auditSink)).toEqual({ checked: 1, problems: [] });
    });

    it('a session whose audit entry cannot be stored is not stored either', async () => {
      await expect(open(t.adapter.accounts[0], [login('session:first'), unstorable])).rejects.toThrow();
      expect(await t.adapter.sessions.listLive(t.adapter.accounts[0])).toEqual([]);
      expect(await t.adapter.auditSink.head()).toBeUndefined();
    });

    it('of 20 concurrent revocations with audit entries only the one that ends the session appends them', async () => {
      const session = await open();
      const results = await concurrently(20, () => t.adapter.sessions.revoke(session.id, 'logout', t.clock.now(), [login(`session:${session.id}`)]));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await t.adapter.auditSink.readAfter(0, 50)).toHaveLength(1);
    });

    it('a revocation whose audit entry cannot be stored leaves the session live', async () => {
      const session = await open();
      await expect(t.adapter.sessions.revoke(session.id, 'logout', t.clock.now(), [unstorable])).rejects.toThrow();
      expect(await t.adapter.sessions.findByTokenHash(session.tokenHash)).toEqual(session);
      expect(await t.adapter.sessions.revoke(session.id, 'logout', t.clock.now())).toBe(true);
    });

    it('lists the live sessions of one account, newest first', async () => {
      const [mine, theirs] = t.adapter.accounts;
      const first = await open(mine);
      const ended = await open(mine);
      const last = await open(mine);
      await open(theirs);
      await t.adapter.sessions.revoke(ended.id, 'logout', t.clock.now());
      expect((await t.adapter.sessions.listLive(mine)).map((s) => s.id)).toEqual([last.id, first.id]);
    });

    it('revoking all of an account ends its live sessions but the one kept, and no one else\'s', async () => {
      const [mine, theirs] = t.adapter.accounts;
      const kept = await open(mine);
      await open(mine);
      const ended = await open(mine);
      const other = await open(theirs);
      await t.adapter.sessions.revoke(ended.id, 'logout', t.clock.now());
      expect(await t.adapter.sessions.revokeAllOfAccount(mine, 'password_changed', t.clock.now(), kept.id)).toBe(1);
      expect((await t.adapter.sessions.listLive(mine)).map((s) => s.id)).toEqual([kept.id]);
      expect(await t.adapter.sessions.findByTokenHash(ended.tokenHash)).toMatchObject({ revokedReason: 'logout' });
      expect(await t.adapter.sessions.revokeAllOfAccount(mine, 'password_changed', t.clock.now(), null)).toBe(1);
      expect(await t.adapter.sessions.listLive(mine)).toEqual([]);
      expect((await t.adapter.sessions.listLive(theirs)).map((s) => s.id)).toEqual([other.id]);
    });
  });
}
