import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { timeStep } from '../../../src/identity/two-factor/totp.js';
import { randomToken } from '../../../src/shared/secrets.js';
import { concurrently, freshAdapterEachTest, type MakeAdapter } from './adapter.js';

export function describeTwoFactorFactorContract(makeAdapter: MakeAdapter): void {
  describe('two-factor factors', () => {
    const t = freshAdapterEachTest(makeAdapter);

    /** A confirmed TOTP factor of the first account, confirmed with the current step. */
    async function confirmedTotp(): Promise<{ accountId: number; step: number }> {
      const accountId = t.adapter.accounts[0];
      const step = timeStep(t.clock.now());
      const secret = randomBytes(48);
      expect(await t.adapter.twoFactorFactors.startTotp(accountId, secret, t.clock.now())).toBe(true);
      expect(await t.adapter.twoFactorFactors.confirmTotp(accountId, secret, step, t.clock.now())).toBe(true);
      return { accountId, step };
    }

    it('a pending secret is replaced by a new one; a confirmed one is not', async () => {
      const accountId = t.adapter.accounts[0];
      const [first, second, third] = [randomBytes(48), randomBytes(48), randomBytes(48)];
      expect(await t.adapter.twoFactorFactors.startTotp(accountId, first, t.clock.now())).toBe(true);
      t.clock.advance(10);
      expect(await t.adapter.twoFactorFactors.startTotp(accountId, second, t.clock.now())).toBe(true);
      expect(await t.adapter.twoFactorFactors.getTotp(accountId)).toEqual({
        accountId,
        secretSealed: second,
        createdAt: t.clock.now(),
        confirmedAt: null,
        lastStep: -1,
      });
      const step = timeStep(t.clock.now());
      expect(await t.adapter.twoFactorFactors.confirmTotp(accountId, second, step, t.clock.now())).toBe(true);
      expect(await t.adapter.twoFactorFactors.confirmTotp(accountId, second, step + 1, t.clock.now())).toBe(false);
      expect(await t.adapter.twoFactorFactors.startTotp(accountId, third, t.clock.now())).toBe(false);
      expect(await t.adapter.twoFactorFactors.getTotp(accountId)).toMatchObject({ secretSealed: second, confirmedAt: t.clock.now(), lastStep: step });
      expect(await t.adapter.twoFactorFactors.getTotp(t.adapter.accounts[1])).toBeUndefined();
    });

    it('a confirmation names the secret its code was checked against: one replaced meanwhile is not confirmed', async () => {
      const accountId = t.adapter.accounts[0];
      const [checked, replacement] = [randomBytes(48), randomBytes(48)];
      await t.adapter.twoFactorFactors.startTotp(accountId, checked, t.clock.now());
      await t.adapter.twoFactorFactors.startTotp(accountId, replacement, t.clock.now());
      const step = timeStep(t.clock.now());
      expect(await t.adapter.twoFactorFactors.confirmTotp(accountId, checked, step, t.clock.now())).toBe(false);
      expect(await t.adapter.twoFactorFactors.getTotp(accountId)).toMatchObject({ secretSealed: replacement, confirmedAt: null });
      expect(await t.adapter.twoFactorFactors.confirmTotp(accountId, replacement, step, t.clock.now())).toBe(true);
    });

    it('a step is accepted only for a confirmed factor', async () => {
      const accountId = t.adapter.accounts[0];
      const step = timeStep(t.clock.now());
      expect(await t.adapter.twoFactorFactors.acceptTotpStep(accountId, step)).toBe(false);
      await t.adapter.twoFactorFactors.startTotp(accountId, randomBytes(48), t.clock.now());
      expect(await t.adapter.twoFactorFactors.acceptTotpStep(accountId, step)).toBe(false);
    });

    it('of 20 concurrent submissions of one step exactly one is accepted', async () => {
      const { accountId, step } = await confirmedTotp();
      t.clock.advance(30);
      const next = timeStep(t.clock.now());
      const results = await concurrently(20, () => t.adapter.twoFactorFactors.acceptTotpStep(accountId, next));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await t.adapter.twoFactorFactors.getTotp(accountId))?.lastStep).toBe(next);
      expect(next).toBeGreaterThan(step);
    });

    it('a step at or before the last accepted one is a replay; a later one is accepted', async () => {
      const { accountId, step } = await confirmedTotp();
      expect(await t.adapter.twoFactorFactors.acceptTotpStep(accountId, step)).toBe(false);
      expect(await t.adapter.twoFactorFactors.acceptTotpStep(accountId, step + 2)).toBe(true);
      expect(await t.adapter.twoFactorFactors.acceptTotpStep(accountId, step + 1)).toBe(false);
      expect(await t.adapter.twoFactorFactors.acceptTotpStep(accountId, step + 3)).toBe(true);
    });

    it('of 20 concurrent spends of one recovery code exactly one succeeds', async () => {
      const accountId = t.adapter.accounts[0];
      const codes = Array.from({ length: 10 }, () => randomToken(32));
      await t.adapter.twoFactorFactors.replaceRecoveryCodes(accountId, codes);
      expect(await t.adapter.twoFactorFactors.remainingRecoveryCodes(accountId)).toBe(10);
      const results = await concurrently(20, () => t.adapter.twoFactorFactors.spendRecoveryCode(accountId, codes[3]!, t.clock.now()));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await t.adapter.twoFactorFactors.remainingRecoveryCodes(accountId)).toBe(9);
      expect(await t.adapter.twoFactorFactors.spendRecoveryCode(accountId, codes[3]!, t.clock.now())).toBe(false);
    });

    it('a recovery code is spent only by its own account, and only while it is one of the current codes', async () => {
      const [mine, theirs] = t.adapter.accounts;
      const old = [randomToken(32), randomToken(32)];
      await t.adapter.twoFactorFactors.replaceRecoveryCodes(mine, old);
      expect(await t.adapter.twoFactorFactors.spendRecoveryCode(theirs, old[0]!, t.clock.now())).toBe(false);
      expect(await t.adapter.twoFactorFactors.spendRecoveryCode(mine, randomToken(32), t.clock.now())).toBe(false);
      const fresh = [randomToken(32)];
      await t.adapter.twoFactorFactors.replaceRecoveryCodes(mine, fresh);
      expect(await t.adapter.twoFactorFactors.remainingRecoveryCodes(mine)).toBe(1);
      expect(await t.adapter.twoFactorFactors.spendRecoveryCode(mine, old[1]!, t.clock.now())).toBe(false);
      expect(await t.adapter.twoFactorFactors.spendRecoveryCode(mine, fresh[0]!, t.clock.now())).toBe(true);
    });

    it('removing the factors forgets the TOTP factor and the recovery codes of that account only', async () => {
      const { accountId } = await confirmedTotp();
      const other = t.adapter.accounts[1];
      await t.adapter.twoFactorFactors.replaceRecoveryCodes(accountId, [randomToken(32)]);
      await t.adapter.twoFactorFactors.replaceRecoveryCodes(other, [randomToken(32)]);
      await t.adapter.twoFactorFactors.removeAllFactors(accountId);
      expect(await t.adapter.twoFactorFactors.getTotp(accountId)).toBeUndefined();
      expect(await t.adapter.twoFactorFactors.remainingRecoveryCodes(accountId)).toBe(0);
      expect(await t.adapter.twoFactorFactors.remainingRecoveryCodes(other)).toBe(1);
    });
  });
}
