import { describe, expect, it } from 'vitest';
import { verifyAuditSink } from '../../../src/identity/audit/audit-sink.js';
import type { SecurityEvent } from '../../../src/identity/audit/security-event.js';
import type { SentCode } from '../../../src/identity/codes/code-store.js';
import type { StoredGrant } from '../../../src/identity/grants/grant-store.js';
import { newGrantToken } from '../../../src/identity/grants/reset-grant.js';
import { countMethodFailure } from '../../../src/identity/lockout/method-lock-store.js';
import { CONTACT_CODE_LIFETIME_SECONDS } from '../../../src/identity/codes/code-rules.js';
import { randomToken } from '../../../src/shared/secrets.js';
import { concurrently, freshAdapterEachTest, type MakeAdapter } from './adapter.js';

export function describeSentCodeContract(makeAdapter: MakeAdapter): void {
  describe('codes sent on request', () => {
    const t = freshAdapterEachTest(makeAdapter);

    async function send(accountId: number | null = t.adapter.accounts[0]): Promise<SentCode> {
      const now = t.clock.now();
      const code = {
        requestId: randomToken(18),
        accountId,
        channel: 'email',
        codeHmac: accountId === null ? null : randomToken(32),
        lockScope: `user:${accountId}:email`,
        createdAt: now,
        expiresAt: now + CONTACT_CODE_LIFETIME_SECONDS * 1000,
        usedAt: null,
      };
      await t.adapter.sentCodes.insert(code);
      return code;
    }

    it('finds a request by its id, and nothing by an unknown one', async () => {
      const code = await send();
      const decoy = await send(null);
      expect(await t.adapter.sentCodes.find(code.requestId)).toEqual(code);
      expect(await t.adapter.sentCodes.find(decoy.requestId)).toEqual(decoy);
      expect(await t.adapter.sentCodes.find(randomToken(18))).toBeUndefined();
    });

    it('of 20 concurrent spends of one code exactly one succeeds, and the code shows when', async () => {
      const code = await send();
      t.clock.advance(30);
      const results = await concurrently(20, () => t.adapter.sentCodes.spend(code.requestId, t.clock.now()));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await t.adapter.sentCodes.find(code.requestId))?.usedAt).toBe(t.clock.now());
    });

    it('expires: spendable a millisecond before its end, not at it', async () => {
      const early = await send();
      const late = await send();
      expect(await t.adapter.sentCodes.spend(early.requestId, early.expiresAt - 1)).toBe(true);
      expect(await t.adapter.sentCodes.spend(late.requestId, late.expiresAt)).toBe(false);
    });

    const grantFor = (code: SentCode): StoredGrant => {
      const { tokenHash, expiresAt } = newGrantToken(t.clock.now());
      return { tokenHash, accountId: code.accountId!, method: code.channel, createdAt: t.clock.now(), expiresAt, usedAt: null };
    };
    const accepted: SecurityEvent = { type: 'recovery.evidence_accepted', outcome: 'success', target: 'user:1', details: { method: 'email' } };
    /** A code with two wrong tries counted against its lock. */
    async function sendAndGuess(): Promise<SentCode> {
      const code = await send();
      for (let i = 0; i < 2; i++) await countMethodFailure(t.adapter.methodLocks, code.channel, code.lockScope, { maxFailures: 5, blockSeconds: 3600 }, t.clock.now());
      return code;
    }
    async function expectNotRedeemed(code: SentCode, grant: StoredGrant): Promise<void> {
      expect((await t.adapter.sentCodes.find(code.requestId))?.usedAt).toBeNull();
      expect(await t.adapter.resetGrants.find(grant.tokenHash)).toBeUndefined();
      expect(await t.adapter.methodLocks.get(code.channel, code.lockScope)).toEqual({ failures: 2, blockedUntil: null });
      expect(await t.adapter.auditSink.head()).toBeUndefined();
    }

    it('redeeming a code spends it, stores the grant, lifts the lock and audits, in one step; only once', async () => {
      const code = await sendAndGuess();
      const grant = grantFor(code);
      t.clock.advance(30);
      expect(await t.adapter.sentCodes.redeem(code.requestId, t.clock.now(), grant, [accepted])).toBe(true);
      expect((await t.adapter.sentCodes.find(code.requestId))?.usedAt).toBe(t.clock.now());
      expect(await t.adapter.resetGrants.find(grant.tokenHash)).toEqual(grant);
      expect(await t.adapter.methodLocks.get(code.channel, code.lockScope)).toBeUndefined();
      expect(await t.adapter.auditSink.readAfter(0, 10)).toMatchObject([{ seq: 1, type: 'recovery.evidence_accepted', target: 'user:1' }]);
      expect(await verifyAuditSink(t.adapter.auditKey, t.adapter.auditSink)).toEqual({ checked: 1, problems: [] });
      const again = grantFor(code);
      expect(await t.adapter.sentCodes.redeem(code.requestId, t.clock.now(), again, [accepted])).toBe(false);
      expect(await t.adapter.resetGrants.find(again.tokenHash)).toBeUndefined();
    });

    it('of 20 concurrent redemptions of one code exactly one stores its grant', async () => {
      const code = await send();
      const grants = Array.from({ length: 20 }, () => grantFor(code));
      const results = await Promise.all(grants.map((grant) => t.adapter.sentCodes.redeem(code.requestId, t.clock.now(), grant, [accepted])));
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = await Promise.all(grants.map((grant) => t.adapter.resetGrants.find(grant.tokenHash)));
      expect(stored.filter((grant) => grant !== undefined)).toEqual([grants[results.indexOf(true)]]);
      expect(await t.adapter.auditSink.readAfter(0, 50)).toHaveLength(1);
    });

    it('an expired code and an unknown request redeem nothing, changing nothing', async () => {
      const code = await sendAndGuess();
      const grant = grantFor(code);
      expect(await t.adapter.sentCodes.redeem(code.requestId, code.expiresAt, grant, [accepted])).toBe(false);
      expect(await t.adapter.sentCodes.redeem(randomToken(18), t.clock.now(), grant, [accepted])).toBe(false);
      await expectNotRedeemed(code, grant);
    });

    it('a redemption whose audit entry cannot be stored changes nothing at all', async () => {
      const code = await sendAndGuess();
      const grant = grantFor(code);
      // JSON has no BigInt: no adapter can store this event.
      const unstorable: SecurityEvent = { ...accepted, details: { n: 1n as unknown as number } };
      await expect(t.adapter.sentCodes.redeem(code.requestId, t.clock.now(), grant, [accepted, unstorable])).rejects.toThrow();
      await expectNotRedeemed(code, grant);
      expect(await t.adapter.sentCodes.redeem(code.requestId, t.clock.now(), grant, [accepted])).toBe(true);
    });

    const asked = (accountId: number | null): SentCode => ({
      requestId: randomToken(18),
      accountId,
      channel: 'email',
      codeHmac: randomToken(32),
      lockScope: `user:${accountId}:email`,
      createdAt: t.clock.now(),
      expiresAt: t.clock.now() + CONTACT_CODE_LIFETIME_SECONDS * 1000,
      usedAt: null,
    });
    const requested = (sends: boolean): SecurityEvent[] => [{ type: 'recovery.requested', outcome: sends ? 'success' : 'failure' }];
    const hourBudget = () => ({ since: t.clock.now() - 3_600_000, max: 3 });

    it('of 20 concurrent requests for one account only the budget sends; the rest are stored as sending nothing, each audited', async () => {
      const [mine] = t.adapter.accounts;
      await t.adapter.sentCodes.insert(asked(mine));
      const codes = Array.from({ length: 20 }, () => asked(mine));
      const sends = await Promise.all(codes.map((code) => t.adapter.sentCodes.insertWithinBudget(code, hourBudget(), requested)));
      expect(sends.filter(Boolean)).toHaveLength(2);
      expect(await t.adapter.sentCodes.countSendsSince(mine, 0)).toBe(3);
      const stored = await Promise.all(codes.map((code) => t.adapter.sentCodes.find(code.requestId)));
      expect(stored.filter((code) => code?.accountId === mine && code.codeHmac !== null)).toHaveLength(2);
      expect(stored.filter((code) => code?.accountId === null && code.codeHmac === null && code.lockScope === `user:${mine}:email`)).toHaveLength(18);
      const entries = await t.adapter.auditSink.readAfter(0, 50);
      expect(entries.map((entry) => entry.outcome).sort()).toEqual([...Array(18).fill('failure'), 'success', 'success']);
      expect(await verifyAuditSink(t.adapter.auditKey, t.adapter.auditSink)).toEqual({ checked: 20, problems: [] });
    });

    it('a request for nobody is stored without a code; the budget counts only the hour before', async () => {
      const [mine] = t.adapter.accounts;
      for (let i = 0; i < 3; i++) await t.adapter.sentCodes.insert(asked(mine));
      const nobody = asked(null);
      expect(await t.adapter.sentCodes.insertWithinBudget(nobody, hourBudget(), requested)).toBe(false);
      expect(await t.adapter.sentCodes.find(nobody.requestId)).toEqual({ ...nobody, codeHmac: null });
      t.clock.advance(3601);
      expect(await t.adapter.sentCodes.insertWithinBudget(asked(mine), hourBudget(), requested)).toBe(true);
    });

    it('a request whose audit entry cannot be stored is not stored either', async () => {
      const code = asked(t.adapter.accounts[0]);
      const unstorable = (): SecurityEvent[] => [{ type: 'recovery.requested', outcome: 'success', details: { n: 1n as unknown as number } }];
      await expect(t.adapter.sentCodes.insertWithinBudget(code, hourBudget(), unstorable)).rejects.toThrow();
      expect(await t.adapter.sentCodes.find(code.requestId)).toBeUndefined();
      expect(await t.adapter.auditSink.head()).toBeUndefined();
    });

    it('counts the sends to one account after a time: not decoys, not other accounts, not older ones', async () => {
      const [mine, theirs] = t.adapter.accounts;
      await send(mine);
      t.clock.advance(3600);
      const hourAgo = t.clock.now() - 1000;
      await send(mine);
      await send(mine);
      await send(theirs);
      await send(null);
      expect(await t.adapter.sentCodes.countSendsSince(mine, hourAgo)).toBe(2);
      expect(await t.adapter.sentCodes.countSendsSince(theirs, hourAgo)).toBe(1);
      expect(await t.adapter.sentCodes.countSendsSince(mine, 0)).toBe(3);
    });
  });
}
