import { describe, expect, it } from 'vitest';
import type { StoredSession } from '../../../src/identity/sessions/session-store.js';
import { newSessionToken } from '../../../src/identity/sessions/tokens.js';
import { concurrently, freshAdapterEachTest, type MakeAdapter } from './adapter.js';

export function describeSessionContract(makeAdapter: MakeAdapter): void {
  describe('sessions', () => {
    const t = freshAdapterEachTest(makeAdapter);

    async function open(accountId = t.adapter.accounts[0]): Promise<StoredSession> {
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
      await t.adapter.sessions.create(session);
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
