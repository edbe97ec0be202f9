import { describe, expect, it } from 'vitest';
import type { StoredGrant } from '../../../src/identity/grants/grant-store.js';
import { grantIsLive, newGrantToken } from '../../../src/identity/grants/reset-grant.js';
import { concurrently, freshAdapterEachTest, type MakeAdapter } from './adapter.js';

export function describeResetGrantContract(makeAdapter: MakeAdapter): void {
  describe('reset grants', () => {
    const t = freshAdapterEachTest(makeAdapter);

    async function issue(accountId = t.adapter.accounts[0]): Promise<StoredGrant> {
      const { tokenHash, expiresAt } = newGrantToken(t.clock.now());
      const grant = { tokenHash, accountId, method: 'recoveryKey', createdAt: t.clock.now(), expiresAt, usedAt: null };
      await t.adapter.resetGrants.insert(grant);
      return grant;
    }

    it('finds a grant by its hash, and nothing by an unknown one', async () => {
      const grant = await issue();
      expect(await t.adapter.resetGrants.find(grant.tokenHash)).toEqual(grant);
      expect(await t.adapter.resetGrants.find(newGrantToken(t.clock.now()).tokenHash)).toBeUndefined();
    });

    it('of 20 concurrent spends of one grant exactly one succeeds, and the grant shows when', async () => {
      const grant = await issue();
      t.clock.advance(60);
      const results = await concurrently(20, () => t.adapter.resetGrants.spend(grant.tokenHash, t.clock.now()));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await t.adapter.resetGrants.find(grant.tokenHash))?.usedAt).toBe(t.clock.now());
      t.clock.advance(60);
      expect(await t.adapter.resetGrants.spend(grant.tokenHash, t.clock.now())).toBe(false);
    });

    it('expires: spendable a millisecond before its end, not at it', async () => {
      const early = await issue();
      const late = await issue();
      expect(await t.adapter.resetGrants.spend(early.tokenHash, early.expiresAt - 1)).toBe(true);
      expect(await t.adapter.resetGrants.spend(late.tokenHash, late.expiresAt)).toBe(false);
      const stored = await t.adapter.resetGrants.find(late.tokenHash);
      expect(stored && grantIsLive(stored, late.expiresAt - 1)).toBe(true);
    });

    it('an unknown grant cannot be spent', async () => {
      expect(await t.adapter.resetGrants.spend(newGrantToken(t.clock.now()).tokenHash, t.clock.now())).toBe(false);
    });

    it('revoking an account ends every unused grant of it, and no one else\'s', async () => {
      const [mine, theirs] = t.adapter.accounts;
      const first = await issue(mine);
      const second = await issue(mine);
      const other = await issue(theirs);
      t.clock.advance(10);
      await t.adapter.resetGrants.revokeAll(mine, t.clock.now());
      expect(await t.adapter.resetGrants.spend(first.tokenHash, t.clock.now())).toBe(false);
      expect(await t.adapter.resetGrants.spend(second.tokenHash, t.clock.now())).toBe(false);
      expect((await t.adapter.resetGrants.find(first.tokenHash))?.usedAt).toBe(t.clock.now());
      expect(await t.adapter.resetGrants.spend(other.tokenHash, t.clock.now())).toBe(true);
    });
  });
}
