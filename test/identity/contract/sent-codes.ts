import { describe, expect, it } from 'vitest';
import type { SentCode } from '../../../src/identity/codes/code-store.js';
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
